/**
 * Population-training benchmarks: candidates × samples per second of K micromodels trained in one batched ND4J
 * pass against the same candidates trained one after another with DL4J and PyTorch
 * ({@link io.micromodels.bench.population.PopulationBenchmark}, last line {@code speedup@K=64: X}), and
 * {@link io.micromodels.bench.population.LayoutProbe}, the per-op timings behind the engine's layout choices.
 */
package io.micromodels.bench.population;

/**
 * Data-pipeline benchmarks: how long loading and preparing the larger bundled datasets takes, and the frozen
 * pipeline's per-row cost. Run {@link io.micromodels.bench.data.DataBenchmark}'s main method; figures are wall-clock
 * on a shared machine and may be noisy.
 */
package io.micromodels.bench.data;

/**
 * Shared benchmark infrastructure of Micromodels.
 *
 * <ul>
 *   <li>{@link io.micromodels.bench.BenchMain} runs suites by name; suites implement
 *       {@link io.micromodels.bench.BenchSuite} and register through {@code META-INF/services}.</li>
 *   <li>{@link io.micromodels.bench.BenchContext}: command-line options, output directory, facts, peers.</li>
 *   <li>{@link io.micromodels.bench.MachineFacts}: CPU, memory, OS, JVM, threads, the ND4J backend that
 *       really loaded, GPU ({@code requireGpu()} refuses CPU fall-backs).</li>
 *   <li>{@link io.micromodels.bench.Measurer} and {@link io.micromodels.bench.Measurement}: warm-up,
 *       repeats, median/min/max/IQR.</li>
 *   <li>{@link io.micromodels.bench.ResultTable}, {@link io.micromodels.bench.TextTable},
 *       {@link io.micromodels.bench.Plots}: text tables, CSV, markdown, PNG charts, never overwriting
 *       without {@code --force}.</li>
 *   <li>{@link io.micromodels.bench.PeerRunner}: Python peers (PyTorch, scikit-learn) in child processes;
 *       {@link io.micromodels.bench.ChildJvm}: child JVMs for settings fixed before ND4J loads.</li>
 * </ul>
 *
 * <pre>
 *   java -cp ... io.micromodels.bench.BenchMain train --suite quick --out results/today
 * </pre>
 */
package io.micromodels.bench;

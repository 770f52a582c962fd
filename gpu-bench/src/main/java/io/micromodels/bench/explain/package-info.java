/**
 * Explainability benchmarks: milliseconds per explained row for exact SHAP (10 features) and Kernel SHAP
 * (30 features) against 100 background rows, through real trained micromodels' frozen networks
 * ({@link io.micromodels.bench.explain.ShapBenchmark}).
 */
package io.micromodels.bench.explain;

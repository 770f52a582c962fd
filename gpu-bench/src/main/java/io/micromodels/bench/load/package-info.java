/**
 * Load tests of the frozen-model HTTP server: {@link io.micromodels.bench.load.HostileLoadBenchmark} (good keep-alive
 * clients and slow-loris connections at once). Run by hand with {@code gpu-bench/load/hostile_load.sh} or
 * {@code ./micromodels bench load}; figures in gpu-bench/RESULTS.md.
 */
package io.micromodels.bench.load;

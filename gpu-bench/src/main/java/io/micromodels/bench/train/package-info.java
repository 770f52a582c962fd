/**
 * Training-throughput suite ({@code train}): DL4J with its defaults and with the best settings
 * found in the same run, against PyTorch and scikit-learn, on 10-W-W-2 MLPs.
 * {@link io.micromodels.bench.train.TrainThroughput} orchestrates; each DL4J configuration runs in a
 * {@link io.micromodels.bench.train.TrainWorker} child JVM whose OpenMP thread count was fixed before
 * ND4J loaded.
 */
package io.micromodels.bench.train;

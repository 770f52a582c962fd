/**
 * Inference benchmarks of the reference micromodel (10-32-32-2, ReLU, softmax):
 * {@link io.micromodels.bench.inference.InferenceBenchmark} compares DL4J's {@code MultiLayerNetwork.output} with the
 * frozen network (same weights) and a PyTorch peer, one row per call and batches of 1024;
 * {@link io.micromodels.bench.inference.FrozenInferenceBench} and {@link io.micromodels.bench.inference.FrozenInferenceJmh}
 * are the reusable frozen-only harness and its JMH form.
 */
package io.micromodels.bench.inference;

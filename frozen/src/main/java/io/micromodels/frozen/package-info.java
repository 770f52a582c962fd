/**
 * Frozen micromodels: trained tabular networks compiled to plain Java for serving, with no DL4J, ND4J or native
 * code on the class path (only Jackson).
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link io.micromodels.frozen.FrozenMicromodel}, the entry point: a {@link io.micromodels.frozen.FrozenPipeline}
 * (raw text cells to {@code double} features), a {@link io.micromodels.frozen.FrozenNetwork} (features to
 * outputs) and {@link io.micromodels.frozen.FrozenMetadata} (task, target, class labels, output names). It reads and
 * writes a strict JSON format and loads the {@code frozen.json} entry of a saved-model zip.</li>
 * <li>{@link io.micromodels.frozen.FrozenNetwork} / {@link io.micromodels.frozen.FrozenLayer}: dense layers
 * {@code act(in · W + b)} with DL4J's activations ({@link io.micromodels.frozen.Activation}); thread-safe,
 * allocation-free single-row and batch scoring.</li>
 * <li>{@link io.micromodels.frozen.FrozenPipelines}: the registry that lets pipeline implementations appear in the
 * JSON under a type name; {@link io.micromodels.frozen.IdentityPipeline} is the built-in one.</li>
 * </ul>
 * HTTP scoring lives in the separate module {@code frozen-server} ({@code io.micromodels.frozen.server.FrozenServer},
 * on Jetty), so that this module keeps Jackson as its only dependency.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * FrozenMicromodel model = FrozenMicromodel.load(Path.of("heart.zip"));     // entry frozen.json
 * Prediction p = model.predict(new String[] {"63", "1", "145", ""});        // cells in model.columns() order
 * p.label();                  // e.g. "disease"
 * p.probability("disease");   // e.g. 0.83
 *
 * double[] features = new double[model.inputWidth()];                      // already-transformed features
 * double[] probabilities = new double[model.outputWidth()];
 * model.predictFeatures(features, probabilities);                          // no allocation
 * }</pre>
 *
 * <h2>From DL4J</h2>
 * A {@code MultiLayerNetwork} of {@code DenseLayer}s and a final {@code OutputLayer} maps one layer to one
 * {@link io.micromodels.frozen.FrozenLayer}: {@code FrozenLayer.dense(W.toDoubleMatrix(), b.toDoubleVector(),
 * activation, alpha)} where {@code W = net.getLayer(k).getParam("W")} has shape {@code [nIn, nOut]} and the
 * activation is {@code ActivationReLU → RELU}, {@code ActivationLReLU(alpha) → LEAKYRELU},
 * {@code ActivationELU(alpha) → ELU}, {@code ActivationTanH → TANH}, {@code ActivationSigmoid → SIGMOID},
 * {@code ActivationIdentity → IDENTITY}, {@code ActivationSoftmax → SOFTMAX}. Dropout is an identity at inference.
 * See {@link io.micromodels.frozen.FrozenNetwork} for how closely the double-precision results here follow DL4J's
 * float32 ones.
 */
package io.micromodels.frozen;

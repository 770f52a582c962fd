/**
 * Explanations of micromodels: permutation feature importance, exact and Kernel SHAP values, and
 * PNG plots of both.
 *
 * <p>Everything sees the model as a {@link io.micromodels.explain.BatchModel}: rows of model input
 * columns (after preprocessing), shape {@code [n][width]}, in; one output per row, shape {@code [n]},
 * out. {@link io.micromodels.explain.FeatureGroups} maps the columns back to original features (a
 * one-hot categorical is one group), and every result is reported per original feature. The entry
 * point is {@link io.micromodels.explain.Explainer}; plots are drawn by {@code io.micromodels.plots.ExplainPlots}
 * (plots module). Options are immutable validated records, and every
 * random source is seeded from an option.
 *
 * <p>A trained micromodel ({@code io.micromodels.train.TrainedModel}) is adapted by
 * {@link io.micromodels.explain.ModelExplainer} ({@code Explainer.model(model)}): its frozen network
 * as the batch model (P(positive class), one class's probability, or the regression output in
 * original units), one feature group per original CSV column with raw-value labels, and the
 * permutation metric of its task. The command line's {@code micromodels explain} is built on it.
 */
package io.micromodels.explain;

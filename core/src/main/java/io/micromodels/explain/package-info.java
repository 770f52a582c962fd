/**
 * Model-agnostic explanations of micromodels: permutation feature importance, exact and Kernel SHAP
 * values, and PNG plots of both.
 *
 * <p>Everything sees the model as a {@link io.micromodels.explain.BatchModel}: rows of model input
 * columns (after preprocessing), shape {@code [n][width]}, in; one output per row, shape {@code [n]},
 * out. {@link io.micromodels.explain.FeatureGroups} maps the columns back to original features (a
 * one-hot categorical is one group), and every result is reported per original feature. The entry
 * point is {@link io.micromodels.explain.Explainer}; plots are in
 * {@link io.micromodels.explain.ExplainPlots}. Options are immutable validated records, and every
 * random source is seeded from an option.
 */
package io.micromodels.explain;

package io.micromodels.explain;

/**
 * Entry point of model-agnostic explanations: SHAP values per original feature and permutation
 * feature importance, for any {@link BatchModel}.
 *
 * <pre>{@code
 * // A toy model over 3 columns: f(x) = sigmoid(2 x0 - x1), x2 ignored.
 * BatchModel model = rows -> {
 *     double[] out = new double[rows.length];
 *     for (int i = 0; i < rows.length; i++) out[i] = 1 / (1 + Math.exp(-(2 * rows[i][0] - rows[i][1])));
 *     return out;
 * };
 * java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
 * double[][] train = new double[500][3];
 * double[] labels = new double[500];
 * for (int i = 0; i < 500; i++) {
 *     for (int j = 0; j < 3; j++) train[i][j] = rng.nextDouble() * 2 - 1;
 *     labels[i] = rng.nextDouble() < model.predict(new double[][] {train[i]})[0] ? 1 : 0;
 * }
 * FeatureGroups features = FeatureGroups.singletons(java.util.List.of("dose", "age", "noise"));
 *
 * // SHAP: background of 100 seeded random training rows; exact for up to 12 features.
 * Background background = Background.sample(train, features, BackgroundOptions.DEFAULTS);
 * ShapExplainer shap = Explainer.shap(model, background, features);
 * ShapExplanation one = shap.explain(train[0]);      // one.baseValue() + sum(one.values()) == one.output()
 * ShapExplanations many = shap.explain(train);       // many.meanAbs(): global importance, shape [3]
 *
 * // Permutation importance on held-out data, 5 seeded repeats.
 * PermutationImportance pi = Explainer.permutation(model, features, Metric.auc()).importance(train, labels);
 *
 * // Plots (headless PNG).
 * ExplainPlots.waterfall(one, java.nio.file.Path.of("waterfall.png"));
 * ExplainPlots.summary(many, java.nio.file.Path.of("summary.png"));
 * ExplainPlots.permutationImportance(pi, java.nio.file.Path.of("importance.png"));
 * }</pre>
 */
public final class Explainer {
    private Explainer() {}

    /** SHAP over singleton features named {@code x0, x1, ...}, default options. */
    public static ShapExplainer shap(BatchModel model, Background background) {
        Check.notNull("background", background);
        return shap(model, background, FeatureGroups.indexed(background.width()), ShapOptions.DEFAULTS);
    }

    /** SHAP per feature group, default options. Computes the base value (one pass over the background). */
    public static ShapExplainer shap(BatchModel model, Background background, FeatureGroups groups) {
        return shap(model, background, groups, ShapOptions.DEFAULTS);
    }

    /** SHAP per feature group. Computes the base value (one pass over the background). */
    public static ShapExplainer shap(BatchModel model, Background background, FeatureGroups groups,
                                     ShapOptions options) {
        return new ShapExplainer(model, background, groups, options);
    }

    /** Permutation importance per feature group under {@code metric}, default options. */
    public static PermutationExplainer permutation(BatchModel model, FeatureGroups groups, Metric metric) {
        return permutation(model, groups, metric, PermutationOptions.DEFAULTS);
    }

    /** Permutation importance per feature group under {@code metric}. */
    public static PermutationExplainer permutation(BatchModel model, FeatureGroups groups, Metric metric,
                                                   PermutationOptions options) {
        return new PermutationExplainer(model, groups, metric, options);
    }
}

package io.micromodels.explain;

import io.micromodels.train.TrainedModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Entry point of explanations: SHAP values per original feature and permutation feature
 * importance, for a {@link TrainedModel} or any {@link BatchModel}.
 *
 * <p>A trained micromodel, explained per original CSV column (see {@link ModelExplainer} for what
 * is explained: P(positive class), one class's probability, or the regression output in original
 * units):
 * <pre>{@code
 * PreparedData data = Datasets.load("german_credit").prepare(42);
 * try (TrainedModel model = TrainedModel.train(data, TrainedModel.defaultSpec(data), "german_credit")) {
 *     // background: 100 seeded random rows of the training split
 *     ShapExplainer shap = Explainer.shap(model, data.train().getFeatures());
 *     double[] row = data.test().getFeatures().getRow(0).castTo(DataType.DOUBLE).toDoubleVector();  // [width]
 *     ShapExplanation e = shap.explain(row);      // e.value("checking_status"), e.baseValue(), e.output()
 *     // permutation importance on held-out rows, AUC for binary, 5 seeded repeats (mean and std)
 *     PermutationImportance pi = Explainer.permutationImportance(model, data.test());
 * }
 * }</pre>
 *
 * <p>Any model as a {@link BatchModel}:
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
 * // Plots (headless PNG; io.micromodels.plots.ExplainPlots, in the plots module).
 * ExplainPlots.waterfall(one, java.nio.file.Path.of("waterfall.png"));
 * ExplainPlots.summary(many, java.nio.file.Path.of("summary.png"));
 * ExplainPlots.permutationImportance(pi, java.nio.file.Path.of("importance.png"));
 * }</pre>
 */
public final class Explainer {
    private Explainer() {}

    // ---------------------------------------------------------------- trained micromodels

    /**
     * A trained micromodel prepared for explanation: its default output (P(positive class) for
     * binary, P(first class) for multiclass, the prediction in original units for regression)
     * scored through its frozen network, and one feature group per original column.
     */
    public static ModelExplainer model(TrainedModel model) {
        return ModelExplainer.of(model);
    }

    /**
     * As {@link #model(TrainedModel)}, explaining the probability of class {@code classLabel} (one of
     * {@code model.pipeline().task().classes()}); null means the default.
     *
     * @throws IllegalArgumentException for an unknown class (listing the classes) or a regression model
     */
    public static ModelExplainer model(TrainedModel model, String classLabel) {
        return ModelExplainer.of(model, classLabel);
    }

    /** SHAP of a trained micromodel's default output per original column, against {@code background}. */
    public static ShapExplainer shap(TrainedModel model, Background background) {
        return model(model).shap(background);
    }

    /**
     * SHAP of a trained micromodel's default output per original column; the background is 100 seeded
     * random rows ({@link BackgroundOptions#DEFAULTS}) of {@code trainFeatures}, shape [n, width],
     * e.g. {@code data.train().getFeatures()}.
     */
    public static ShapExplainer shap(TrainedModel model, INDArray trainFeatures) {
        ModelExplainer m = model(model);
        return m.shap(m.background(trainFeatures, BackgroundOptions.DEFAULTS));
    }

    /** As {@link #shap(TrainedModel, INDArray)} with training features as rows, shape [n][width]. */
    public static ShapExplainer shap(TrainedModel model, double[][] trainFeatures) {
        ModelExplainer m = model(model);
        return m.shap(m.background(trainFeatures, BackgroundOptions.DEFAULTS));
    }

    /**
     * Permutation importance of a trained micromodel per original column on held-out rows, with the
     * task's metric (AUC for binary, accuracy for multiclass, RMSE in original units for regression)
     * and default options (5 seeded repeats; mean and sample std per feature).
     */
    public static PermutationImportance permutationImportance(TrainedModel model, DataSet heldOut) {
        return permutationImportance(model, heldOut, PermutationOptions.DEFAULTS);
    }

    /** As {@link #permutationImportance(TrainedModel, DataSet)} with the given options. */
    public static PermutationImportance permutationImportance(TrainedModel model, DataSet heldOut,
                                                              PermutationOptions options) {
        return model(model).permutationImportance(heldOut, options);
    }

    // ---------------------------------------------------------------- any batch model

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

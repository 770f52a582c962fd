package io.micromodels.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.classification.ROCMultiClass;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-set metrics of a micromodel, computed with DL4J's evaluation classes ({@link Evaluation}, {@code ROC},
 * {@link ROCMultiClass}, {@link RegressionEvaluation}), except two: two-class ROC AUC comes from {@link Scores#auc}
 * (DL4J's exact {@code ROC} steps through tied scores one by one, so a constant predictor gets 0.47-0.51 instead of
 * 0.5), and log loss is computed here (DL4J's evaluation classes have none), with probabilities clipped to
 * [1e-15, 1 - 1e-15] as scikit-learn does.
 *
 * <ul>
 *   <li>classification: {@code accuracy}, {@code precision}, {@code recall}, {@code f1} (of the positive class
 *       for two classes, class 1 unless told otherwise, macro-averaged otherwise), {@code auc} (ROC AUC, exact; macro one-vs-rest for more
 *       classes), {@code log_loss}, and the confusion matrix (rows = actual, columns = predicted);</li>
 *   <li>regression: {@code rmse}, {@code mae}, {@code r2} in the target's original units.</li>
 * </ul>
 *
 * <pre>{@code
 * Metrics m = Metrics.classification(test.getLabels(), net.output(test.getFeatures()), List.of("bad", "good"));
 * System.out.println(m.table());
 * }</pre>
 *
 * @param kind      {@code classification} or {@code regression}
 * @param values    metric name to value, in a fixed order
 * @param classes   class labels in label-index order (empty for regression)
 * @param confusion [classes][classes] counts, rows actual, columns predicted (empty for regression)
 */
public record Metrics(String kind, LinkedHashMap<String, Double> values, List<String> classes, long[][] confusion) {

    /** Copies the mutable parts. */
    public Metrics {
        values = new LinkedHashMap<>(values);
        classes = List.copyOf(classes);
        confusion = confusion.clone();
    }

    /** One metric by name. */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; available: " + values.keySet());
        }
        return v;
    }

    /**
     * Classification metrics.
     *
     * @param labels        one-hot {@code [n, k]}, or {@code [n, 1]} 0/1 for a binary sigmoid model
     * @param probabilities {@code [n, k]} class probabilities, or {@code [n, 1]} positive-class probability
     * @param classes       k class labels (2 for a sigmoid model)
     */
    public static Metrics classification(INDArray labels, INDArray probabilities, List<String> classes) {
        return classification(labels, probabilities, classes, 1);
    }

    /**
     * Classification metrics with a chosen positive class for two-class problems.
     *
     * @param positive index of the positive class (0 or 1) when there are two classes; ignored otherwise
     */
    public static Metrics classification(INDArray labels, INDArray probabilities, List<String> classes, int positive) {
        INDArray y = twoColumns(labels.castTo(DataType.DOUBLE));
        INDArray p = twoColumns(probabilities.castTo(DataType.DOUBLE));
        int k = (int) y.size(1);
        if (p.size(1) != k || p.size(0) != y.size(0)) {
            throw new IllegalArgumentException("labels " + java.util.Arrays.toString(y.shape()) + " and predictions "
                    + java.util.Arrays.toString(p.shape()) + " differ in shape");
        }
        if (classes.size() != k) {
            throw new IllegalArgumentException("classes has " + classes.size() + " labels but the data has " + k + " classes");
        }
        Evaluation eval = new Evaluation(k);
        eval.eval(y, p);
        LinkedHashMap<String, Double> v = new LinkedHashMap<>();
        v.put("accuracy", eval.accuracy());
        if (k == 2) {
            int pos = positive == 0 ? 0 : 1;
            v.put("precision", eval.precision(pos));
            v.put("recall", eval.recall(pos));
            v.put("f1", eval.f1(pos));
            // DL4J's exact ROC (thresholdSteps 0) steps through tied scores one by one, so a constant predictor
            // scores anywhere from 0.47 to 0.51 instead of 0.5; the rank-sum AUC counts ties as one half.
            v.put("auc", Scores.auc(y.getColumn(pos).toDoubleVector(), p.getColumn(pos).toDoubleVector()));
        } else {
            v.put("precision", eval.precision(org.nd4j.evaluation.EvaluationAveraging.Macro));
            v.put("recall", eval.recall(org.nd4j.evaluation.EvaluationAveraging.Macro));
            v.put("f1", eval.f1(org.nd4j.evaluation.EvaluationAveraging.Macro));
            ROCMultiClass roc = new ROCMultiClass(0);
            roc.eval(y, p);
            v.put("auc", roc.calculateAverageAUC());
        }
        v.put("log_loss", logLoss(y, p));
        ConfusionMatrix<Integer> cm = eval.getConfusion();
        long[][] confusion = new long[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                confusion[a][b] = cm.getCount(a, b);
            }
        }
        return new Metrics("classification", v, classes, confusion);
    }

    /**
     * Regression metrics in original units.
     *
     * @param actual    [n] true values
     * @param predicted [n] predictions
     */
    public static Metrics regression(double[] actual, double[] predicted) {
        if (actual.length != predicted.length || actual.length == 0) {
            throw new IllegalArgumentException("actual (" + actual.length + ") and predicted (" + predicted.length
                    + ") must have the same, non-zero length");
        }
        RegressionEvaluation eval = new RegressionEvaluation(1);
        eval.eval(Nd4j.createFromArray(actual).reshape(actual.length, 1),
                Nd4j.createFromArray(predicted).reshape(predicted.length, 1));
        LinkedHashMap<String, Double> v = new LinkedHashMap<>();
        v.put("rmse", eval.rootMeanSquaredError(0));
        v.put("mae", eval.meanAbsoluteError(0));
        v.put("r2", eval.rSquared(0));
        return new Metrics("regression", v, List.of(), new long[0][]);
    }

    /** Mean negative log-likelihood of the true class, probabilities clipped to [1e-15, 1 - 1e-15]. */
    static double logLoss(INDArray oneHot, INDArray probabilities) {
        return Scores.crossEntropy(oneHot.toDoubleMatrix(), probabilities.toDoubleMatrix());
    }

    private static INDArray twoColumns(INDArray a) {
        if (a.size(1) != 1) {
            return a;
        }
        return Nd4j.hstack(a.rsub(1.0), a);
    }

    /** A readable table of the metrics (and the confusion matrix for classifiers). */
    public String table() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-10s %10.4f%n", e.getKey(), e.getValue()));
        }
        if (!classes.isEmpty()) {
            int w = Math.max(8, classes.stream().mapToInt(String::length).max().orElse(8) + 2);
            sb.append("  confusion (rows actual, columns predicted)\n  ").append(" ".repeat(w));
            for (String c : classes) {
                sb.append(String.format(Locale.ROOT, "%" + w + "s", c));
            }
            sb.append('\n');
            for (int a = 0; a < classes.size(); a++) {
                sb.append("  ").append(String.format(Locale.ROOT, "%" + w + "s", classes.get(a)));
                for (int b = 0; b < classes.size(); b++) {
                    sb.append(String.format(Locale.ROOT, "%" + w + "d", confusion[a][b]));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Metric names in order, for table headers. */
    public List<String> names() {
        return new ArrayList<>(values.keySet());
    }
}

package io.micromodels.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.frozen.TaskKind;
import io.micromodels.json.StrictJson;
import org.nd4j.evaluation.classification.ROCMultiClass;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-set metrics of a micromodel, defined as scikit-learn defines them: the confusion-matrix metrics, two-class ROC
 * AUC ({@link Scores#auc}; DL4J's exact {@code ROC} steps through tied scores one by one, so a constant predictor gets
 * 0.47-0.51 instead of 0.5), average precision and Brier score ({@link Scores}) and log loss (probabilities clipped to
 * [1e-15, 1 - 1e-15]) are computed here; multiclass ROC AUC comes from DL4J's {@link ROCMultiClass}, regression
 * metrics from its {@link RegressionEvaluation}.
 *
 * <ul>
 *   <li>classification: {@code accuracy}; {@code precision}, {@code recall}, {@code f1}: of the positive class for
 *       two classes (class 1 unless told otherwise; rows labelled by the decision threshold), else macro averages
 *       over ALL classes, a class never predicted (or never present) counting 0, as scikit-learn's
 *       {@code average='macro', zero_division=0} with {@code labels} = all classes; {@code auc} (ROC AUC, exact;
 *       macro one-vs-rest for more classes); {@code pr_auc} (average precision, {@code average_precision_score};
 *       macro one-vs-rest over the classes present for more classes); {@code log_loss}; {@code brier} (two classes:
 *       mean squared error of the positive-class probability, {@code brier_score_loss}; more classes: mean over rows
 *       of the summed squared errors of all class probabilities); and the confusion matrix (rows = actual, columns =
 *       predicted);</li>
 *   <li>regression: {@code rmse}, {@code mae}, {@code r2} in the target's original units.</li>
 * </ul>
 *
 * <pre>{@code
 * Metrics m = Metrics.classification(test.getLabels(), net.output(test.getFeatures()), List.of("bad", "good"));
 * System.out.println(m.table());
 * }</pre>
 *
 * @param kind      {@link TaskKind#BINARY} for two classes, {@link TaskKind#MULTICLASS} for more, or
 *                  {@link TaskKind#REGRESSION} (JSON {@code "binary"}, {@code "multiclass"}, {@code "regression"};
 *                  {@link #fromJson} also reads the {@code "classification"} of metrics written before)
 * @param values    metric name to value, in a fixed order
 * @param classes   class labels in label-index order (empty for regression)
 * @param confusion [classes][classes] counts, rows actual, columns predicted (empty for regression)
 */
public record Metrics(TaskKind kind, LinkedHashMap<String, Double> values, List<String> classes, long[][] confusion) {

    /** Copies the mutable parts. */
    public Metrics {
        java.util.Objects.requireNonNull(kind, "kind");
        values = new LinkedHashMap<>(values);
        classes = List.copyOf(classes);
        confusion = confusion.clone();
    }

    /**
     * Reads metrics JSON strictly ({@link StrictJson#read}); {@code "kind": "classification"}, the spelling before the one
     * task kind, is read as {@code "binary"} with two classes and {@code "multiclass"} with more.
     *
     * @param what what the text is, for messages (e.g. the zip entry's name)
     * @throws IllegalArgumentException naming the unknown or missing key or the invalid value
     */
    public static Metrics fromJson(String json, String what) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = StrictJson.mapper().readTree(json);
            if (tree != null && tree.isObject() && "classification".equals(tree.path("kind").textValue())) {
                com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) tree).deepCopy();
                copy.put("kind", tree.path("classes").size() == 2 ? TaskKind.BINARY.jsonName() : TaskKind.MULTICLASS.jsonName());
                json = StrictJson.write(copy);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // malformed: StrictJson.read below names where
        }
        return StrictJson.read(json, Metrics.class, what);
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
        return classification(labels, probabilities, classes, k2(labels) ? BinaryDecision.standard(positive == 0 ? 0 : 1) : null);
    }

    private static boolean k2(INDArray labels) {
        return labels.size(1) <= 2;
    }

    /**
     * Classification metrics; a two-class model's labels decided by {@code decision}'s threshold.
     *
     * @param labels        one-hot {@code [n, k]}, or {@code [n, 1]} 0/1 for a binary sigmoid model
     * @param probabilities {@code [n, k]} class probabilities (already calibrated, if the model is), or {@code [n, 1]}
     * @param classes       k class labels
     * @param decision      two classes: the positive class and threshold (null = class 1, most probable class);
     *                      ignored for more classes. Its calibration is not applied here.
     */
    public static Metrics classification(INDArray labels, INDArray probabilities, List<String> classes, BinaryDecision decision) {
        double[][] y = twoColumns(labels.castTo(DataType.DOUBLE)).toDoubleMatrix();
        double[][] p = twoColumns(probabilities.castTo(DataType.DOUBLE)).toDoubleMatrix();
        int n = y.length;
        int k = n == 0 ? 0 : y[0].length;
        if (n == 0 || p.length != n || p[0].length != k) {
            throw new IllegalArgumentException("labels [" + n + ", " + k + "] and predictions [" + p.length + ", "
                    + (p.length == 0 ? 0 : p[0].length) + "] differ in shape or are empty");
        }
        if (classes.size() != k) {
            throw new IllegalArgumentException("classes has " + classes.size() + " labels but the data has " + k + " classes");
        }
        BinaryDecision d = k == 2 ? (decision == null ? BinaryDecision.standard(1) : decision) : null;
        long[][] confusion = new long[k][k];
        for (int i = 0; i < n; i++) {
            int actual = argmax(y[i]);
            int predicted = d != null && !d.isStandard() ? d.label(p[i], 0) : argmax(p[i]);
            confusion[actual][predicted]++;
        }
        LinkedHashMap<String, Double> v = new LinkedHashMap<>();
        long right = 0;
        for (int c = 0; c < k; c++) {
            right += confusion[c][c];
        }
        v.put("accuracy", right / (double) n);
        if (k == 2) {
            int pos = d.positive();
            double[] prf = prf(confusion, pos);
            v.put("precision", prf[0]);
            v.put("recall", prf[1]);
            v.put("f1", prf[2]);
            // DL4J's exact ROC (thresholdSteps 0) steps through tied scores one by one, so a constant predictor
            // scores anywhere from 0.47 to 0.51 instead of 0.5; the rank-sum AUC counts ties as one half.
            double[] yp = column(y, pos);
            double[] pp = column(p, pos);
            v.put("auc", Scores.auc(yp, pp));
            v.put("pr_auc", Scores.averagePrecision(yp, pp));
            v.put("log_loss", Scores.crossEntropy(y, p));
            v.put("brier", Scores.brier(yp, pp));
        } else {
            double[] sum = new double[3];
            for (int c = 0; c < k; c++) {
                double[] prf = prf(confusion, c);
                for (int j = 0; j < 3; j++) {
                    sum[j] += prf[j];
                }
            }
            v.put("precision", sum[0] / k);
            v.put("recall", sum[1] / k);
            v.put("f1", sum[2] / k);
            ROCMultiClass roc = new ROCMultiClass(0);
            roc.eval(Nd4j.create(y), Nd4j.create(p));
            v.put("auc", roc.calculateAverageAUC());
            double ap = 0;
            int present = 0;
            for (int c = 0; c < k; c++) {
                double a = Scores.averagePrecision(column(y, c), column(p, c));
                if (!Double.isNaN(a)) {
                    ap += a;
                    present++;
                }
            }
            v.put("pr_auc", present == 0 ? Double.NaN : ap / present);
            v.put("log_loss", Scores.crossEntropy(y, p));
            double brier = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double e = p[i][c] - y[i][c];
                    brier += e * e;
                }
            }
            v.put("brier", brier / n);
        }
        return new Metrics(k == 2 ? TaskKind.BINARY : TaskKind.MULTICLASS, v, classes, confusion);
    }

    /**
     * Precision, recall and F1 of class {@code c} from a confusion matrix (rows actual, columns predicted), each 0
     * when its denominator is 0 (scikit-learn's {@code zero_division=0}).
     */
    static double[] prf(long[][] confusion, int c) {
        long tp = confusion[c][c];
        long predicted = 0;
        long actual = 0;
        for (int j = 0; j < confusion.length; j++) {
            predicted += confusion[j][c];
            actual += confusion[c][j];
        }
        double precision = predicted == 0 ? 0 : tp / (double) predicted;
        double recall = actual == 0 ? 0 : tp / (double) actual;
        double f1 = predicted + actual == 0 ? 0 : 2.0 * tp / (double) (predicted + actual);
        return new double[] {precision, recall, f1};
    }

    /** Index of the largest value of {@code row} (ties: the first). */
    public static int argmax(double[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Column {@code c} of {@code a [n][k]}, as {@code [n]}. */
    public static double[] column(double[][] a, int c) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i][c];
        }
        return out;
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
        return new Metrics(TaskKind.REGRESSION, v, List.of(), new long[0][]);
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

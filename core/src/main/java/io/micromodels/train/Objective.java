package io.micromodels.train;

import io.micromodels.data.FittedPipeline;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A metric a study optimises and early stopping watches ({@code --metric}): by default chosen by the kind of task,
 * or any metric that fits it ({@link #fits}):
 * <ul>
 *   <li>binary: {@code auc}, {@code pr_auc} (average precision), {@code log_loss}, {@code accuracy}, {@code f1} (of the
 *       positive class);</li>
 *   <li>multiclass: {@code log_loss}, {@code accuracy}, {@code f1} (macro over all classes);</li>
 *   <li>regression: {@code rmse}, {@code mae} (original units).</li>
 * </ul>
 * A binary task's threshold-dependent metrics ({@code accuracy}, {@code f1}) are scored at a given decision threshold,
 * or, with NaN, at the best threshold for the split ({@link #bestThreshold}: what {@code --threshold auto} will choose),
 * so that a candidate is judged by what it delivers after thresholding.
 *
 * <p>The defaults:
 * <ul>
 *   <li>binary: ROC {@link #AUC} of the positive class (higher is better; exact, ties get
 *       average ranks, as DL4J's {@code ROC(0)} computes it);</li>
 *   <li>multiclass: {@link #LOG_LOSS}, the mean negative log-likelihood of the true class with
 *       probabilities clipped to {@code [1e-15, 1 - 1e-15]} (lower is better). Chosen over accuracy,
 *       which moves in steps of {@code 1/n} on a small validation split and cannot tell two models
 *       with the same errors apart;</li>
 *   <li>regression: {@link #RMSE} in the target's original units (lower is better).</li>
 * </ul>
 *
 * <p>Generators minimise {@link #loss(double)}: the metric, negated when higher is better.
 */
public enum Objective {
    /** Area under the ROC curve of the positive class. */
    AUC("auc", true),
    /** Average precision of the positive class (scikit-learn's {@code average_precision_score}). */
    PR_AUC("pr_auc", true),
    /** Mean negative log-likelihood of the true class. */
    LOG_LOSS("log_loss", false),
    /** Share of rows labelled right. */
    ACCURACY("accuracy", true),
    /** F1 of the positive class (binary) or macro F1 over all classes (multiclass). */
    F1("f1", true),
    /** Root mean squared error in the target's units. */
    RMSE("rmse", false),
    /** Mean absolute error in the target's units. */
    MAE("mae", false);

    private final String metric;
    private final boolean higherIsBetter;

    Objective(String metric, boolean higherIsBetter) {
        this.metric = metric;
        this.higherIsBetter = higherIsBetter;
    }

    /**
     * @param task a task
     * @return AUC for binary, log loss for multiclass, RMSE for regression
     */
    public static Objective forTask(TaskInfo task) {
        return switch (task.kind()) {
            case BINARY -> AUC;
            case MULTICLASS -> LOG_LOSS;
            case REGRESSION -> RMSE;
        };
    }

    /** Whether this metric applies to a task of this kind. */
    public boolean fits(TaskKind kind) {
        return switch (this) {
            case AUC, PR_AUC -> kind == TaskKind.BINARY;
            case LOG_LOSS, ACCURACY, F1 -> kind != TaskKind.REGRESSION;
            case RMSE, MAE -> kind == TaskKind.REGRESSION;
        };
    }

    /** Whether a binary model's score depends on its decision threshold ({@code accuracy}, {@code f1}). */
    public boolean thresholdDependent() {
        return this == ACCURACY || this == F1;
    }

    /** The metric names that fit a task of this kind, e.g. {@code [rmse, mae]}. */
    public static List<String> namesFor(TaskKind kind) {
        return Arrays.stream(values()).filter(o -> o.fits(kind)).map(Objective::metricName).toList();
    }

    /**
     * The objective for a task: the named metric, or the task's default when {@code name} is null or empty.
     *
     * @throws IllegalArgumentException naming the metric, the task kind and the metrics that fit it
     */
    public static Objective forTask(TaskInfo task, String name) {
        if (name == null || name.isEmpty()) {
            return forTask(task);
        }
        Objective o = parse(name);
        if (!o.fits(task.kind())) {
            throw new IllegalArgumentException("metric '" + name + "' does not fit a " + task.kind().jsonName()
                    + " task; use one of " + namesFor(task.kind()));
        }
        return o;
    }

    /**
     * @param name a metric name such as {@code auc}
     * @return the objective with that metric name
     */
    public static Objective parse(String name) {
        for (Objective o : values()) {
            if (o.metric.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("metric must be one of " + Arrays.stream(values()).map(Objective::metricName)
                .toList() + ", got '" + name + "'");
    }

    /** @return the metric's name, e.g. {@code auc}, {@code log_loss} or {@code rmse} */
    public String metricName() {
        return metric;
    }

    /** @return whether higher values are better */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * @param value a metric value
     * @return the value to minimise: {@code -value} when higher is better, else {@code value}
     */
    public double loss(double value) {
        return higherIsBetter ? -value : value;
    }

    /**
     * @param a a metric value
     * @param b another
     * @return whether {@code a} is strictly better than {@code b} (a NaN is never better)
     */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return higherIsBetter ? a > b : a < b;
    }

    /** @return the metric value formatted for a leaderboard, e.g. {@code auc 0.7812} */
    public String format(double value) {
        return String.format(Locale.ROOT, "%s %.4f", metric, value);
    }

    /**
     * Scores a network on a split.
     *
     * @param net      the network; outputs {@code [n, k]} class probabilities ({@code [n, 1]} for a
     *                 sigmoid binary model) or {@code [n, 1]} standardised regression predictions
     * @param data     features {@code [n, width]}, labels one-hot {@code [n, k]} or {@code [n, 1]}
     * @param pipeline the fitted pipeline (task, and the target's units for regression)
     * @return the metric value; NaN when it is undefined (an AUC with one class only) or the
     *     network's outputs are not finite
     */
    public double evaluate(MultiLayerNetwork net, DataSet data, FittedPipeline pipeline) {
        return evaluate(net, data, pipeline, Double.NaN);
    }

    /**
     * Scores a network on a split at a binary decision threshold.
     *
     * @param threshold binary {@code accuracy}/{@code f1}: predicted positive when the positive probability is
     *                  {@code >=} it; NaN = the best threshold for this split; ignored otherwise
     * @see #evaluate(MultiLayerNetwork, DataSet, FittedPipeline)
     */
    public double evaluate(MultiLayerNetwork net, DataSet data, FittedPipeline pipeline, double threshold) {
        INDArray out = net.output(data.getFeatures().castTo(DataType.FLOAT), false);
        double[][] p = out.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] y = data.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        return evaluate(p, y, pipeline, threshold);
    }

    /**
     * Scores outputs against labels.
     *
     * @param p         network outputs {@code [n][k]} class probabilities ({@code [n][1]} for a sigmoid binary model),
     *                  or {@code [n][1]} standardised regression predictions
     * @param y         labels, one-hot {@code [n][k]} or {@code [n][1]}
     * @param pipeline  the fitted pipeline (task, and the target's units for regression)
     * @param threshold see {@link #evaluate(MultiLayerNetwork, DataSet, FittedPipeline, double)}
     * @return the metric value; NaN when it is undefined or the outputs are not finite
     */
    public double evaluate(double[][] p, double[][] y, FittedPipeline pipeline, double threshold) {
        if (!allFinite(p)) {
            return Double.NaN;
        }
        TaskInfo task = pipeline.task();
        if (task.kind() == TaskKind.REGRESSION) {
            double[] pred = new double[p.length];
            double[] actual = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                pred[i] = p[i][0];
                actual[i] = y[i][0];
            }
            double[] a = pipeline.targetEncoder().toOriginalUnits(actual);
            double[] b = pipeline.targetEncoder().toOriginalUnits(pred);
            return this == MAE ? Scores.mae(a, b) : Scores.rmse(a, b);
        }
        if (this == LOG_LOSS) {
            return p[0].length == 1 ? Scores.logLoss(column(y, 0), column(p, 0)) : Scores.crossEntropy(y, p);
        }
        if (task.kind() == TaskKind.BINARY) {
            int pos = task.positiveClass() < 0 ? 1 : task.positiveClass();
            double[] score = new double[p.length];
            double[] labels = new double[p.length];
            boolean[] positive = new boolean[p.length];
            for (int i = 0; i < p.length; i++) {
                score[i] = p[i].length == 1 ? p[i][0] : p[i][pos];
                positive[i] = (y[i].length == 1 ? y[i][0] : y[i][pos]) > 0.5;
                labels[i] = positive[i] ? 1 : 0;
            }
            return switch (this) {
                case AUC -> auc(score, positive);
                case PR_AUC -> Scores.averagePrecision(labels, score);
                case ACCURACY, F1 -> {
                    double t = Double.isNaN(threshold) ? bestThreshold(labels, score) : threshold;
                    yield this == F1 ? Scores.f1(labels, score, t) : Scores.accuracy(labels, score, t);
                }
                default -> throw new IllegalArgumentException("metric " + metric + " does not fit a binary task");
            };
        }
        // multiclass: most probable class
        int k = p[0].length;
        long[][] confusion = new long[k][k];
        for (int i = 0; i < p.length; i++) {
            confusion[argmax(y[i])][argmax(p[i])]++;
        }
        return switch (this) {
            case ACCURACY -> {
                long right = 0;
                for (int c = 0; c < k; c++) {
                    right += confusion[c][c];
                }
                yield right / (double) p.length;
            }
            case F1 -> {
                double f1 = 0;
                for (int c = 0; c < k; c++) {
                    long tp = confusion[c][c];
                    long predicted = 0;
                    long actual = 0;
                    for (int j = 0; j < k; j++) {
                        predicted += confusion[j][c];
                        actual += confusion[c][j];
                    }
                    f1 += predicted + actual == 0 ? 0 : 2.0 * tp / (predicted + actual);
                }
                yield f1 / k;
            }
            default -> throw new IllegalArgumentException("metric " + metric + " does not fit a multiclass task");
        };
    }

    /**
     * The decision threshold that maximises this threshold-dependent metric ({@code accuracy} or {@code f1}) of binary
     * labels: rows with {@code probability >= t} are predicted positive. The candidates are the midpoints between
     * consecutive distinct probabilities (and midpoints to 0 and 1 at the ends), so the threshold separates the same
     * rows however the scores move by less than half a gap; ties between candidates go to the one closest to 0.5.
     *
     * @param labels        {@code [n]} 0 or 1
     * @param probabilities {@code [n]} positive-class probabilities in [0, 1]
     * @return a threshold in (0, 1)
     * @throws IllegalStateException for a metric that does not depend on the threshold
     */
    public double bestThreshold(double[] labels, double[] probabilities) {
        if (!thresholdDependent()) {
            throw new IllegalStateException(metric + " does not depend on the decision threshold");
        }
        int n = labels.length;
        Integer[] idx = new Integer[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            idx[i] = i;
            positives += labels[i] > 0.5 ? 1 : 0;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
        // sweep from "nothing positive" (t above the largest score) down through each distinct score
        long tp = 0;
        long fp = 0;
        double bestValue = score(tp, fp, positives, n);
        double best = clampThreshold((1.0 + (n == 0 ? 1.0 : probabilities[idx[0]])) / 2);
        for (int i = 0; i < n; ) {
            double s = probabilities[idx[i]];
            int j = i;
            while (j < n && probabilities[idx[j]] == s) {
                if (labels[idx[j]] > 0.5) tp++;
                else fp++;
                j++;
            }
            double below = j < n ? probabilities[idx[j]] : 0.0;
            double t = clampThreshold((s + below) / 2);
            double v = score(tp, fp, positives, n);
            if (v > bestValue + 1e-12 || (Math.abs(v - bestValue) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
                bestValue = v;
                best = t;
            }
            i = j;
        }
        return best;
    }

    private double score(long tp, long fp, long positives, int n) {
        long fn = positives - tp;
        if (this == F1) {
            return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        long tn = n - positives - fp;
        return (tp + tn) / (double) n;
    }

    private static double clampThreshold(double t) {
        return Math.min(1 - 1e-9, Math.max(1e-9, t));
    }

    private static int argmax(double[] row) {
        return io.micromodels.train.Metrics.argmax(row);
    }

    private static double[] column(double[][] a, int c) {
        return io.micromodels.train.Metrics.column(a, c);
    }

    /**
     * Early stopping on this metric: a function from a network's outputs on {@code validation} ({@code [n][k]}) to
     * {@link #loss} of the metric (NaN when undefined, which stops training as a divergence would).
     *
     * @param threshold as in {@link #evaluate(double[][], double[][], FittedPipeline, double)}
     */
    public java.util.function.ToDoubleFunction<double[][]> selection(DataSet validation, FittedPipeline pipeline, double threshold) {
        double[][] y = validation.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        return p -> loss(evaluate(p, y, pipeline, threshold));
    }

    private static boolean allFinite(double[][] p) {
        for (double[] row : p) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Exact ROC AUC by ranks (Mann-Whitney), ties sharing their average rank.
     *
     * @param score    shape {@code [n]}: predicted score of the positive class
     * @param positive shape {@code [n]}: whether each row is positive
     * @return the AUC, or NaN when a class is absent or a score is not finite
     */
    static double auc(double[] score, boolean[] positive) {
        double[] labels = new double[score.length];
        boolean both = false;
        for (int i = 0; i < score.length; i++) {
            if (!Double.isFinite(score[i])) {
                return Double.NaN;
            }
            labels[i] = positive[i] ? 1 : 0;
            both |= positive[i] != positive[0];
        }
        return both ? Scores.auc(labels, score) : Double.NaN;
    }
}

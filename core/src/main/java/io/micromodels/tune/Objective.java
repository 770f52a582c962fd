package io.micromodels.tune;

import io.micromodels.data.FittedPipeline;
import io.micromodels.data.TaskInfo;
import io.micromodels.train.Scores;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a study optimises: a metric of the validation split, chosen by the kind of task.
 *
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
    /** Mean negative log-likelihood of the true class. */
    LOG_LOSS("log_loss", false),
    /** Root mean squared error in the target's units. */
    RMSE("rmse", false);

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

    /** @return the metric's name: {@code auc}, {@code log_loss} or {@code rmse} */
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
        INDArray out = net.output(data.getFeatures().castTo(DataType.FLOAT), false);
        double[][] p = out.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] y = data.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        TaskInfo task = pipeline.task();
        return switch (this) {
            case AUC -> {
                int pos = task.positiveClass() < 0 ? 1 : task.positiveClass();
                double[] score = new double[p.length];
                boolean[] positive = new boolean[p.length];
                for (int i = 0; i < p.length; i++) {
                    score[i] = p[i].length == 1 ? p[i][0] : p[i][pos];
                    positive[i] = (y[i].length == 1 ? y[i][0] : y[i][pos]) > 0.5;
                }
                yield auc(score, positive);
            }
            case LOG_LOSS -> allFinite(p) ? Scores.crossEntropy(y, p) : Double.NaN;
            case RMSE -> {
                double[] pred = new double[p.length];
                double[] actual = new double[p.length];
                for (int i = 0; i < p.length; i++) {
                    pred[i] = p[i][0];
                    actual[i] = y[i][0];
                }
                yield Scores.rmse(pipeline.toOriginalUnits(actual), pipeline.toOriginalUnits(pred));
            }
        };
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

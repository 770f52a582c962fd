package io.micromodels.train;

import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How a model is fitted for quality rather than for its loss alone: the metric early stopping and tuning watch, class
 * weights, the positive class, the decision threshold and probability calibration. Immutable, validated, and
 * round-trips through JSON (inside a study's options). The CLI flags {@code --metric}, {@code --class-weight},
 * {@code --positive-class}, {@code --threshold}, {@code --calibrate} fill it.
 *
 * <pre>{@code
 * QualityOptions q = QualityOptions.defaults().withMetric("f1").withClassWeight(ClassWeight.BALANCED);
 * TrainedModel m = TrainedModel.train(data, spec, "credit.csv", q);
 * }</pre>
 *
 * @param metric        a metric name that fits the task ({@link Objective}), or "" for the task's default (then early
 *                      stopping watches the validation loss, as without these options)
 * @param classWeight   {@code none} or {@code balanced} (classification only)
 * @param positiveClass the positive class label of a binary task, or "" for the data pipeline's choice
 * @param threshold     {@code auto} (binary: the validation threshold that maximises a threshold-dependent metric,
 *                      {@code f1} or {@code accuracy}; 0.5 for the others) or a number in (0, 1)
 * @param calibration   {@code none} or {@code platt} (binary only: Platt scaling fitted on the validation split)
 */
public record QualityOptions(String metric, ClassWeight classWeight, String positiveClass, String threshold,
                             String calibration) {

    /** The automatic threshold. */
    public static final String AUTO = "auto";

    /** Validates every field; messages name the field, the allowed values and the value. */
    public QualityOptions {
        if (metric == null) {
            throw new IllegalArgumentException("metric must be a metric name or \"\", got null");
        }
        if (!metric.isEmpty()) {
            Objective.parse(metric);
        }
        if (classWeight == null) {
            throw new IllegalArgumentException("classWeight must be one of [none, balanced], got null");
        }
        if (positiveClass == null || (!positiveClass.isEmpty() && positiveClass.isBlank())) {
            throw new IllegalArgumentException("positiveClass must be a class label or \"\", got '" + positiveClass + "'");
        }
        if (threshold == null) {
            throw new IllegalArgumentException("threshold must be auto or a number in (0, 1), got null");
        }
        if (!threshold.equals(AUTO)) {
            double t;
            try {
                t = Double.parseDouble(threshold);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("threshold must be auto or a number in (0, 1), got '" + threshold + "'");
            }
            if (!(t > 0 && t < 1)) {
                throw new IllegalArgumentException("threshold must be auto or a number in (0, 1), got " + threshold);
            }
        }
        if (!"none".equals(calibration) && !"platt".equals(calibration)) {
            throw new IllegalArgumentException("calibration must be one of [none, platt], got '" + calibration + "'");
        }
    }

    /** Task-default metric, no class weights, the pipeline's positive class, automatic threshold, no calibration. */
    public static QualityOptions defaults() {
        return new QualityOptions("", ClassWeight.NONE, "", AUTO, "none");
    }

    /** @return a copy with another metric ("" = the task's default) */
    public QualityOptions withMetric(String value) {
        return new QualityOptions(value, classWeight, positiveClass, threshold, calibration);
    }

    /** @return a copy with other class weights */
    public QualityOptions withClassWeight(ClassWeight value) {
        return new QualityOptions(metric, value, positiveClass, threshold, calibration);
    }

    /** @return a copy with another positive class ("" = the pipeline's choice) */
    public QualityOptions withPositiveClass(String value) {
        return new QualityOptions(metric, classWeight, value, threshold, calibration);
    }

    /** @return a copy with another threshold ({@code auto} or a number in (0, 1)) */
    public QualityOptions withThreshold(String value) {
        return new QualityOptions(metric, classWeight, positiveClass, value, calibration);
    }

    /** @return a copy with another calibration ({@code none} or {@code platt}) */
    public QualityOptions withCalibration(String value) {
        return new QualityOptions(metric, classWeight, positiveClass, threshold, value);
    }

    /** The fixed threshold, or empty for {@code auto}. */
    public OptionalDouble fixedThreshold() {
        return threshold.equals(AUTO) ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(threshold));
    }

    /** Whether Platt calibration is asked for. */
    public boolean platt() {
        return calibration.equals("platt");
    }

    /**
     * The objective for a task, after checking that every option fits it.
     *
     * @throws IllegalArgumentException naming the option and the task when one does not fit
     */
    public Objective objective(TaskInfo task) {
        Objective o = Objective.forTask(task, metric);
        String kind = task.kind().jsonName();
        if (task.kind() == TaskKind.REGRESSION && classWeight != ClassWeight.NONE) {
            throw new IllegalArgumentException("classWeight " + classWeight.flagName() + " needs a classification task, got "
                    + kind + " target '" + task.target() + "'");
        }
        if (task.kind() != TaskKind.BINARY && (fixedThreshold().isPresent() || platt())) {
            throw new IllegalArgumentException((platt() ? "calibration platt" : "threshold " + threshold)
                    + " needs a binary task, got " + kind + " target '" + task.target() + "'");
        }
        if (task.kind() != TaskKind.BINARY && !positiveClass.isEmpty()) {
            throw new IllegalArgumentException("positiveClass needs a binary task, got " + kind + " target '" + task.target() + "'");
        }
        return o;
    }

    /** Whether the metric was chosen (not the task's default): then early stopping watches it. */
    public boolean metricChosen() {
        return !metric.isEmpty();
    }
}

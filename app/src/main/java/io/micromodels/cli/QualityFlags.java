package io.micromodels.cli;

import io.micromodels.data.TaskInfo;
import io.micromodels.train.ClassWeight;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.Objective;
import picocli.CommandLine.Option;

/**
 * The quality flags shared by {@code train} and {@code tune} (a picocli mixin): {@code --metric},
 * {@code --class-weight}, {@code --positive-class}, {@code --threshold}, {@code --calibrate}. {@link #options()} turns
 * them into a validated {@link QualityOptions}; errors name the flag, the allowed values and the value.
 */
final class QualityFlags {

    @Option(names = "--metric", paramLabel = "auc|pr_auc|log_loss|accuracy|f1|rmse|mae",
            description = "Metric that early stopping, tuning and the threshold optimise (default: auc for binary, log_loss for multiclass, rmse for regression; then early stopping watches the validation loss).")
    String metric;

    @Option(names = "--class-weight", paramLabel = "none|balanced",
            description = "Class weights in the loss: balanced = n / (k * count of the class), as scikit-learn (default none).")
    String classWeight;

    @Option(names = "--positive-class", paramLabel = "LABEL", description = "The positive class of a binary target (default: inferred).")
    String positiveClass;

    @Option(names = "--threshold", paramLabel = "auto|P",
            description = "Binary decision threshold in (0, 1), or auto: chosen on validation to maximise --metric when it is f1 or accuracy, else 0.5 (default auto).")
    String threshold;

    @Option(names = "--calibrate", paramLabel = "none|platt",
            description = "Probability calibration fitted on validation (binary): platt = Platt scaling (default none).")
    String calibrate;

    /** Whether any quality flag was given. */
    boolean given() {
        return metric != null || classWeight != null || positiveClass != null || threshold != null || calibrate != null;
    }

    /**
     * @return the validated options (defaults for flags not given)
     * @throws CliException naming the flag, the allowed values and the value
     */
    QualityOptions options() {
        QualityOptions q = QualityOptions.defaults();
        if (metric != null) {
            try {
                Objective.parse(metric);
            } catch (IllegalArgumentException e) {
                throw new CliException("--" + e.getMessage());
            }
            q = q.withMetric(metric);
        }
        if (classWeight != null) {
            try {
                q = q.withClassWeight(ClassWeight.parse(classWeight));
            } catch (IllegalArgumentException e) {
                throw new CliException("--class-weight must be one of [none, balanced], got '" + classWeight + "'");
            }
        }
        if (positiveClass != null) {
            if (positiveClass.isBlank()) {
                throw new CliException("--positive-class must be a class label, got '" + positiveClass + "'");
            }
            q = q.withPositiveClass(positiveClass);
        }
        if (threshold != null) {
            try {
                q = q.withThreshold(threshold);
            } catch (IllegalArgumentException e) {
                throw new CliException("--" + e.getMessage());
            }
        }
        if (calibrate != null) {
            try {
                q = q.withCalibration(calibrate);
            } catch (IllegalArgumentException e) {
                throw new CliException("--calibrate must be one of [none, platt], got '" + calibrate + "'");
            }
        }
        return q;
    }

    /**
     * Checks the options against the prepared task.
     *
     * @throws CliException naming the flag that does not fit the task
     */
    static void check(QualityOptions q, TaskInfo task) {
        try {
            q.objective(task);
        } catch (IllegalArgumentException e) {
            throw new CliException(flagged(e.getMessage()));
        }
    }

    /** Rewrites a QualityOptions message's field name as the flag. */
    static String flagged(String message) {
        String[][] names = {{"metric ", "--metric "}, {"classWeight ", "--class-weight "}, {"threshold ", "--threshold "},
                {"calibration ", "--calibrate "}, {"positiveClass ", "--positive-class "}};
        for (String[] n : names) {
            if (message.startsWith(n[0])) {
                return n[1] + message.substring(n[0].length());
            }
        }
        return message;
    }
}

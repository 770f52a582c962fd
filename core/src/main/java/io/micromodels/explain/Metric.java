package io.micromodels.explain;

import io.micromodels.train.Scores;

/**
 * A named score of predictions against targets and which way is better; the unit of permutation
 * importance. The extension point is {@link Scorer}, a pure function.
 *
 * @param name      display name, e.g. "AUC"
 * @param direction whether a higher or a lower score is better
 * @param scorer    the score itself
 */
public record Metric(String name, Direction direction, Scorer scorer) {

    /** Which way a score is better. */
    public enum Direction { HIGHER_IS_BETTER, LOWER_IS_BETTER }

    /** A score of predictions (shape [n]) against targets (shape [n]). */
    @FunctionalInterface
    public interface Scorer {
        double score(double[] actual, double[] predicted);
    }

    /** Validates the fields. */
    public Metric {
        Check.notNull("name", name);
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        Check.notNull("direction", direction);
        Check.notNull("scorer", scorer);
    }

    /** Scores predictions (shape [n]) against targets (shape [n]). */
    public double score(double[] actual, double[] predicted) {
        return scorer.score(actual, predicted);
    }

    /**
     * How much worse {@code degraded} is than {@code baseline}, positive when worse whichever the
     * direction: {@code baseline - degraded} if higher is better, {@code degraded - baseline} if lower is.
     */
    public double loss(double baseline, double degraded) {
        return direction == Direction.HIGHER_IS_BETTER ? baseline - degraded : degraded - baseline;
    }

    /** ROC AUC of binary labels against the model output; higher is better. */
    public static Metric auc() {
        return new Metric("AUC", Direction.HIGHER_IS_BETTER, Scores::auc);
    }

    /** Accuracy of binary labels against output &ge; 0.5; higher is better. */
    public static Metric accuracy() {
        return new Metric("accuracy", Direction.HIGHER_IS_BETTER, (y, p) -> Scores.accuracy(y, p, 0.5));
    }

    /**
     * Multiclass accuracy: the share of rows whose predicted class index (the model output, e.g. the
     * most probable class) equals the actual class index; higher is better.
     */
    public static Metric classAccuracy() {
        return new Metric("accuracy", Direction.HIGHER_IS_BETTER, Scores::classAccuracy);
    }

    /** Binary log loss of labels against output probabilities; lower is better. */
    public static Metric logLoss() {
        return new Metric("log loss", Direction.LOWER_IS_BETTER, Scores::logLoss);
    }

    /** Root mean squared error; lower is better. */
    public static Metric rmse() {
        return new Metric("RMSE", Direction.LOWER_IS_BETTER, Scores::rmse);
    }
}

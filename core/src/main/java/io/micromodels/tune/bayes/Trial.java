package io.micromodels.tune.bayes;

import java.util.Arrays;
import java.util.Objects;

/**
 * One evaluated (or running) point of a search: its encoding in the unit cube, its score and its
 * status. Scores are <b>minimised</b>: a caller maximising a metric (AUC, accuracy) passes its
 * negation.
 *
 * <p>A trial whose status is {@link Status#FAILED}, or whose score is not finite (NaN from a
 * diverged training run, or an infinity), counts as failed: the optimiser imputes the worst finite
 * score observed so far at its point (see {@link BayesianOptimizer}), which steers later proposals
 * away from regions where trials fail. A {@link Status#RUNNING} trial has no score yet; the
 * optimiser avoids proposing its point again.
 *
 * @param point  shape {@code [d]}: the encoded point, every value in {@code [0,1]} (see
 *               {@link Dimension}); copied on the way in and out
 * @param score  the objective value (lower is better); ignored unless the status is COMPLETE
 * @param status the trial's status, never null
 */
public record Trial(double[] point, double score, Status status) {

    /** Where a trial is in its life. */
    public enum Status {
        /** Finished with a score (a non-finite score still counts as a failure). */
        COMPLETE,
        /** Crashed or diverged; has no usable score. */
        FAILED,
        /** Still being evaluated. */
        RUNNING
    }

    /** Validates the fields and copies {@code point}; see the class Javadoc. */
    public Trial {
        Objects.requireNonNull(point, "point must not be null");
        Objects.requireNonNull(status, "status must not be null");
        if (point.length == 0) {
            throw new IllegalArgumentException("point.length must be >= 1, got 0");
        }
        point = point.clone();
        for (int i = 0; i < point.length; i++) {
            if (!(point[i] >= 0.0 && point[i] <= 1.0)) {
                throw new IllegalArgumentException(
                        "point[" + i + "] must be in [0, 1], got " + point[i]);
            }
        }
    }

    /**
     * @param point shape {@code [d]}: the encoded point
     * @param score the objective value (lower is better); NaN or infinite marks a failure
     * @return a finished trial, FAILED if the score is not finite
     */
    public static Trial of(double[] point, double score) {
        return new Trial(point, score, Double.isFinite(score) ? Status.COMPLETE : Status.FAILED);
    }

    /**
     * @param point shape {@code [d]}: the encoded point
     * @return a failed trial (score NaN)
     */
    public static Trial failed(double[] point) {
        return new Trial(point, Double.NaN, Status.FAILED);
    }

    /**
     * @param point shape {@code [d]}: the encoded point
     * @return a trial still being evaluated (score NaN)
     */
    public static Trial running(double[] point) {
        return new Trial(point, Double.NaN, Status.RUNNING);
    }

    /** @return shape {@code [d]}: a copy of the encoded point */
    @Override
    public double[] point() {
        return point.clone();
    }

    /** @return whether this trial counts as a failure (FAILED, or COMPLETE with a non-finite score) */
    public boolean isFailure() {
        return status == Status.FAILED || (status == Status.COMPLETE && !Double.isFinite(score));
    }

    /** @return the number of coordinates {@code d} */
    public int dimensions() {
        return point.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trial t && Arrays.equals(point, t.point)
                && Double.compare(score, t.score) == 0 && status == t.status;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(point) + Double.hashCode(score)) + status.hashCode();
    }

    @Override
    public String toString() {
        return "Trial[point=" + Arrays.toString(point) + ", score=" + score + ", status=" + status + "]";
    }
}

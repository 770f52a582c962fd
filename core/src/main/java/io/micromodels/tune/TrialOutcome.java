package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.spec.MicromodelSpec;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What a {@link TrialExecutor} reports for one candidate: how training ended and the validation
 * score. The study adds the trial's number, id and point and writes a {@link TrialRecord}.
 *
 * @param spec       the candidate that was trained
 * @param status     how it ended
 * @param score      the validation metric (see {@link Objective}); NaN when there is none
 * @param metric     the metric's name, e.g. {@code auc}
 * @param epochs     epochs run, {@code >= 0}
 * @param bestEpoch  1-based epoch whose parameters were kept, 0 if none, {@code <= epochs}
 * @param fitSeconds seconds of the training loop itself (the epochs), {@code >= 0}
 * @param seconds    seconds of the whole trial as the executor saw it (network construction,
 *                   training, scoring), {@code >= fitSeconds} for a sequential trial
 * @param failure    why the trial failed or diverged; empty for a complete trial
 * @param network    the trained network with its best epoch's parameters, for the study to keep if
 *                   this is the best trial; null when not kept (failed trials, or executors that
 *                   do not return networks: the study then retrains the best spec)
 * @param foldScores shape {@code [K]}: each fold's validation metric under cross-validation ({@code score} is their
 *                   mean, {@code bestEpoch} the rounded mean of the folds' best epochs); empty without
 */
public record TrialOutcome(MicromodelSpec spec, TrialStatus status, double score, String metric, int epochs,
                           int bestEpoch, double fitSeconds, double seconds, String failure, MultiLayerNetwork network,
                           double[] foldScores) {

    /** An outcome without cross-validation. */
    public TrialOutcome(MicromodelSpec spec, TrialStatus status, double score, String metric, int epochs,
                        int bestEpoch, double fitSeconds, double seconds, String failure, MultiLayerNetwork network) {
        this(spec, status, score, metric, epochs, bestEpoch, fitSeconds, seconds, failure, network, new double[0]);
    }

    /** @return the folds' sample standard deviation (n - 1), NaN with fewer than two folds */
    public double scoreSd() {
        return sd(foldScores);
    }

    static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    /** Validates the fields. */
    public TrialOutcome {
        Objects.requireNonNull(spec, "spec must not be null");
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(metric, "metric must not be null");
        Objects.requireNonNull(failure, "failure must not be null (empty when none)");
        foldScores = Objects.requireNonNull(foldScores, "foldScores must not be null").clone();
        if ((status == TrialStatus.COMPLETE || status == TrialStatus.PARTIAL) && !Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite for a " + status + " trial, got " + score);
        }
        if (epochs < 0 || bestEpoch < 0 || bestEpoch > epochs) {
            throw new IllegalArgumentException("bestEpoch must be in [0, epochs = " + epochs + "], got " + bestEpoch);
        }
        if (!(fitSeconds >= 0) || !(seconds >= 0)) {
            throw new IllegalArgumentException("fitSeconds and seconds must be >= 0, got " + fitSeconds + ", " + seconds);
        }
    }

    /**
     * @param spec    the candidate
     * @param metric  the metric's name
     * @param failure why it failed
     * @param seconds seconds spent
     * @return a failed outcome with no score
     */
    public static TrialOutcome failed(MicromodelSpec spec, String metric, String failure, double seconds) {
        return new TrialOutcome(spec, TrialStatus.FAILED, Double.NaN, metric, 0, 0, 0, seconds, failure, null);
    }

    /** @return a copy without the network (so it can be collected) */
    public TrialOutcome withoutNetwork() {
        return new TrialOutcome(spec, status, score, metric, epochs, bestEpoch, fitSeconds, seconds, failure, null, foldScores);
    }
}

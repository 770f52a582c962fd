package io.micromodels.tune;

import io.micromodels.data.Normalization;
import io.micromodels.json.StrictJson;
import io.micromodels.spec.MicromodelSpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * One trial of a study from proposal to record: the one representation samplers read, storages keep and listeners
 * see. A trial is {@link TrialStatus#RUNNING} from the moment a {@link Storage} claims its number ({@link
 * #running}) until the study tells its outcome ({@link #finish}); a finished trial is one line of {@code
 * trials.jsonl}. Round-trips exactly through JSON ({@link #toJsonLine()}, {@link #fromJson(String)}; unknown or
 * missing keys are errors). A failed or running trial's score is NaN, written as the JSON string {@code "NaN"}.
 *
 * @param id         unique id: the study's id, a dash and the number ({@code 3f9c1a2b-0007})
 * @param number     1-based, in the order trials were claimed (proposed); unique in a study, a resumed study
 *                   continues after the highest (a trial lost in flight leaves its number unused)
 * @param point      shape {@code [d]}: the candidate's point of the unit cube as the sampler proposed it (the
 *                   {@code MicromodelSpace}'s coordinates, decoded by its Arbiter leaves), each in {@code [0,1]}
 * @param spec       the candidate that was trained (its decoded hyperparameters)
 * @param seed       the seed it was trained with ({@code spec.seed()}: initialisation, dropout and batch order,
 *                   forked from the study's seed, {@code Seeds.fork(seed, INIT)}: the same for every trial of a study)
 * @param score      validation metric, NaN when there is none
 * @param metric     the metric's name ({@code auc}, {@code log_loss} or {@code rmse})
 * @param epochs     epochs run
 * @param bestEpoch  1-based epoch kept (0 if none)
 * @param fitSeconds seconds of the training loop
 * @param seconds    seconds of the whole trial (construction, training, scoring)
 * @param status     how it ended
 * @param failure    why it failed or diverged; empty for a complete trial
 * @param foldScores shape {@code [K]}: with cross-validation ({@code tune --cv K}), each fold's validation metric
 *                   ({@code score} is their mean); empty without
 * @param scoreSd    the folds' sample standard deviation (n - 1), NaN without cross-validation
 * @param values     shape {@code [m]}: in a multi-objective study ({@link StudyOptions#objectives()}), each objective's
 *                   value in the objectives' order, as measured (not negated: an AUC is an AUC, a latency ns per row;
 *                   {@link SearchObjective#loss} gives the minimised form); NaN where there is none (every value of a
 *                   failed trial). Empty in a single-objective study (the {@code score} is its one value) and while
 *                   running; absent from journal lines written before objectives were (read as empty)
 * @param rungScores shape {@code [r]}: with successive halving ({@link Halving}), the validation metric at each rung
 *                   the trial reached, in rung order (a {@link TrialStatus#PARTIAL} trial's last one is its score);
 *                   empty without halving and while running; absent from journal lines written before halving was
 *                   (read as empty)
 * @param normalization the encoding of numeric features the trial trained on (the study's data options' one, or the
 *                   one its point chose when the space searches {@link io.micromodels.tune.space.SpaceConfig#normalizations()});
 *                   null only for trials recorded before encodings were (their study's data options' encoding), then
 *                   left out of the JSON line
 */
public record TrialRecord(String id, int number, double[] point, MicromodelSpec spec, long seed, double score,
                          String metric, int epochs, int bestEpoch, double fitSeconds, double seconds,
                          TrialStatus status, String failure, double[] foldScores, double scoreSd, double[] values,
                          double[] rungScores,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                          Normalization normalization) {

    /** A record without its encoding (recorded before encodings were). */
    public TrialRecord(String id, int number, double[] point, MicromodelSpec spec, long seed, double score,
                       String metric, int epochs, int bestEpoch, double fitSeconds, double seconds,
                       TrialStatus status, String failure, double[] foldScores, double scoreSd, double[] values,
                       double[] rungScores) {
        this(id, number, point, spec, seed, score, metric, epochs, bestEpoch, fitSeconds, seconds, status, failure,
                foldScores, scoreSd, values, rungScores, null);
    }

    /** A record without rung scores (no successive halving). */
    public TrialRecord(String id, int number, double[] point, MicromodelSpec spec, long seed, double score,
                       String metric, int epochs, int bestEpoch, double fitSeconds, double seconds,
                       TrialStatus status, String failure, double[] foldScores, double scoreSd, double[] values) {
        this(id, number, point, spec, seed, score, metric, epochs, bestEpoch, fitSeconds, seconds, status, failure,
                foldScores, scoreSd, values, new double[0]);
    }

    /** A record of a single-objective trial (no {@code values}). */
    public TrialRecord(String id, int number, double[] point, MicromodelSpec spec, long seed, double score,
                       String metric, int epochs, int bestEpoch, double fitSeconds, double seconds,
                       TrialStatus status, String failure, double[] foldScores, double scoreSd) {
        this(id, number, point, spec, seed, score, metric, epochs, bestEpoch, fitSeconds, seconds, status, failure,
                foldScores, scoreSd, new double[0]);
    }

    /** A record of a trial without cross-validation. */
    public TrialRecord(String id, int number, double[] point, MicromodelSpec spec, long seed, double score,
                       String metric, int epochs, int bestEpoch, double fitSeconds, double seconds,
                       TrialStatus status, String failure) {
        this(id, number, point, spec, seed, score, metric, epochs, bestEpoch, fitSeconds, seconds, status, failure,
                new double[0], Double.NaN);
    }

    /** Validates the fields and copies the point. */
    public TrialRecord {
        Objects.requireNonNull(foldScores, "foldScores must not be null (empty without cross-validation)");
        foldScores = foldScores.clone();
        Objects.requireNonNull(values, "values must not be null (empty in a single-objective study)");
        values = values.clone();
        Objects.requireNonNull(rungScores, "rungScores must not be null (empty without successive halving)");
        rungScores = rungScores.clone();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must be a non-empty string, got " + (id == null ? "null" : "'" + id + "'"));
        }
        if (number < 1) {
            throw new IllegalArgumentException("number must be >= 1, got " + number);
        }
        Objects.requireNonNull(point, "point must not be null");
        point = point.clone();
        for (int i = 0; i < point.length; i++) {
            if (!(point[i] >= 0 && point[i] <= 1)) {
                throw new IllegalArgumentException("point[" + i + "] must be in [0, 1], got " + point[i]);
            }
        }
        Objects.requireNonNull(spec, "spec must not be null");
        Objects.requireNonNull(metric, "metric must not be null");
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(failure, "failure must not be null (empty when none)");
        if ((status == TrialStatus.COMPLETE || status == TrialStatus.PARTIAL) && !Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite for a " + status + " trial, got " + score);
        }
        if (status == TrialStatus.RUNNING && (!Double.isNaN(score) || epochs != 0 || !failure.isEmpty() || values.length > 0)) {
            throw new IllegalArgumentException("a RUNNING trial has no score, values, epochs or failure yet, got score " + score
                    + ", values " + Arrays.toString(values) + ", epochs " + epochs + ", failure '" + failure + "'");
        }
        if (epochs < 0 || bestEpoch < 0 || bestEpoch > epochs) {
            throw new IllegalArgumentException("bestEpoch must be in [0, epochs = " + epochs + "], got " + bestEpoch);
        }
        if (!(fitSeconds >= 0) || !(seconds >= 0)) {
            throw new IllegalArgumentException("fitSeconds and seconds must be >= 0, got " + fitSeconds + ", " + seconds);
        }
    }

    /** @return shape {@code [d]}: a copy of the point */
    @Override
    public double[] point() {
        return point.clone();
    }

    /** @return shape {@code [K]}: a copy of the per-fold scores (empty without cross-validation) */
    @Override
    public double[] foldScores() {
        return foldScores.clone();
    }

    /** @return shape {@code [m]}: a copy of the objectives' values (empty in a single-objective study) */
    @Override
    public double[] values() {
        return values.clone();
    }

    /**
     * @param v shape {@code [m]}: each objective's value
     * @return this finished record with these objective values
     */
    public TrialRecord withValues(double[] v) {
        if (status == TrialStatus.RUNNING) {
            throw new IllegalStateException("trial " + number + " is running: it has no objective values yet");
        }
        return new TrialRecord(id, number, point, spec, seed, score, metric, epochs, bestEpoch, fitSeconds, seconds, status,
                failure, foldScores, scoreSd, v, rungScores, normalization);
    }

    /** @return shape {@code [r]}: a copy of the scores at the rungs reached (empty without successive halving) */
    @Override
    public double[] rungScores() {
        return rungScores.clone();
    }

    /**
     * @param v shape {@code [r]}: the validation metric at each rung reached
     * @return this finished record with these rung scores
     */
    public TrialRecord withRungScores(double[] v) {
        if (status == TrialStatus.RUNNING) {
            throw new IllegalStateException("trial " + number + " is running: its rung scores are told with its outcome");
        }
        return new TrialRecord(id, number, point, spec, seed, score, metric, epochs, bestEpoch, fitSeconds, seconds, status,
                failure, foldScores, scoreSd, values, v, normalization);
    }

    /**
     * A trial just claimed: no score yet.
     *
     * @param id     the study's id, a dash and the number
     * @param number the claimed number, {@code >= 1}
     * @param point  shape {@code [d]}: the proposed point
     * @param spec   the decoded candidate (its seed is the trial's)
     * @param metric the study's metric name
     * @return the {@link TrialStatus#RUNNING} record
     */
    public static TrialRecord running(String id, int number, double[] point, MicromodelSpec spec, String metric) {
        return running(id, number, point, spec, metric, null);
    }

    /**
     * A trial just claimed, training on one encoding of numeric features.
     *
     * @param normalization the encoding its spec's inputs are the width of (null: not recorded)
     * @return the {@link TrialStatus#RUNNING} record
     */
    public static TrialRecord running(String id, int number, double[] point, MicromodelSpec spec, String metric,
                                      Normalization normalization) {
        return new TrialRecord(id, number, point, spec, spec.seed(), Double.NaN, metric, 0, 0, 0, 0, TrialStatus.RUNNING, "",
                new double[0], Double.NaN, new double[0], new double[0], normalization);
    }

    /**
     * This running trial with its outcome.
     *
     * @param o what the executor reported (its spec must be this trial's)
     * @return the finished record, same id, number, point and seed
     */
    public TrialRecord finish(TrialOutcome o) {
        if (status != TrialStatus.RUNNING) {
            throw new IllegalStateException("trial " + number + " already finished (" + status + ")");
        }
        return new TrialRecord(id, number, point, o.spec(), seed, o.score(), o.metric(), o.epochs(), o.bestEpoch(),
                o.fitSeconds(), o.seconds(), o.status(), o.failure(), o.foldScores(), o.scoreSd(), new double[0], new double[0],
                normalization);
    }

    /** @return whether the trial has ended (any state but {@link TrialStatus#RUNNING}) */
    public boolean finished() {
        return status.finished();
    }

    /** @return whether the trial completed with a score */
    public boolean complete() {
        return status == TrialStatus.COMPLETE;
    }

    /** @return this record as one line of JSON (no line break) */
    public String toJsonLine() {
        return StrictJson.writeLine(this);
    }

    /**
     * @param json one line of {@code trials.jsonl} (a line without {@code values} or {@code rungScores}, written before
     *             objectives or halving were, is read with them empty, and one without {@code normalization}, written
     *             before encodings were recorded, with it null; every other key is required)
     * @return the record
     * @throws IllegalArgumentException naming an unknown or missing key or an invalid value
     */
    public static TrialRecord fromJson(String json) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = StrictJson.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return StrictJson.read(json, TrialRecord.class, "trial");
        }
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.has("normalization")) {
            if (!o.has("values")) {
                o.putArray("values"); // a line written before objectives were: single-objective
            }
            if (!o.has("rungScores")) {
                o.putArray("rungScores"); // a line written before successive halving was
            }
            o.putNull("normalization"); // a line written before encodings were recorded
            return StrictJson.readNullable(o.toString(), TrialRecord.class, "trial");
        }
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o && (!o.has("values") || !o.has("rungScores"))) {
            if (!o.has("values")) {
                o.putArray("values"); // a line written before objectives were: single-objective
            }
            if (!o.has("rungScores")) {
                o.putArray("rungScores"); // a line written before successive halving was
            }
            return StrictJson.read(o.toString(), TrialRecord.class, "trial");
        }
        return StrictJson.read(json, TrialRecord.class, "trial");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrialRecord t && id.equals(t.id) && number == t.number && Arrays.equals(point, t.point)
                && spec.equals(t.spec) && seed == t.seed && Double.compare(score, t.score) == 0 && metric.equals(t.metric)
                && epochs == t.epochs && bestEpoch == t.bestEpoch && Double.compare(fitSeconds, t.fitSeconds) == 0
                && Double.compare(seconds, t.seconds) == 0 && status == t.status && failure.equals(t.failure)
                && Arrays.equals(foldScores, t.foldScores) && Double.compare(scoreSd, t.scoreSd) == 0
                && Arrays.equals(values, t.values) && Arrays.equals(rungScores, t.rungScores)
                && normalization == t.normalization;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, number, Arrays.hashCode(point), spec, seed, score, metric, epochs, bestEpoch, status);
    }

    @Override
    public String toString() {
        return toJsonLine();
    }
}

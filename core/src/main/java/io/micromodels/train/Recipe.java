package io.micromodels.train;

import io.micromodels.data.DataOptions;
import io.micromodels.seed.Seeds;
import io.micromodels.spec.MicromodelSpec;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * How a saved model was trained, beyond its spec: with the CSV it was trained on (same SHA-256), enough to train it
 * again bit-for-bit on the same CPU kernels ({@code io.micromodels.io.Retrain}). Part of {@link Provenance}.
 *
 * <p>One root seed drives a training: the spec's seed. Weight initialisation, minibatch order and dropout masks use
 * its forks ({@link Seeds#INIT}, {@link Seeds#BATCH_ORDER}, {@link Seeds#DROPOUT}); the split uses the data options'
 * seed, which {@code micromodels train} sets to the root seed itself (as {@code tune} does, so that models trained and
 * tuned on one seed share their test rows). {@code seeds} lists the values used, so a reader need not recompute them.
 *
 * @param trainer  how the networks were trained: {@value #SINGLE} ({@link TrainedModel#train}), {@value #ENSEMBLE}
 *                 ({@code population.Ensemble.train}), {@value #ASSEMBLED} (networks trained elsewhere, e.g. a
 *                 study's trials, then assembled: not retrainable from this recipe alone) or {@value #SPARK} (one
 *                 network trained data-parallel on Spark with parameter averaging, {@code spark.train.SparkTraining}:
 *                 the provenance's backend names the master; not bit-for-bit retrainable, the split of the work
 *                 between executors varies)
 * @param rootSeed the root seed (the spec's seed)
 * @param seeds    purpose to the seed used for it: {@code split}, {@code init}, {@code batch-order}, {@code dropout}
 * @param data     the data options the CSV was prepared with: target, task, separator, dropped columns, time column,
 *                 column kinds, date-time patterns, missing-value policy and indicators, normalisation, split fractions,
 *                 feature selection, positive class, split seed, bad-cell policy, duplicate rows kept or dropped, split file
 * @param quality  the quality options (metric, class weights, threshold, calibration)
 * @param members  networks in the model: 1, or the ensemble's size
 */
public record Recipe(String trainer, long rootSeed, LinkedHashMap<String, Long> seeds, DataOptions data,
                     QualityOptions quality, int members) {
    /** One network, {@link TrainedModel#train}. */
    public static final String SINGLE = "single";
    /** An ensemble trained as one population, {@code population.Ensemble.train}. */
    public static final String ENSEMBLE = "ensemble";
    /** Networks trained elsewhere and assembled ({@link TrainedModel#assemble}). */
    public static final String ASSEMBLED = "assembled";
    /** One network trained on Spark with DL4J's parameter averaging ({@code io.micromodels.spark.train}). */
    public static final String SPARK = "spark";

    /** Validates every field. */
    public Recipe {
        if (!SINGLE.equals(trainer) && !ENSEMBLE.equals(trainer) && !ASSEMBLED.equals(trainer) && !SPARK.equals(trainer)) {
            throw new IllegalArgumentException("trainer must be one of [" + SINGLE + ", " + ENSEMBLE + ", " + ASSEMBLED
                    + ", " + SPARK + "], got " + trainer);
        }
        if (seeds == null || data == null || quality == null) {
            throw new IllegalArgumentException("seeds, data and quality must be given, got " + (seeds == null ? "seeds" : data == null ? "data" : "quality") + " = null");
        }
        if (members < 1 || members > 64) {
            throw new IllegalArgumentException("members must be in [1, 64], got " + members);
        }
        seeds = new LinkedHashMap<>(seeds);
    }

    /** The recipe of a training of {@code spec} on data prepared with {@code data}. */
    public static Recipe of(String trainer, MicromodelSpec spec, DataOptions data, QualityOptions quality, int members) {
        LinkedHashMap<String, Long> seeds = new LinkedHashMap<>();
        seeds.put(Seeds.SPLIT, data.seed());
        seeds.put(Seeds.INIT, Seeds.fork(spec.seed(), Seeds.INIT));
        seeds.put(Seeds.BATCH_ORDER, Seeds.fork(spec.seed(), Seeds.BATCH_ORDER));
        seeds.put(Seeds.DROPOUT, Seeds.fork(spec.seed(), Seeds.DROPOUT));
        return new Recipe(trainer, spec.seed(), seeds, data, quality, members);
    }

    /** One line for people. */
    public String summary() {
        return String.format(Locale.ROOT, "%s, root seed %d (split seed %d), %d member%s", trainer, rootSeed,
                seeds.getOrDefault(Seeds.SPLIT, data.seed()), members, members == 1 ? "" : "s");
    }
}

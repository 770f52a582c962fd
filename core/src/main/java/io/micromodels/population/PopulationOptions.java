package io.micromodels.population;

/**
 * How {@link Population#fit} trains a population. Immutable; validated on construction.
 *
 * <pre>{@code
 * PopulationOptions options = PopulationOptions.defaults(7).withCompactionThreshold(0.25);
 * }</pre>
 *
 * @param batchOrderSeed      root seed of the one minibatch order all members share (a {@link java.util.SplittableRandom}
 *                            on its {@code Seeds.BATCH_ORDER} fork
 *                            shuffles the rows each epoch exactly as {@link io.micromodels.train.Trainer} does, so a
 *                            member whose spec seed equals this sees the same minibatches as under the Trainer)
 * @param compactionThreshold in [0, 1]: when the share of slots still training falls to or below it, the stopped
 *                            members are dropped and the population is rebuilt smaller (narrower too, if the widest
 *                            members stopped); 0 never compacts, 1 compacts as soon as one member stops
 * @param recordTrainingLoss  whether to compute each minibatch's score (data loss + L1/L2 penalty, as DL4J's
 *                            {@code score()}) for the epoch reports' training loss; costs a few ops per step; when
 *                            false the reports carry NaN and divergence is judged on validation loss alone
 */
public record PopulationOptions(long batchOrderSeed, double compactionThreshold, boolean recordTrainingLoss) {

    /** Default share of still-training slots at which the population is compacted. */
    public static final double DEFAULT_COMPACTION_THRESHOLD = 0.5;

    /** Validates every field; messages name the field, the allowed range and the value. */
    public PopulationOptions {
        if (!(compactionThreshold >= 0 && compactionThreshold <= 1)) {
            throw new IllegalArgumentException("compactionThreshold must be in [0, 1], got " + compactionThreshold);
        }
    }

    /** Compaction at {@value #DEFAULT_COMPACTION_THRESHOLD}, training loss recorded. */
    public static PopulationOptions defaults(long batchOrderSeed) {
        return new PopulationOptions(batchOrderSeed, DEFAULT_COMPACTION_THRESHOLD, true);
    }

    /** A copy with another compaction threshold. */
    public PopulationOptions withCompactionThreshold(double threshold) {
        return new PopulationOptions(batchOrderSeed, threshold, recordTrainingLoss);
    }

    /** A copy that does or does not record the training loss. */
    public PopulationOptions withRecordTrainingLoss(boolean record) {
        return new PopulationOptions(batchOrderSeed, compactionThreshold, record);
    }
}

package io.micromodels.spark.train;

/**
 * How {@link SparkTraining} spreads the work, beyond the spec (whose batch size is each worker's minibatch).
 *
 * @param averagingFrequency minibatches each worker fits between two parameter averagings, in [1, 1000]: DL4J's
 *                           {@code averagingFrequency}; small values average often (closer to local training, more
 *                           Spark jobs per epoch), large ones let the workers drift apart
 */
public record SparkTrainOptions(int averagingFrequency) {
    /** DL4J's default and its documentation's advice (5 to 10). */
    public static final int DEFAULT_AVERAGING_FREQUENCY = 5;

    /** Validates the fields. */
    public SparkTrainOptions {
        if (averagingFrequency < 1 || averagingFrequency > 1000) {
            throw new IllegalArgumentException("averagingFrequency must be in [1, 1000] minibatches, got " + averagingFrequency);
        }
    }

    /** The defaults: averaging every {@value #DEFAULT_AVERAGING_FREQUENCY} minibatches. */
    public static SparkTrainOptions defaults() {
        return new SparkTrainOptions(DEFAULT_AVERAGING_FREQUENCY);
    }
}

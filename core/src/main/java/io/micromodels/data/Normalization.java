package io.micromodels.data;

/**
 * How numeric features are scaled, fitted on the training split only. One-hot, boolean, missing-indicator and
 * cyclical date-time features are never scaled: they are already in [-1, 1] and scaling them would only blur their
 * meaning (and make an unseen category's all-zero vector non-zero).
 */
public enum Normalization {
    /** {@code (x - mean) / std} with ND4J's {@code NormalizerStandardize} (population std, at least 1e-5). */
    STANDARDIZE,
    /** {@code (x - min) / (max - min)} into [0, 1] with ND4J's {@code NormalizerMinMaxScaler}. */
    MIN_MAX,
    /** Leave numeric features in raw units. */
    NONE
}

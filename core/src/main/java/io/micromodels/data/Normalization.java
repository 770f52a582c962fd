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
    NONE,
    /**
     * Quantile (rank-Gauss) normalisation: the training split's empirical CDF (up to 1000 quantiles), then the standard
     * normal inverse CDF, clipped to ±5.2; one feature per column. As scikit-learn's
     * {@code QuantileTransformer(output_distribution='normal')}. See {@link io.micromodels.frozen.plan.NumericEncodings}.
     */
    QUANTILE,
    /**
     * The default. Piecewise-linear encoding (Gorishniy et al., NeurIPS 2022): up to 16 bins from training quantiles, each numeric
     * column becomes one feature per bin in [0, 1] ({@code column:ple_1 ..}). See
     * {@link io.micromodels.frozen.plan.NumericEncodings}.
     */
    PIECEWISE_LINEAR;

    /** Whether this is a learned encoding (quantile or piecewise-linear) rather than an affine scaling. */
    public boolean encoded() {
        return this == QUANTILE || this == PIECEWISE_LINEAR;
    }

    /** Parses a command-line name: standardize, min_max (or min-max), none, quantile, piecewise_linear (or ple). */
    public static Normalization parse(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        return switch (n) {
            case "standardize", "standardise", "standard" -> STANDARDIZE;
            case "min_max", "minmax" -> MIN_MAX;
            case "none" -> NONE;
            case "quantile" -> QUANTILE;
            case "piecewise_linear", "ple" -> PIECEWISE_LINEAR;
            default -> throw new IllegalArgumentException("normalization must be one of standardize, min_max, none, quantile, "
                    + "piecewise_linear; got '" + name + "'");
        };
    }
}

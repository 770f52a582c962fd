package io.micromodels.explain;

/**
 * Options of {@link ShapExplainer}. Immutable; validated on construction.
 *
 * @param algorithm             {@link Algorithm#AUTO} (exact up to {@code exactMaxFeatures} varying
 *                              features, Kernel SHAP beyond), or force one
 * @param exactMaxFeatures      largest number of varying features explained exactly under AUTO,
 *                              in [1, 20]; exact SHAP evaluates (2^M - 2) x background rows per
 *                              explained row, so 12 features with 100 background rows is 409,400
 *                              model rows. A forced EXACT accepts up to 20 features.
 * @param kernelExtraCoalitions Kernel SHAP draws a budget of {@code 2*M + kernelExtraCoalitions}
 *                              distinct coalitions per explained row (capped at 2^M - 2, the
 *                              number that exist), as the shap library's {@code nsamples="auto"};
 *                              in [0, 1,000,000], default 2048
 * @param maxRowsPerCall        most rows handed to one {@link BatchModel#predict} call, in
 *                              [1, 16,777,216]; bounds memory (default 65,536 rows)
 * @param seed                  seed of Kernel SHAP's coalition sampling
 */
public record ShapOptions(Algorithm algorithm, int exactMaxFeatures, int kernelExtraCoalitions,
                          int maxRowsPerCall, long seed) {

    /** Which Shapley estimator to use. */
    public enum Algorithm {
        /** Exact up to {@code exactMaxFeatures} varying features, Kernel SHAP beyond. */
        AUTO,
        /** Enumerate every coalition (at most 20 varying features). */
        EXACT,
        /** Kernel SHAP: weighted least squares over sampled coalitions. */
        KERNEL
    }

    /** Hard limit of exact enumeration: 2^20 coalitions. */
    public static final int EXACT_LIMIT = 20;

    /** AUTO, exact up to 12 features, 2M+2048 Kernel SHAP coalitions, 65,536 rows per call, seed 42. */
    public static final ShapOptions DEFAULTS = new ShapOptions(Algorithm.AUTO, 12, 2048, 65_536, 42L);

    /** Validates every field. */
    public ShapOptions {
        Check.notNull("algorithm", algorithm);
        Check.range("exactMaxFeatures", exactMaxFeatures, 1, EXACT_LIMIT);
        Check.range("kernelExtraCoalitions", kernelExtraCoalitions, 0, 1_000_000);
        Check.range("maxRowsPerCall", maxRowsPerCall, 1, 16_777_216);
    }

    /** A copy with {@code algorithm} replaced. */
    public ShapOptions withAlgorithm(Algorithm a) {
        return new ShapOptions(a, exactMaxFeatures, kernelExtraCoalitions, maxRowsPerCall, seed);
    }

    /** A copy with {@code exactMaxFeatures} replaced. */
    public ShapOptions withExactMaxFeatures(int n) {
        return new ShapOptions(algorithm, n, kernelExtraCoalitions, maxRowsPerCall, seed);
    }

    /** A copy with {@code kernelExtraCoalitions} replaced. */
    public ShapOptions withKernelExtraCoalitions(int n) {
        return new ShapOptions(algorithm, exactMaxFeatures, n, maxRowsPerCall, seed);
    }

    /** A copy with {@code maxRowsPerCall} replaced. */
    public ShapOptions withMaxRowsPerCall(int n) {
        return new ShapOptions(algorithm, exactMaxFeatures, kernelExtraCoalitions, n, seed);
    }

    /** A copy with {@code seed} replaced. */
    public ShapOptions withSeed(long s) {
        return new ShapOptions(algorithm, exactMaxFeatures, kernelExtraCoalitions, maxRowsPerCall, s);
    }

    /** Kernel SHAP coalition budget for {@code m} varying features: min(2m + extra, 2^m - 2). */
    public int kernelBudget(int m) {
        long budget = 2L * m + kernelExtraCoalitions;
        if (m < 31) budget = Math.min(budget, (1L << m) - 2);
        return (int) Math.max(budget, 0);
    }
}

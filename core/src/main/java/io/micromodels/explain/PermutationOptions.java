package io.micromodels.explain;

/**
 * Options of {@link PermutationExplainer}. Immutable; validated on construction.
 *
 * @param repeats        permutations per feature, in [1, 1000]; default 5
 * @param maxRowsPerCall most rows handed to one {@link BatchModel#predict} call, in [1, 16,777,216];
 *                       several repeats are batched into one call when they fit (default 65,536)
 * @param seed           seed of the row permutations
 */
public record PermutationOptions(int repeats, int maxRowsPerCall, long seed) {

    /** 5 repeats, 65,536 rows per call, seed 42. */
    public static final PermutationOptions DEFAULTS = new PermutationOptions(5, 65_536, 42L);

    /** Validates every field. */
    public PermutationOptions {
        Check.range("repeats", repeats, 1, 1000);
        Check.range("maxRowsPerCall", maxRowsPerCall, 1, 16_777_216);
    }

    /** A copy with {@code repeats} replaced. */
    public PermutationOptions withRepeats(int n) {
        return new PermutationOptions(n, maxRowsPerCall, seed);
    }

    /** A copy with {@code seed} replaced. */
    public PermutationOptions withSeed(long s) {
        return new PermutationOptions(repeats, maxRowsPerCall, s);
    }
}

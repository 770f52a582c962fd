package io.micromodels.explain;

/**
 * How {@link Background#sample} summarises the training split. Immutable; validated on construction.
 *
 * @param backgroundSize      rows (or k-means clusters) kept, in [1, 10000]; default 100
 * @param method              {@link Method#RANDOM} (uniform weights) or {@link Method#KMEANS}
 *                            (weights proportional to cluster sizes)
 * @param kmeansMaxIterations Lloyd iterations at most, in [1, 1000]; default 50
 * @param seed                seed of the random choice, or of the k-means++ initialisation
 */
public record BackgroundOptions(int backgroundSize, Method method, int kmeansMaxIterations, long seed) {

    /** How background rows are chosen. */
    public enum Method {
        /** Rows drawn uniformly without replacement; equal weights. */
        RANDOM,
        /** k-means centres snapped to real data values per feature; weighted by cluster size. */
        KMEANS
    }

    /** 100 random rows, seed 42. */
    public static final BackgroundOptions DEFAULTS = new BackgroundOptions(100, Method.RANDOM, 50, 42L);

    /** Validates every field. */
    public BackgroundOptions {
        Check.range("backgroundSize", backgroundSize, 1, 10_000);
        Check.notNull("method", method);
        Check.range("kmeansMaxIterations", kmeansMaxIterations, 1, 1000);
    }

    /** A copy with {@code backgroundSize} replaced. */
    public BackgroundOptions withBackgroundSize(int n) {
        return new BackgroundOptions(n, method, kmeansMaxIterations, seed);
    }

    /** A copy with {@code method} replaced. */
    public BackgroundOptions withMethod(Method m) {
        return new BackgroundOptions(backgroundSize, m, kmeansMaxIterations, seed);
    }

    /** A copy with {@code seed} replaced. */
    public BackgroundOptions withSeed(long s) {
        return new BackgroundOptions(backgroundSize, method, kmeansMaxIterations, s);
    }
}

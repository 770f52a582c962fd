package io.micromodels.seed;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Forks one user seed into independent seeds, one per purpose, so that no two random sources share a stream and
 * changing how one source is used (say, the number of candidates) never shifts another (say, the split).
 *
 * <p>A fork is a pure function of the parent seed, the purpose name and an optional index: SplitMix64's finaliser
 * applied to the parent mixed with the purpose's FNV-1a hash and the index. Purposes are plain names; the ones the
 * toolkit uses are the constants below, and a saved model records the root seed, from which every fork follows.
 *
 * <pre>{@code
 * long split = Seeds.fork(42, Seeds.SPLIT);
 * long init7 = Seeds.fork(42, Seeds.INIT, 7);   // trial 7's weight initialisation
 * SplittableRandom sampler = Seeds.random(42, Seeds.SAMPLER);
 * }</pre>
 */
public final class Seeds {
    /** Train/validation/test split and cross-validation folds. */
    public static final String SPLIT = "split";
    /** Weight initialisation of a network (indexed by trial or member). */
    public static final String INIT = "init";
    /** The sampler that proposes trials. */
    public static final String SAMPLER = "sampler";
    /** Mini-batch order during training (indexed by trial or member). */
    public static final String BATCH_ORDER = "batch-order";
    /** Dropout masks during training (indexed by trial or member). */
    public static final String DROPOUT = "dropout";

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** The seed for {@code purpose}, derived from {@code seed}. */
    public static long fork(long seed, String purpose) {
        return mix(mix(seed + GOLDEN) ^ hash(purpose));
    }

    /** The seed for the {@code index}-th user of {@code purpose} (a trial, a member, a fold), derived from {@code seed}. */
    public static long fork(long seed, String purpose, long index) {
        return mix(fork(seed, purpose) + GOLDEN * (index + 1));
    }

    /** A fresh generator on {@link #fork(long, String)}. */
    public static SplittableRandom random(long seed, String purpose) {
        return new SplittableRandom(fork(seed, purpose));
    }

    /** SplitMix64's output function (Steele, Lea and Flood 2014): a bijection of 64-bit values. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a of the UTF-8 bytes of {@code purpose}. */
    static long hash(String purpose) {
        if (purpose == null || purpose.isEmpty()) {
            throw new IllegalArgumentException("purpose: expected a non-empty name, got " + (purpose == null ? "null" : "\"\""));
        }
        long h = 0xCBF29CE484222325L;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}

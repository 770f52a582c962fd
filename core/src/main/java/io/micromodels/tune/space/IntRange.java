package io.micromodels.tune.space;

/**
 * An integer interval, both ends included, searched uniformly ({@code log = false}) or uniformly in
 * the logarithm ({@code log = true}, the value rounded to the nearest integer). {@code min == max}
 * fixes the value.
 *
 * @param min smallest value, {@code >= 1}
 * @param max largest value, {@code >= min}
 * @param log whether to search uniformly in {@code log(value)}
 */
public record IntRange(int min, int max, boolean log) {

    /** Validates the fields; messages name the field and the value. */
    public IntRange {
        if (min < 1) {
            throw new IllegalArgumentException("min must be >= 1, got " + min);
        }
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, got min " + min + " > max " + max);
        }
    }

    /** @return whether {@code min == max} */
    public boolean fixed() {
        return min == max;
    }
}

package io.micromodels.tune.space;

/**
 * A real interval searched uniformly ({@code log = false}) or uniformly in the logarithm
 * ({@code log = true}). {@code min == max} fixes the value (the search does not vary it).
 *
 * <p>The owning {@link SpaceConfig} checks the bounds that depend on the hyperparameter (for example
 * a learning rate in {@code (0, 1]}); this record checks what holds for every range.
 *
 * @param min smallest value, finite; {@code > 0} when {@code log}
 * @param max largest value, finite, {@code >= min}
 * @param log whether to search uniformly in {@code log(value)}
 */
public record Range(double min, double max, boolean log) {

    /** Validates the fields; messages name the field and the value. */
    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("min and max must be finite, got [" + min + ", " + max + "]");
        }
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, got min " + min + " > max " + max);
        }
        if (log && !(min > 0)) {
            throw new IllegalArgumentException("min must be > 0 for a log range, got " + min);
        }
    }

    /** @return whether {@code min == max} */
    public boolean fixed() {
        return min == max;
    }
}

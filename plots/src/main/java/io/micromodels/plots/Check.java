package io.micromodels.plots;

/** Argument checks whose messages name the field, the allowed range and the value. */
final class Check {
    private Check() {}

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    static <T> T notNull(String field, T value) {
        if (value == null) throw new IllegalArgumentException(field + " must not be null");
        return value;
    }
}

package io.micromodels.explain;

/** Argument checks whose messages name the field, the allowed range and the value (also used by the plots module). */
public final class Check {
    private Check() {}

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    public static <T> T notNull(String field, T value) {
        if (value == null) throw new IllegalArgumentException(field + " must not be null");
        return value;
    }

    /** Checks a [n][width] matrix: non-null, n &ge; minRows, rectangular, width &ge; 1; returns width. */
    static int matrix(String field, double[][] m, int minRows) {
        notNull(field, m);
        if (m.length < minRows) {
            throw new IllegalArgumentException(field + " must have at least " + minRows + " rows, got " + m.length);
        }
        if (m.length == 0) return 0;
        if (m[0] == null) throw new IllegalArgumentException(field + "[0] must not be null");
        int width = m[0].length;
        if (width < 1) throw new IllegalArgumentException(field + " rows must have at least 1 column, got 0");
        for (int i = 1; i < m.length; i++) {
            if (m[i] == null) throw new IllegalArgumentException(field + "[" + i + "] must not be null");
            if (m[i].length != width) {
                throw new IllegalArgumentException(field + " must be rectangular: row 0 has " + width
                        + " columns, row " + i + " has " + m[i].length);
            }
        }
        return width;
    }

    static double[][] deepCopy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }
}

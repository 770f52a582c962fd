package io.micromodels.explain;

import io.micromodels.text.Fmt;

/**
 * How one feature group's model input columns read back as the original feature's value, for
 * plot colours and labels (e.g. a standardised column shown in raw units, a one-hot group shown as
 * its level name). Purely for display: explanations never depend on it.
 *
 * <p>Both methods receive the whole model input row, shape {@code [width]}, and read only their
 * group's columns. Implementations must be pure and thread-safe.
 *
 * <pre>{@code
 * // column 0 holds (age - 40) / 12; show and colour it in years
 * FeatureDecoder years = FeatureDecoder.scaled(0, 40, 12);
 * FeatureGroups g = FeatureGroups.builder().decoded("age", years, 0).build();
 * }</pre>
 */
public interface FeatureDecoder {

    /**
     * The scalar used to colour the feature in the SHAP summary (low blue, high red), or NaN for
     * "no value" (drawn grey), e.g. a missing cell.
     *
     * @param row model input columns, shape [width]
     */
    double value(double[] row);

    /**
     * The feature's value as people read it, e.g. {@code "42"}, {@code "critical/other existing credit"}
     * or {@code "missing"}.
     *
     * @param row model input columns, shape [width]
     */
    String label(double[] row);

    /**
     * A numeric column stored as {@code (raw - shift) / scale}: decoded to {@code raw = x * scale + shift}
     * (value and label).
     */
    static FeatureDecoder scaled(int column, double shift, double scale) {
        if (column < 0) throw new IllegalArgumentException("column must be >= 0, got " + column);
        if (!Double.isFinite(shift) || !Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("shift must be finite and scale finite and non-zero, got " + shift
                    + " and " + scale);
        }
        return new FeatureDecoder() {
            @Override
            public double value(double[] row) {
                return row[column] * scale + shift;
            }

            @Override
            public String label(double[] row) {
                return Fmt.num(value(row));
            }
        };
    }
}

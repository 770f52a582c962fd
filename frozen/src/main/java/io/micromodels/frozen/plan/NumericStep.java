package io.micromodels.frozen.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;


import java.util.List;
import java.util.Objects;

/**
 * A numeric column: missing → {@code impute}, then {@code (value - shift) / scale}; optionally a missing-indicator feature
 * (1 when the cell was missing, else 0) right after the value.
 *
 * <p>{@code shift}/{@code scale} are the standardisation mean/std or the min-max lower bound/range fitted on the training
 * split; an unscaled column has shift 0 and scale 1.
 */
@JsonPropertyOrder({"column", "impute", "indicator", "shift", "scale"})
@JsonIgnoreProperties(ignoreUnknown = false)
public final class NumericStep implements Step {
    private final String column;
    private final double impute;
    private final boolean indicator;
    private final double shift;
    private final double scale;

    @JsonCreator
    public NumericStep(@JsonProperty(value = "column", required = true) String column,
                       @JsonProperty(value = "impute", required = true) double impute,
                       @JsonProperty(value = "indicator", required = true) boolean indicator,
                       @JsonProperty(value = "shift", required = true) double shift,
                       @JsonProperty(value = "scale", required = true) double scale) {
        this.column = Objects.requireNonNull(column, "column");
        if (!Double.isFinite(impute) || !Double.isFinite(shift) || !Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("numeric step '" + column + "': impute, shift and scale must be finite and scale non-zero, got impute="
                    + impute + ", shift=" + shift + ", scale=" + scale);
        }
        this.impute = impute;
        this.indicator = indicator;
        this.shift = shift;
        this.scale = scale;
    }

    @Override
    @JsonProperty("column")
    public String column() {
        return column;
    }

    /** Value used for a missing cell, in raw units (before scaling). */
    @JsonProperty("impute")
    public double impute() {
        return impute;
    }

    /** Whether a missing-indicator feature follows the value. */
    @JsonProperty("indicator")
    public boolean indicator() {
        return indicator;
    }

    @JsonProperty("shift")
    public double shift() {
        return shift;
    }

    @JsonProperty("scale")
    public double scale() {
        return scale;
    }

    @Override
    public int width() {
        return indicator ? 2 : 1;
    }

    @Override
    public List<String> featureNames() {
        return indicator ? List.of(column, column + ":missing") : List.of(column);
    }

    @Override
    public void apply(String cell, double[] out, int offset) {
        double v = Cells.numberOr(column, cell, impute);
        out[offset] = (v - shift) / scale;
        if (indicator) {
            out[offset + 1] = Cells.isMissing(cell) ? 1 : 0;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericStep s && column.equals(s.column) && Double.compare(impute, s.impute) == 0
                && indicator == s.indicator && Double.compare(shift, s.shift) == 0 && Double.compare(scale, s.scale) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, impute, indicator, shift, scale);
    }

    @Override
    public String toString() {
        return "numeric " + column + " (impute " + impute + ", shift " + shift + ", scale " + scale + (indicator ? ", indicator)" : ")");
    }
}

package io.micromodels.frozen.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A numeric column under a learned encoding ({@link NumericEncodings}): missing → {@code impute} (raw units), then
 * either the quantile (rank-Gauss) score, one feature, or the piecewise-linear encoding, {@code edges.length - 1}
 * features named {@code column:ple_1 .. column:ple_T}; optionally a missing-indicator feature last.
 *
 * <p>JSON kind {@code "encoded_numeric"}: {@code {"column","impute","indicator","encoding":"quantile"|"piecewise_linear",
 * "edges":[...]}} where edges are the training quantiles (quantile) or the bin edges (piecewise-linear).
 */
@JsonPropertyOrder({"column", "impute", "indicator", "encoding", "edges"})
@JsonIgnoreProperties(ignoreUnknown = false)
public final class EncodedNumericStep implements Step {
    /** JSON name of the quantile encoding. */
    public static final String QUANTILE = "quantile";
    /** JSON name of the piecewise-linear encoding. */
    public static final String PIECEWISE_LINEAR = "piecewise_linear";

    private final String column;
    private final double impute;
    private final boolean indicator;
    private final String encoding;
    private final double[] edges;
    private final boolean ple;

    @JsonCreator
    public EncodedNumericStep(@JsonProperty(value = "column", required = true) String column,
                              @JsonProperty(value = "impute", required = true) double impute,
                              @JsonProperty(value = "indicator", required = true) boolean indicator,
                              @JsonProperty(value = "encoding", required = true) String encoding,
                              @JsonProperty(value = "edges", required = true) double[] edges) {
        this.column = Objects.requireNonNull(column, "column");
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.ple = PIECEWISE_LINEAR.equals(encoding);
        if (!ple && !QUANTILE.equals(encoding)) {
            throw new IllegalArgumentException("encoded numeric step '" + column + "': encoding must be " + QUANTILE + " or "
                    + PIECEWISE_LINEAR + ", got " + encoding);
        }
        if (!Double.isFinite(impute)) {
            throw new IllegalArgumentException("encoded numeric step '" + column + "': impute must be finite, got " + impute);
        }
        this.edges = Objects.requireNonNull(edges, "edges").clone();
        checkEdges(column, this.edges, ple);
        this.impute = impute;
        this.indicator = indicator;
    }

    /** Checks edges: finite; quantiles non-decreasing (at least one); bin edges strictly increasing (at least two). */
    public static void checkEdges(String column, double[] edges, boolean piecewiseLinear) {
        if (edges.length < (piecewiseLinear ? 2 : 1)) {
            throw new IllegalArgumentException("encoded numeric step '" + column + "': needs at least " + (piecewiseLinear ? 2 : 1)
                    + " edges, got " + edges.length);
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || i > 0 && (piecewiseLinear ? edges[i] <= edges[i - 1] : edges[i] < edges[i - 1])) {
                throw new IllegalArgumentException("encoded numeric step '" + column + "': edges must be finite and "
                        + (piecewiseLinear ? "strictly increasing" : "non-decreasing") + ", got " + Arrays.toString(edges));
            }
        }
    }

    @Override
    @JsonProperty("column")
    public String column() {
        return column;
    }

    /** Value used for a missing cell, in raw units (before encoding). */
    @JsonProperty("impute")
    public double impute() {
        return impute;
    }

    @JsonProperty("indicator")
    public boolean indicator() {
        return indicator;
    }

    /** {@value #QUANTILE} or {@value #PIECEWISE_LINEAR}. */
    @JsonProperty("encoding")
    public String encoding() {
        return encoding;
    }

    /** Training quantiles (quantile encoding) or bin edges (piecewise-linear). A copy. */
    @JsonProperty("edges")
    public double[] edges() {
        return edges.clone();
    }

    /** Whether this is the piecewise-linear encoding. */
    public boolean piecewiseLinear() {
        return ple;
    }

    /** Features of the value alone (without the indicator): 1, or the number of bins. */
    public int valueWidth() {
        return ple ? edges.length - 1 : 1;
    }

    @Override
    public int width() {
        return valueWidth() + (indicator ? 1 : 0);
    }

    /** Names of the value features: {@code column}, or {@code column:ple_1 .. column:ple_T}. */
    public static List<String> valueNames(String column, int bins, boolean piecewiseLinear) {
        if (!piecewiseLinear) {
            return List.of(column);
        }
        List<String> names = new ArrayList<>(bins);
        for (int t = 1; t <= bins; t++) {
            names.add(column + ":ple_" + t);
        }
        return names;
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(valueNames(column, valueWidth(), ple));
        if (indicator) {
            names.add(column + ":missing");
        }
        return names;
    }

    /** Encodes one (imputed) raw value into {@code out[offset .. offset + valueWidth())}. */
    public void encode(double v, double[] out, int offset) {
        if (ple) {
            NumericEncodings.piecewiseLinear(v, edges, out, offset);
        } else {
            out[offset] = NumericEncodings.quantileEncode(v, edges);
        }
    }

    /** The raw value the value features stand for (for explanations). */
    public double decode(double[] row, int offset) {
        return ple ? NumericEncodings.piecewiseLinearDecode(row, offset, edges) : NumericEncodings.quantileDecode(row[offset], edges);
    }

    @Override
    public void apply(String cell, double[] out, int offset) {
        double v = Cells.numberOr(column, cell, impute);
        encode(v, out, offset);
        if (indicator) {
            out[offset + valueWidth()] = Cells.isMissing(cell) ? 1 : 0;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedNumericStep s && column.equals(s.column) && Double.compare(impute, s.impute) == 0
                && indicator == s.indicator && encoding.equals(s.encoding) && Arrays.equals(edges, s.edges);
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, impute, indicator, encoding, Arrays.hashCode(edges));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s (impute %s, %d edges%s)", encoding, column, impute, edges.length, indicator ? ", indicator" : "");
    }
}

package io.micromodels.frozen.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.micromodels.frozen.InvalidCellException;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A boolean column: one feature, 1 for a true token, 0 for a false token (tokens compared case-insensitively, stored
 * lower-case); a missing cell takes {@code impute} (0 or 1, the training mode); optionally a missing-indicator feature.
 * A token that is neither true nor false is an error, not a silent zero.
 */
@JsonPropertyOrder({"column", "trueTokens", "falseTokens", "impute", "indicator"})
@JsonIgnoreProperties(ignoreUnknown = false)
public final class BooleanStep implements Step {
    private final String column;
    private final List<String> trueTokens;
    private final List<String> falseTokens;
    private final double impute;
    private final boolean indicator;
    private final Set<String> trueSet;
    private final Set<String> falseSet;

    @JsonCreator
    public BooleanStep(@JsonProperty(value = "column", required = true) String column,
                       @JsonProperty(value = "trueTokens", required = true) List<String> trueTokens,
                       @JsonProperty(value = "falseTokens", required = true) List<String> falseTokens,
                       @JsonProperty(value = "impute", required = true) double impute,
                       @JsonProperty(value = "indicator", required = true) boolean indicator) {
        this.column = Objects.requireNonNull(column, "column");
        this.trueTokens = List.copyOf(trueTokens);
        this.falseTokens = List.copyOf(falseTokens);
        if (impute != 0 && impute != 1) {
            throw new IllegalArgumentException("boolean step '" + column + "': impute must be 0 or 1, got " + impute);
        }
        this.impute = impute;
        this.indicator = indicator;
        this.trueSet = new HashSet<>(this.trueTokens);
        this.falseSet = new HashSet<>(this.falseTokens);
        for (String t : this.trueTokens) {
            if (!t.equals(t.toLowerCase(Locale.ROOT)) || falseSet.contains(t)) {
                throw new IllegalArgumentException("boolean step '" + column + "': tokens must be lower-case and disjoint, got " + t);
            }
        }
    }

    @Override
    @JsonProperty("column")
    public String column() {
        return column;
    }

    @JsonProperty("trueTokens")
    public List<String> trueTokens() {
        return trueTokens;
    }

    @JsonProperty("falseTokens")
    public List<String> falseTokens() {
        return falseTokens;
    }

    @JsonProperty("impute")
    public double impute() {
        return impute;
    }

    @JsonProperty("indicator")
    public boolean indicator() {
        return indicator;
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
        double v;
        double missing = 0;
        if (Cells.isMissing(cell)) {
            v = impute;
            missing = 1;
        } else {
            String t = cell.strip().toLowerCase(Locale.ROOT);
            if (trueSet.contains(t)) {
                v = 1;
            } else if (falseSet.contains(t)) {
                v = 0;
            } else {
                throw InvalidCellException.withMessage(column, cell, "column '" + column + "': '" + cell + "' is not a boolean (expected one of "
                        + trueTokens + " or " + falseTokens + ")", null);
            }
        }
        out[offset] = v;
        if (indicator) {
            out[offset + 1] = missing;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BooleanStep s && column.equals(s.column) && trueTokens.equals(s.trueTokens)
                && falseTokens.equals(s.falseTokens) && impute == s.impute && indicator == s.indicator;
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, trueTokens, falseTokens, impute, indicator);
    }

    @Override
    public String toString() {
        return "boolean " + column + " (true " + trueTokens + ", false " + falseTokens + ")";
    }
}

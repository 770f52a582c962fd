package io.micromodels.frozen.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A categorical column, one-hot encoded over the training levels: features {@code column=level} in {@link #levels()}
 * order, then optionally a missing-indicator feature.
 *
 * <p>A missing cell takes {@code impute} (the training mode, one of the levels). A level never seen in
 * training gives all zeros — it is never an error, because new categories are routine in production data; a caller
 * that wants to count them asks {@link #isUnseen(String)} (or {@link CompiledPipeline#unseenCategories(String[])}).
 * Immutable.
 */
@JsonPropertyOrder({"column", "levels", "impute", "indicator"})
@JsonIgnoreProperties(ignoreUnknown = false)
public final class CategoricalStep implements Step {
    private final String column;
    private final List<String> levels;
    private final String impute;
    private final boolean indicator;
    private final Map<String, Integer> index;
    private final int imputeIndex;

    @JsonCreator
    public CategoricalStep(@JsonProperty(value = "column", required = true) String column,
                           @JsonProperty(value = "levels", required = true) List<String> levels,
                           @JsonProperty(value = "impute", required = true) String impute,
                           @JsonProperty(value = "indicator", required = true) boolean indicator) {
        this.column = Objects.requireNonNull(column, "column");
        this.levels = List.copyOf(levels);
        this.impute = impute;
        this.indicator = indicator;
        this.index = new HashMap<>(this.levels.size() * 2);
        for (int i = 0; i < this.levels.size(); i++) {
            if (index.put(this.levels.get(i), i) != null) {
                throw new IllegalArgumentException("categorical step '" + column + "': duplicate level '" + this.levels.get(i) + "'");
            }
        }
        if (impute == null || !index.containsKey(impute)) {
            throw new IllegalArgumentException("categorical step '" + column + "': impute level '" + impute + "' is not one of the levels");
        }
        this.imputeIndex = index.get(impute);
    }

    @Override
    @JsonProperty("column")
    public String column() {
        return column;
    }

    /** Training levels in feature order. */
    @JsonProperty("levels")
    public List<String> levels() {
        return levels;
    }

    /** Level used for a missing cell (one of the levels). */
    @JsonProperty("impute")
    public String impute() {
        return impute;
    }

    @JsonProperty("indicator")
    public boolean indicator() {
        return indicator;
    }

    /** Whether a cell holds a level not in {@link #levels()} (a missing cell is imputed, not unseen). */
    public boolean isUnseen(String cell) {
        return !Cells.isMissing(cell) && !index.containsKey(cell.strip());
    }

    @Override
    public int width() {
        return levels.size() + (indicator ? 1 : 0);
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(width());
        for (String level : levels) {
            names.add(column + "=" + level);
        }
        if (indicator) {
            names.add(column + ":missing");
        }
        return names;
    }

    @Override
    public void apply(String cell, double[] out, int offset) {
        int k = levels.size();
        Arrays.fill(out, offset, offset + width(), 0.0);
        if (Cells.isMissing(cell)) {
            out[offset + imputeIndex] = 1;
            if (indicator) {
                out[offset + k] = 1;
            }
            return;
        }
        Integer i = index.get(cell.strip());
        if (i != null) {
            out[offset + i] = 1;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalStep s && column.equals(s.column) && levels.equals(s.levels)
                && impute.equals(s.impute) && indicator == s.indicator;
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, levels, impute, indicator);
    }

    @Override
    public String toString() {
        return "categorical " + column + " (" + levels.size() + " levels)";
    }
}

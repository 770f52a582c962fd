package io.micromodels.frozen;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.List;

/** A test pipeline of the kind the data pipeline registers: standardises numeric columns, imputes the mean. */
final class ScalePipeline implements FrozenPipeline {
    static final String NAME = "test-scale";

    private final List<String> columns;
    private final double[] means;
    private final double[] stds;

    @JsonCreator
    ScalePipeline(@JsonProperty("columns") List<String> columns, @JsonProperty("means") double[] means,
                  @JsonProperty("stds") double[] stds) {
        if (columns.size() != means.length || means.length != stds.length) {
            throw new IllegalArgumentException("columns, means and stds must have the same length");
        }
        this.columns = List.copyOf(columns);
        this.means = means.clone();
        this.stds = stds.clone();
    }

    @Override
    @JsonProperty("columns")
    public List<String> columns() {
        return columns;
    }

    @JsonProperty("means")
    double[] means() {
        return means.clone();
    }

    @JsonProperty("stds")
    double[] stds() {
        return stds.clone();
    }

    @Override
    @JsonIgnore
    public int width() {
        return columns.size();
    }

    @Override
    public void transform(String[] raw, double[] features) {
        for (int i = 0; i < columns.size(); i++) {
            String cell = raw[i];
            double v;
            if (cell == null || cell.isEmpty()) {
                v = means[i];
            } else {
                try {
                    v = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new InvalidCellException(columns.get(i), cell, "is not a number");
                }
            }
            features[i] = (v - means[i]) / stds[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScalePipeline p && p.columns.equals(columns) && Arrays.equals(p.means, means) && Arrays.equals(p.stds, stds);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }
}

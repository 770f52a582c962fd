package io.micromodels.explain;

import java.util.List;

/**
 * SHAP explanations of many rows over the same features; the input of global plots.
 *
 * @param rows one explanation per explained row, n &ge; 1, all with the same feature names
 */
public record ShapExplanations(List<ShapExplanation> rows) {

    /** Validates non-emptiness and that every row names the same features. */
    public ShapExplanations {
        rows = List.copyOf(Check.notNull("rows", rows));
        if (rows.isEmpty()) throw new IllegalArgumentException("rows must hold at least 1 explanation, got 0");
        List<String> names = rows.get(0).featureNames();
        for (int i = 1; i < rows.size(); i++) {
            if (!rows.get(i).featureNames().equals(names)) {
                throw new IllegalArgumentException("row " + i + " names features " + rows.get(i).featureNames()
                        + " but row 0 names " + names);
            }
        }
    }

    /** Number of explained rows, n. */
    public int size() {
        return rows.size();
    }

    /** Explanation of row {@code i}. */
    public ShapExplanation get(int i) {
        return rows.get(i);
    }

    /** Feature names, size M. */
    public List<String> featureNames() {
        return rows.get(0).featureNames();
    }

    /** SHAP values, shape [n][M]. */
    public double[][] values() {
        double[][] v = new double[rows.size()][];
        for (int i = 0; i < v.length; i++) v[i] = rows.get(i).values();
        return v;
    }

    /** Feature values, shape [n][M]. */
    public double[][] featureValues() {
        double[][] v = new double[rows.size()][];
        for (int i = 0; i < v.length; i++) v[i] = rows.get(i).featureValues();
        return v;
    }

    /** Mean |SHAP value| per feature over the rows, shape [M]: the SHAP global importance. */
    public double[] meanAbs() {
        int m = featureNames().size();
        double[] out = new double[m];
        for (ShapExplanation e : rows) {
            double[] v = e.values();
            for (int j = 0; j < m; j++) out[j] += Math.abs(v[j]);
        }
        for (int j = 0; j < m; j++) out[j] /= rows.size();
        return out;
    }
}

package io.micromodels.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * SHAP values of one explained row, one per original feature (group). Local accuracy holds:
 * {@code baseValue + sum(values) == output} (exactly up to rounding for both exact and Kernel SHAP,
 * which enforces it as a constraint).
 *
 * @param featureNames       feature (group) names, size M
 * @param baseValue          weighted mean model output over the background, E[f(X)]
 * @param values             SHAP value per feature, shape [M]
 * @param output             model output for the explained row, f(x)
 * @param featureValues      scalar value per feature, shape [M] (see {@link FeatureGroups#featureValue})
 * @param featureValueLabels display label of each feature's value, size M (see {@link FeatureGroups#displayValue})
 */
public record ShapExplanation(List<String> featureNames, double baseValue, double[] values, double output,
                              double[] featureValues, List<String> featureValueLabels) {

    /** Validates that all per-feature fields have M entries; copies arrays and lists. */
    public ShapExplanation {
        featureNames = List.copyOf(Check.notNull("featureNames", featureNames));
        int m = featureNames.size();
        values = Check.notNull("values", values).clone();
        featureValues = Check.notNull("featureValues", featureValues).clone();
        featureValueLabels = List.copyOf(Check.notNull("featureValueLabels", featureValueLabels));
        if (values.length != m || featureValues.length != m || featureValueLabels.size() != m) {
            throw new IllegalArgumentException("values, featureValues and featureValueLabels must have "
                    + m + " entries (one per feature), got " + values.length + ", " + featureValues.length
                    + " and " + featureValueLabels.size());
        }
    }

    /** A copy of the SHAP values, shape [M]. */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** A copy of the feature values, shape [M]. */
    @Override
    public double[] featureValues() {
        return featureValues.clone();
    }

    /** SHAP value of feature {@code name}. */
    public double value(String name) {
        int i = featureNames.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no feature named '" + name + "' in " + featureNames);
        return values[i];
    }

    /** Feature indices sorted by |SHAP value|, largest first, shape [M]. */
    public int[] orderByMagnitude() {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < values.length; i++) idx.add(i);
        idx.sort((a, b) -> Double.compare(Math.abs(values[b]), Math.abs(values[a])));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code baseValue + sum(values)}; equals {@link #output()} up to rounding. */
    public double reconstructedOutput() {
        double s = baseValue;
        for (double v : values) s += v;
        return s;
    }
}

package io.micromodels.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * Permutation feature importance: for each original feature (group), how much the metric worsens
 * when the feature's columns are shuffled across rows together, breaking its link to the target.
 * Positive means the model relies on the feature, whichever the metric's direction.
 *
 * @param metric        metric name
 * @param featureNames  feature (group) names, size M
 * @param baselineScore metric on the unshuffled data
 * @param mean          mean loss per feature over repeats, shape [M]
 * @param std           sample standard deviation (n-1 denominator; 0 for one repeat) of the loss, shape [M]
 * @param losses        loss per feature and repeat, shape [M][repeats]
 */
public record PermutationImportance(String metric, List<String> featureNames, double baselineScore,
                                    double[] mean, double[] std, double[][] losses) {

    /** Validates shapes and copies. */
    public PermutationImportance {
        Check.notNull("metric", metric);
        featureNames = List.copyOf(Check.notNull("featureNames", featureNames));
        int m = featureNames.size();
        mean = Check.notNull("mean", mean).clone();
        std = Check.notNull("std", std).clone();
        Check.matrix("losses", losses, 1);
        losses = Check.deepCopy(losses);
        if (mean.length != m || std.length != m || losses.length != m) {
            throw new IllegalArgumentException("mean, std and losses must have " + m + " entries (one per feature), got "
                    + mean.length + ", " + std.length + " and " + losses.length);
        }
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public double[][] losses() {
        return Check.deepCopy(losses);
    }

    /** Feature indices by mean importance, largest first, shape [M]. */
    public int[] order() {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < mean.length; i++) idx.add(i);
        idx.sort((a, b) -> Double.compare(mean[b], mean[a]));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Feature names by mean importance, largest first. */
    public List<String> ranking() {
        List<String> out = new ArrayList<>();
        for (int i : order()) out.add(featureNames.get(i));
        return out;
    }

    /** Mean importance of feature {@code name}. */
    public double mean(String name) {
        int i = featureNames.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no feature named '" + name + "' in " + featureNames);
        return mean[i];
    }
}

package io.micromodels.explain;

import java.util.SplittableRandom;

/**
 * Permutation feature importance on held-out data. For each feature group and repeat, one random row
 * permutation is applied to all of the group's columns at once (so one-hot columns move together
 * and stay a valid category), the model re-scores, and the loss against the unshuffled score is
 * recorded. Repeats of a group are batched into as few {@link BatchModel#predict} calls as
 * {@link PermutationOptions#maxRowsPerCall()} allows. The only random source is a
 * {@link SplittableRandom} seeded with {@link PermutationOptions#seed()}, drawn group by group and
 * repeat by repeat.
 */
public final class PermutationExplainer {

    private final BatchModel model;
    private final FeatureGroups groups;
    private final Metric metric;
    private final PermutationOptions options;

    PermutationExplainer(BatchModel model, FeatureGroups groups, Metric metric, PermutationOptions options) {
        this.model = Check.notNull("model", model);
        this.groups = Check.notNull("groups", groups);
        this.metric = Check.notNull("metric", metric);
        this.options = Check.notNull("options", options);
    }

    /**
     * Computes the importance of every feature group.
     *
     * @param x held-out model input rows, shape [n][width], n &ge; 2
     * @param y targets, shape [n]
     */
    public PermutationImportance importance(double[][] x, double[] y) {
        int width = Check.matrix("x", x, 2);
        Check.notNull("y", y);
        if (y.length != x.length) {
            throw new IllegalArgumentException("y must have one entry per row of x (" + x.length + "), got " + y.length);
        }
        if (width != groups.width()) {
            throw new IllegalArgumentException("feature groups cover " + groups.width() + " columns but x rows have "
                    + width);
        }
        int n = x.length;
        int repeats = options.repeats();
        if ((long) n * repeats > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rows * repeats must be at most " + Integer.MAX_VALUE + ", got "
                    + (long) n * repeats);
        }
        RowBatcher batcher = new RowBatcher(model, width, options.maxRowsPerCall());
        double baseline = metric.score(y, batcher.evaluate(n, (i, row) -> System.arraycopy(x[i], 0, row, 0, width)));
        SplittableRandom rng = new SplittableRandom(options.seed());
        int m = groups.size();
        double[][] losses = new double[m][repeats];
        double[] mean = new double[m];
        double[] std = new double[m];
        int[][] perms = new int[repeats][n];
        double[] scratch = new double[n];
        for (int g = 0; g < m; g++) {
            int[] cols = groups.columnsView(g);
            for (int r = 0; r < repeats; r++) shuffle(perms[r], rng);
            double[] out = batcher.evaluate(n * repeats, (k, row) -> {
                int r = k / n;
                int i = k - r * n;
                System.arraycopy(x[i], 0, row, 0, width);
                double[] donor = x[perms[r][i]];
                for (int c : cols) row[c] = donor[c];
            });
            for (int r = 0; r < repeats; r++) {
                System.arraycopy(out, r * n, scratch, 0, n);
                losses[g][r] = metric.loss(baseline, metric.score(y, scratch));
            }
            double s = 0;
            for (double l : losses[g]) s += l;
            mean[g] = s / repeats;
            double ss = 0;
            for (double l : losses[g]) ss += (l - mean[g]) * (l - mean[g]);
            std[g] = repeats > 1 ? Math.sqrt(ss / (repeats - 1)) : 0;
        }
        return new PermutationImportance(metric.name(), groups.names(), baseline, mean, std, losses);
    }

    private static void shuffle(int[] p, SplittableRandom rng) {
        for (int i = 0; i < p.length; i++) p[i] = i;
        for (int i = p.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
    }
}

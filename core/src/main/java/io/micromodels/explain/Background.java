package io.micromodels.explain;

import java.util.SplittableRandom;

/**
 * The reference rows that "absent" features take their values from (interventional SHAP), with one
 * weight per row. Weights are normalised to sum to 1 on construction; the SHAP base value is the
 * weighted mean model output over these rows.
 *
 * @param rows    background rows, shape {@code [B][width]} (deep-copied)
 * @param weights one non-negative weight per row, shape {@code [B]}, normalised to sum 1
 */
public record Background(double[][] rows, double[] weights) {

    /** Validates shapes and weights, deep-copies, and normalises the weights. */
    public Background {
        Check.matrix("rows", rows, 1);
        Check.notNull("weights", weights);
        if (weights.length != rows.length) {
            throw new IllegalArgumentException("weights must have one entry per row (" + rows.length + "), got "
                    + weights.length);
        }
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weights[" + i + "] must be finite and >= 0, got " + weights[i]);
            }
            sum += weights[i];
        }
        if (!(sum > 0)) throw new IllegalArgumentException("weights must sum to > 0, got " + sum);
        rows = Check.deepCopy(rows);
        double[] w = new double[weights.length];
        for (int i = 0; i < w.length; i++) w[i] = weights[i] / sum;
        weights = w;
    }

    /** All of {@code rows} (shape [B][width]) with equal weights. */
    public static Background of(double[][] rows) {
        Check.matrix("rows", rows, 1);
        double[] w = new double[rows.length];
        java.util.Arrays.fill(w, 1.0);
        return new Background(rows, w);
    }

    /**
     * Summarises a training split (shape [n][width]) as {@code options} says: a seeded random
     * sample or seeded k-means. Keeps all rows when there are no more than the requested size.
     */
    public static Background sample(double[][] train, FeatureGroups groups, BackgroundOptions options) {
        Check.notNull("options", options);
        return switch (options.method()) {
            case RANDOM -> random(train, options.backgroundSize(), options.seed());
            case KMEANS -> kmeans(train, groups, options.backgroundSize(), options.kmeansMaxIterations(), options.seed());
        };
    }

    /** {@code size} rows of {@code train} (shape [n][width]) drawn without replacement, equal weights. */
    public static Background random(double[][] train, int size, long seed) {
        int n = train == null ? 0 : train.length;
        Check.matrix("train", train, 1);
        Check.range("size", size, 1, 10_000);
        if (n <= size) return of(train);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] out = new double[size][];
        for (int i = 0; i < size; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
            out[i] = train[idx[i]];
        }
        return of(out);
    }

    /**
     * k-means summary of {@code train} (shape [n][width]) into {@code k} rows weighted by cluster size.
     * Initialisation is k-means++ from {@code seed}; Lloyd iterations stop when no assignment changes
     * or after {@code maxIterations}. Distances are Euclidean over the (already preprocessed) columns.
     * Each centre is then snapped, one feature group at a time, to the group's values in the cluster
     * member nearest to the centre in that group's columns, so numeric values are real data values and
     * one-hot groups stay valid one-hot patterns (as the shap library rounds centres to data values).
     */
    public static Background kmeans(double[][] train, FeatureGroups groups, int k, int maxIterations, long seed) {
        int width = Check.matrix("train", train, 1);
        Check.notNull("groups", groups);
        Check.range("k", k, 1, 10_000);
        Check.range("maxIterations", maxIterations, 1, 1000);
        if (groups.width() != width) {
            throw new IllegalArgumentException("groups cover " + groups.width() + " columns but train rows have " + width);
        }
        int n = train.length;
        if (n <= k) return of(train);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = plusPlus(train, k, rng);
        int[] assign = new int[n];
        java.util.Arrays.fill(assign, -1);
        int[] counts = new int[k];
        double[] dist = new double[n];
        for (int it = 0; it < maxIterations; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double d = sq(train[i], centres[c], bd);
                    if (d < bd) { bd = d; best = c; }
                }
                dist[i] = bd;
                if (assign[i] != best) { assign[i] = best; changed = true; }
            }
            if (!changed && it > 0) break;
            java.util.Arrays.fill(counts, 0);
            for (double[] c : centres) java.util.Arrays.fill(c, 0);
            for (int i = 0; i < n; i++) {
                counts[assign[i]]++;
                double[] c = centres[assign[i]];
                for (int j = 0; j < width; j++) c[j] += train[i][j];
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    // Empty cluster: restart it at the point farthest from its own centre.
                    int far = 0;
                    for (int i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
                    centres[c] = train[far].clone();
                    dist[far] = 0;
                    assign[far] = -1;           // force another pass
                } else {
                    for (int j = 0; j < width; j++) centres[c][j] /= counts[c];
                }
            }
        }
        // Final assignment against the final centres.
        java.util.Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bd = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double d = sq(train[i], centres[c], bd);
                if (d < bd) { bd = d; best = c; }
            }
            assign[i] = best;
            counts[best]++;
        }
        int kept = 0;
        for (int c = 0; c < k; c++) if (counts[c] > 0) kept++;
        double[][] rows = new double[kept][];
        double[] weights = new double[kept];
        int r = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) continue;
            rows[r] = snap(train, assign, c, centres[c], groups);
            weights[r] = counts[c];
            r++;
        }
        return new Background(rows, weights);
    }

    /** Number of background rows, B. */
    public int size() {
        return rows.length;
    }

    /** Number of columns per row. */
    public int width() {
        return rows[0].length;
    }

    /** A deep copy of the rows, shape [B][width]. */
    @Override
    public double[][] rows() {
        return Check.deepCopy(rows);
    }

    /** A copy of the weights, shape [B], summing to 1. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    double[][] rowsView() {
        return rows;
    }

    double[] weightsView() {
        return weights;
    }

    private static double[][] plusPlus(double[][] x, int k, SplittableRandom rng) {
        int n = x.length;
        double[][] centres = new double[k][];
        centres[0] = x[rng.nextInt(n)].clone();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = sq(x[i], centres[0], Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double v : d) total += v;
            int pick;
            if (total <= 0) {
                pick = rng.nextInt(n);          // all remaining points coincide with centres
            } else {
                double u = rng.nextDouble() * total;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    u -= d[i];
                    if (u < 0) { pick = i; break; }
                }
            }
            centres[c] = x[pick].clone();
            for (int i = 0; i < n; i++) d[i] = Math.min(d[i], sq(x[i], centres[c], d[i]));
        }
        return centres;
    }

    /** Squared distance, stopping early once it exceeds {@code bound}. */
    private static double sq(double[] a, double[] b, double bound) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
            if (s > bound) return s;
        }
        return s;
    }

    private static double[] snap(double[][] x, int[] assign, int cluster, double[] centre, FeatureGroups groups) {
        double[] out = new double[centre.length];
        for (int g = 0; g < groups.size(); g++) {
            int[] cols = groups.columnsView(g);
            int best = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int i = 0; i < x.length; i++) {
                if (assign[i] != cluster) continue;
                double s = 0;
                for (int c : cols) { double t = x[i][c] - centre[c]; s += t * t; }
                if (s < bd) { bd = s; best = i; }
            }
            for (int c : cols) out[c] = x[best][c];
        }
        return out;
    }
}

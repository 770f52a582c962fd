package io.micromodels.data;

import java.util.Arrays;
import java.util.List;

/**
 * Scores for {@link DataOptions#topK()}: how much each input column's features say about the target, on the training
 * split only. See {@link SelectionMethod} for the definitions.
 */
final class FeatureSelection {
    static final int BINS = 10;

    private FeatureSelection() {
    }

    /**
     * @param x       training features, unscaled, [n, width]
     * @param groups  per input column, its feature indices
     * @param classes class index per row (classification) or null
     * @param k       number of classes (classification)
     * @param y       target per row (regression) or null
     * @return one score per group, in order
     */
    static double[] scores(Rows x, List<int[]> groups, int[] classes, int k, double[] y, SelectionMethod method) {
        int n = x.n;
        double[] out = new double[groups.size()];
        int[] targetBins;
        int targetCount;
        if (classes != null) {
            targetBins = classes;
            targetCount = k;
        } else {
            targetBins = bin(y);
            targetCount = Arrays.stream(targetBins).max().orElse(0) + 1;
        }
        double[] column = new double[n];
        for (int g = 0; g < groups.size(); g++) {
            double best = 0;
            for (int f : groups.get(g)) {
                for (int i = 0; i < n; i++) {
                    column[i] = x.get(i, f);
                }
                double s;
                if (method == SelectionMethod.MUTUAL_INFORMATION) {
                    s = mutualInformation(bin(column), targetBins, targetCount);
                } else if (classes != null) {
                    s = 0;
                    double[] indicator = new double[n];
                    for (int c = 0; c < k; c++) {
                        for (int i = 0; i < n; i++) {
                            indicator[i] = classes[i] == c ? 1 : 0;
                        }
                        s = Math.max(s, Math.abs(pearson(column, indicator)));
                    }
                } else {
                    s = Math.abs(pearson(column, y));
                }
                best = Math.max(best, s);
            }
            out[g] = best;
        }
        return out;
    }

    /** Equal-frequency bins (at most {@link #BINS}); a variable with at most BINS distinct values gets one bin per value. */
    static int[] bin(double[] v) {
        int n = v.length;
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double[] distinct = Arrays.stream(sorted).distinct().toArray();
        double[] edges;
        if (distinct.length <= BINS) {
            edges = Arrays.copyOfRange(distinct, 1, distinct.length);
        } else {
            edges = new double[BINS - 1];
            for (int j = 1; j < BINS; j++) {
                edges[j - 1] = sorted[(int) ((long) j * n / BINS)];
            }
            edges = Arrays.stream(edges).distinct().toArray();
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            // number of edges <= value
            int lo = 0;
            int hi = edges.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (edges[mid] <= v[i]) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            out[i] = lo;
        }
        return out;
    }

    /** Mutual information in nats of two discrete variables. */
    static double mutualInformation(int[] a, int[] b, int bCount) {
        int n = a.length;
        if (n == 0) {
            return 0;
        }
        int aCount = Arrays.stream(a).max().orElse(0) + 1;
        double[][] joint = new double[aCount][bCount];
        double[] pa = new double[aCount];
        double[] pb = new double[bCount];
        for (int i = 0; i < n; i++) {
            joint[a[i]][b[i]]++;
            pa[a[i]]++;
            pb[b[i]]++;
        }
        double mi = 0;
        for (int i = 0; i < aCount; i++) {
            for (int j = 0; j < bCount; j++) {
                if (joint[i][j] > 0) {
                    double pij = joint[i][j] / n;
                    mi += pij * Math.log(pij / ((pa[i] / n) * (pb[j] / n)));
                }
            }
        }
        return Math.max(0, mi);
    }

    /** Pearson correlation; 0 when either variable is constant. */
    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0) {
            return 0;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}

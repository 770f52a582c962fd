package io.micromodels.explain;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Plain-Java models and a brute-force Shapley reference used by the explain tests. */
public final class TestModels {
    private TestModels() {}

    /** f(x) = b + w . x, shape [n][w.length] -> [n]. */
    public static BatchModel linear(double b, double[] w) {
        return rows -> {
            double[] out = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                double s = b;
                for (int j = 0; j < w.length; j++) s += w[j] * rows[i][j];
                out[i] = s;
            }
            return out;
        };
    }

    /** A fixed-weight 2-layer tanh network: width -> hidden (tanh) -> hidden (tanh) -> 1 (linear). */
    public static BatchModel tanhNet(int width, int hidden, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] w1 = new double[hidden][width];
        double[] b1 = new double[hidden];
        double[][] w2 = new double[hidden][hidden];
        double[] b2 = new double[hidden];
        double[] w3 = new double[hidden];
        for (int h = 0; h < hidden; h++) {
            for (int j = 0; j < width; j++) w1[h][j] = gauss(rng) * 1.2 / Math.sqrt(width);
            b1[h] = gauss(rng) * 0.3;
            for (int j = 0; j < hidden; j++) w2[h][j] = gauss(rng) * 1.5 / Math.sqrt(hidden);
            b2[h] = gauss(rng) * 0.3;
            w3[h] = gauss(rng);
        }
        return rows -> {
            double[] out = new double[rows.length];
            double[] a = new double[hidden];
            for (int i = 0; i < rows.length; i++) {
                for (int h = 0; h < hidden; h++) {
                    double s = b1[h];
                    for (int j = 0; j < width; j++) s += w1[h][j] * rows[i][j];
                    a[h] = Math.tanh(s);
                }
                double o = 0.1;
                for (int h = 0; h < hidden; h++) {
                    double s = b2[h];
                    for (int j = 0; j < hidden; j++) s += w2[h][j] * a[j];
                    o += w3[h] * Math.tanh(s);
                }
                out[i] = o;
            }
            return out;
        };
    }

    /** Standard-normal-ish matrix of shape [n][width]. */
    public static double[][] gaussianRows(int n, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][width];
        for (double[] r : x) for (int j = 0; j < width; j++) r[j] = gauss(rng);
        return x;
    }

    public static double gauss(SplittableRandom rng) {
        double u = rng.nextDouble(1e-300, 1.0);
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Wraps a model, counting predict calls and the largest batch. */
    public static final class Counting implements BatchModel {
        final BatchModel inner;
        final AtomicInteger calls = new AtomicInteger();
        long rows;
        int largest;

        Counting(BatchModel inner) {
            this.inner = inner;
        }

        @Override
        public double[] predict(double[][] r) {
            calls.incrementAndGet();
            rows += r.length;
            largest = Math.max(largest, r.length);
            return inner.predict(r);
        }
    }

    /**
     * Shapley values by definition: the average, over all M! orderings of the players (groups), of
     * each player's marginal contribution v(before + i) - v(before), with
     * v(S) = sum_b w_b f(b with S's columns from x), each synthetic row predicted on its own.
     */
    public static double[] bruteForceShapley(BatchModel f, double[] x, double[][] bg, double[] weights, int[][] groups) {
        int m = groups.length;
        double wsum = 0;
        for (double w : weights) wsum += w;
        final double total = wsum;
        Map<Integer, Double> cache = new HashMap<>();
        java.util.function.IntToDoubleFunction v = mask -> cache.computeIfAbsent(mask, s -> {
            double acc = 0;
            for (int b = 0; b < bg.length; b++) {
                double[] row = bg[b].clone();
                for (int g = 0; g < m; g++) {
                    if ((s >> g & 1) != 0) for (int c : groups[g]) row[c] = x[c];
                }
                acc += weights[b] / total * f.predict(new double[][] {row})[0];
            }
            return acc;
        });
        double[] phi = new double[m];
        int[] perm = new int[m];
        for (int i = 0; i < m; i++) perm[i] = i;
        long count = 0;
        do {
            int mask = 0;
            for (int p : perm) {
                double before = v.applyAsDouble(mask);
                mask |= 1 << p;
                phi[p] += v.applyAsDouble(mask) - before;
            }
            count++;
        } while (nextPermutation(perm));
        for (int i = 0; i < m; i++) phi[i] /= count;
        return phi;
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) i--;
        if (i < 0) return false;
        int j = a.length - 1;
        while (a[j] <= a[i]) j--;
        int t = a[i]; a[i] = a[j]; a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) { t = a[l]; a[l] = a[r]; a[r] = t; }
        return true;
    }

    public static double relativeL1(double[] approx, double[] exact) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < exact.length; i++) {
            num += Math.abs(approx[i] - exact[i]);
            den += Math.abs(exact[i]);
        }
        return num / den;
    }
}

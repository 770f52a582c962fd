package io.micromodels.frozen.plan;

import java.util.Arrays;

/**
 * The maths of the two learned numeric encodings, shared by the DataVec pipeline (fitting and transforming) and the
 * frozen {@link EncodedNumericStep}, so both compute the same doubles. Plain Java, no state.
 *
 * <ul>
 *   <li><b>Quantile (rank-Gauss)</b>: the training values' quantiles {@code q[0..m)} at the references
 *       {@code r_i = i / (m - 1)} ({@code m = min(1000, n)}, linear interpolation between order statistics as
 *       {@code numpy.percentile}, then made non-decreasing); a value maps to the average of the forward and backward
 *       linear interpolation of {@code q -> r} (ties land in the middle of their run), values at or beyond the ends to 0
 *       or 1, then through the standard normal inverse CDF, clipped to {@code ±5.199} (the inverse CDF at
 *       {@code 1e-7}). This is scikit-learn's {@code QuantileTransformer(output_distribution='normal')} without its
 *       sub-sampling above 100,000 rows.</li>
 *   <li><b>Piecewise-linear encoding</b> (Gorishniy, Rubachev and Babenko, NeurIPS 2022): bin edges
 *       {@code b[0] < ... < b[T]} are the training quantiles at {@code t / T} (duplicates removed); a value becomes
 *       {@code T} features, feature {@code t} being {@code clip((x - b[t]) / (b[t+1] - b[t]), 0, 1)}: ones for the bins
 *       below the value, the position inside its own bin, zeros above. Values outside the training range saturate
 *       (all zeros below {@code b[0]}, all ones above {@code b[T]}).</li>
 * </ul>
 */
public final class NumericEncodings {
    private NumericEncodings() {
    }

    /** The most quantiles a quantile encoding keeps (scikit-learn's default {@code n_quantiles}). */
    public static final int MAX_QUANTILES = 1000;
    /** The most bins a piecewise-linear encoding makes (fewer when the training values have fewer distinct quantiles). */
    public static final int MAX_BINS = 16;

    /** scikit-learn's {@code BOUNDS_THRESHOLD}. */
    private static final double BOUNDS = 1e-7;
    /** {@code BOUNDS - spacing(1)} as in scikit-learn's clip bounds. */
    private static final double CLIP_P = BOUNDS - Math.ulp(1.0);
    private static final double CLIP_MIN = inverseNormalCdf(CLIP_P);
    private static final double CLIP_MAX = inverseNormalCdf(1 - CLIP_P);

    /**
     * The {@code p}-quantile of sorted values with linear interpolation between order statistics ({@code numpy.percentile}'s
     * default): {@code h = (n - 1) p}, {@code v[floor h] + (h - floor h)(v[floor h + 1] - v[floor h])}.
     *
     * @param sorted [n] ascending, n &gt;= 1
     */
    public static double quantile(double[] sorted, double p) {
        int n = sorted.length;
        double h = (n - 1) * p;
        int lo = (int) Math.floor(h);
        if (lo >= n - 1) {
            return sorted[n - 1];
        }
        if (lo < 0) {
            return sorted[0];
        }
        double t = h - lo;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        // numpy's _lerp: a + (b - a) t, computed from the nearer end.
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
    }

    /**
     * Fits a quantile encoding: {@code min(MAX_QUANTILES, n)} quantiles of the values, non-decreasing.
     *
     * @param values [n] finite training values, n &gt;= 1 (not modified)
     * @return [m] quantiles at the references {@code i / (m - 1)} (m = 1 gives a constant map)
     */
    public static double[] fitQuantiles(double[] values) {
        double[] v = sortedCopy(values);
        int m = Math.min(MAX_QUANTILES, v.length);
        double[] q = new double[m];
        for (int i = 0; i < m; i++) {
            q[i] = quantile(v, m == 1 ? 0.0 : reference(i, m));
            if (i > 0 && q[i] < q[i - 1]) {
                q[i] = q[i - 1];
            }
        }
        return q;
    }

    /** The i-th of m references, {@code numpy.linspace(0, 1, m)[i]}. */
    static double reference(int i, int m) {
        if (i == m - 1) {
            return 1.0;
        }
        return i * (1.0 / (m - 1));
    }

    /**
     * Encodes one value with fitted quantiles: a standard-normal score in {@code [-5.199, 5.199]}.
     *
     * @param quantiles [m] from {@link #fitQuantiles}
     */
    public static double quantileEncode(double x, double[] quantiles) {
        int m = quantiles.length;
        double lo = quantiles[0];
        double hi = quantiles[m - 1];
        double p;
        if (x - BOUNDS < lo) {
            p = 0.0;
        } else if (x + BOUNDS > hi) {
            p = 1.0;
        } else {
            p = 0.5 * (interpForward(x, quantiles) + interpBackward(x, quantiles));
        }
        if (p <= CLIP_P) {
            return CLIP_MIN;
        }
        if (p >= 1 - CLIP_P) {
            return CLIP_MAX;
        }
        return Math.min(CLIP_MAX, Math.max(CLIP_MIN, inverseNormalCdf(p)));
    }

    /** {@code numpy.interp(x, q, r)} with r the references: the last index j with q[j] &lt;= x. */
    private static double interpForward(double x, double[] q) {
        int m = q.length;
        if (x <= q[0]) {
            return reference(0, m);
        }
        if (x >= q[m - 1]) {
            return 1.0;
        }
        int j = upperBound(q, x) - 1;   // q[j] <= x < q[j + 1]
        double r0 = reference(j, m);
        double r1 = reference(j + 1, m);
        return r0 + (r1 - r0) / (q[j + 1] - q[j]) * (x - q[j]);
    }

    /** {@code -numpy.interp(-x, -q[::-1], -r[::-1])}: the same interpolation resolving ties towards the first index. */
    private static double interpBackward(double x, double[] q) {
        int m = q.length;
        if (x >= q[m - 1]) {
            return 1.0;
        }
        if (x <= q[0]) {
            return 0.0;
        }
        int j = lowerBound(q, x);       // q[j - 1] < x <= q[j]
        double r0 = reference(j, m);
        double r1 = reference(j - 1, m);
        // numpy evaluates on the negated, reversed arrays: -(-r0 + (-r1 + r0) / (-q[j-1] + q[j]) * (-x + q[j]))
        return -(-r0 + (-r1 - -r0) / (-q[j - 1] - -q[j]) * (-x - -q[j]));
    }

    /** First index with a[i] &gt; x. */
    private static int upperBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index with a[i] &gt;= x. */
    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Fits piecewise-linear bin edges: the quantiles at {@code t / bins}, {@code t = 0..bins}, duplicates removed. When
     * every training value is the same the edges are {@code [v, v + 1]} (one bin, the feature 0 at v).
     *
     * @param values [n] finite training values, n &gt;= 1
     * @param bins   the most bins, &gt;= 1
     * @return [T + 1] strictly increasing edges, 1 &lt;= T &lt;= bins
     */
    public static double[] fitEdges(double[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double[] v = sortedCopy(values);
        double[] e = new double[bins + 1];
        int k = 0;
        for (int t = 0; t <= bins; t++) {
            double q = t == bins ? v[v.length - 1] : quantile(v, t / (double) bins);
            if (k == 0 || q > e[k - 1]) {
                e[k++] = q;
            }
        }
        if (k == 1) {
            return new double[] {e[0], e[0] + 1};
        }
        return Arrays.copyOf(e, k);
    }

    /**
     * Writes the piecewise-linear encoding of x into {@code out[offset .. offset + edges.length - 1)}.
     *
     * @param edges [T + 1] from {@link #fitEdges}
     */
    public static void piecewiseLinear(double x, double[] edges, double[] out, int offset) {
        int bins = edges.length - 1;
        for (int t = 0; t < bins; t++) {
            double lo = edges[t];
            double hi = edges[t + 1];
            double f;
            if (x <= lo) {
                f = 0.0;
            } else if (x >= hi) {
                f = 1.0;
            } else {
                f = (x - lo) / (hi - lo);
            }
            out[offset + t] = f;
        }
    }

    /**
     * The raw value a piecewise-linear encoding stands for (for explanations): {@code b[t] + f_t (b[t+1] - b[t])} at the
     * first bin not full, or the last edge when all are full.
     *
     * @param features the row, the encoding at {@code features[offset .. offset + T)}
     */
    public static double piecewiseLinearDecode(double[] features, int offset, double[] edges) {
        int bins = edges.length - 1;
        for (int t = 0; t < bins; t++) {
            double f = features[offset + t];
            if (f < 1.0) {
                return edges[t] + Math.max(0.0, f) * (edges[t + 1] - edges[t]);
            }
        }
        return edges[bins];
    }

    /**
     * The raw value a quantile score stands for (for explanations): the value in {@code [q[0], q[m-1]]} whose encoding
     * is nearest to z, by bisection on the monotone encoding.
     */
    public static double quantileDecode(double z, double[] quantiles) {
        double lo = quantiles[0];
        double hi = quantiles[quantiles.length - 1];
        for (int i = 0; i < 80 && lo < hi; i++) {
            double mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (quantileEncode(mid, quantiles) < z) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo + (hi - lo) / 2;
    }

    /**
     * The standard normal inverse CDF for {@code p} in {@code [1e-11, 1 - 1e-11]} (Wichura's AS241, PPND16, about 16
     * significant digits); outside that range the nearest end of it.
     */
    public static double inverseNormalCdf(double p) {
        if (!(p > 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                    + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.387132872796366608)
                    / (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                    + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                    + 42.313330701600911252) * r + 1.0);
        }
        double r = q < 0 ? p : 1 - p;
        r = Math.sqrt(-Math.log(r));
        // Only the middle tail (r <= 5, p >= about 1.4e-11) is needed: the encoding clips at p = 1e-7.
        r = Math.min(r, 5.0) - 1.6;
        double val = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                + 4.6303378461565452959) * r + 1.42343711074968357734)
                / (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                + 2.05319162663775882187) * r + 1.0);
        return q < 0 ? -val : val;
    }

    private static double[] sortedCopy(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("at least one training value is needed");
        }
        double[] v = values.clone();
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("training values must be finite, got " + x);
            }
        }
        Arrays.sort(v);
        return v;
    }
}

package io.micromodels.tune.bayes;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;

/**
 * A Gaussian process conditioned on data, with fixed hyperparameters: Matérn 5/2 kernel with one
 * length scale per coordinate (ARD), signal variance, Gaussian noise variance and a constant mean.
 *
 * <p>Kernel: {@code k(a, b) = s2 * (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)} with
 * {@code r^2 = sum_j delta_j(a_j, b_j)^2 / l_j^2}, where {@code delta_j} is {@code a_j - b_j} for a
 * continuous or integer coordinate and {@code 1} or {@code 0} (different or same category) for a
 * categorical one. Predictions are of the latent function (without the noise). Immutable.
 */
final class GaussianProcess {

    static final double SQRT5 = Math.sqrt(5.0);
    /** Jitters tried in turn, relative to the signal variance, when a Cholesky factorisation fails. */
    private static final double[] JITTERS = {0.0, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2};

    /** shape {@code [n][d]}: training inputs. */
    private final double[][] x;
    /** shape {@code [n]}: training targets. */
    private final double[] y;
    /** shape {@code [d]}: whether coordinate {@code j} is categorical. */
    private final boolean[] categorical;
    /** shape {@code [d]}: {@code 1 / l_j^2}. */
    private final double[] inverseSquaredLengthScales;
    private final double signalVariance;
    private final double noiseVariance;
    /** shape {@code [n]}: noise variance of each observation (0 for a believed fantasy). */
    private final double[] observationNoise;
    private final double mean;
    /** Jitter added to the diagonal on top of the noise. */
    private final double jitter;
    /** shape {@code [n * n]}: row-major lower Cholesky factor of {@code K + (noise + jitter) I}. */
    private final double[] cholesky;
    /** shape {@code [n]}: {@code (K + (noise + jitter) I)^-1 (y - mean)}. */
    private final double[] alpha;
    /** shape {@code [n * n]}: the transpose of {@link #cholesky} (row-major upper factor), for column sweeps. */
    private final double[] choleskyT;

    private GaussianProcess(double[][] x, double[] y, boolean[] categorical, double[] invL2,
                            double signalVariance, double noiseVariance, double[] observationNoise,
                            double mean, double jitter, double[] cholesky, double[] alpha) {
        this.x = x;
        this.y = y;
        this.categorical = categorical;
        this.inverseSquaredLengthScales = invL2;
        this.signalVariance = signalVariance;
        this.noiseVariance = noiseVariance;
        this.observationNoise = observationNoise;
        this.mean = mean;
        this.jitter = jitter;
        this.cholesky = cholesky;
        this.alpha = alpha;
        int n = x.length;
        this.choleskyT = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k <= i; k++) {
                choleskyT[k * n + i] = cholesky[i * n + k];
            }
        }
    }

    /**
     * Solves {@code L v = b} in place by column sweeps ({@code v_k = b_k / L_kk}, then
     * {@code b_i -= L_ik v_k} for {@code i > k}, contiguous in the transposed factor).
     *
     * @param b shape {@code [>= n]}: right-hand side, overwritten with the solution
     */
    void solveLower(double[] b) {
        int n = x.length;
        double[] lt = choleskyT;
        for (int k = 0; k < n; k++) {
            int rk = k * n;
            double v = b[k] / lt[rk + k];
            b[k] = v;
            if (v != 0.0) {
                for (int i = k + 1; i < n; i++) {
                    b[i] -= lt[rk + i] * v;
                }
            }
        }
    }

    /**
     * Solves {@code L' v = b} in place by row sweeps of {@code L} ({@code v_i = b_i / L_ii}, then
     * {@code b_k -= L_ik v_i} for {@code k < i}).
     *
     * @param b shape {@code [>= n]}: right-hand side, overwritten with the solution
     */
    void solveUpper(double[] b) {
        int n = x.length;
        double[] l = cholesky;
        for (int i = n - 1; i >= 0; i--) {
            int ri = i * n;
            double v = b[i] / l[ri + i];
            b[i] = v;
            if (v != 0.0) {
                for (int k = 0; k < i; k++) {
                    b[k] -= l[ri + k] * v;
                }
            }
        }
    }

    /**
     * Conditions a Gaussian process on data. If the covariance matrix is not numerically positive
     * definite, jitter of {@code 1e-10, 1e-8, ..., 1e-2} times the signal variance is added to its
     * diagonal until it is.
     *
     * @param x              shape {@code [n][d]}: inputs (not copied; must not be modified after)
     * @param y              shape {@code [n]}: targets (not copied)
     * @param categorical    shape {@code [d]}: which coordinates are categorical
     * @param lengthScales   shape {@code [d]}: length scales, {@code > 0}
     * @param signalVariance {@code s2 > 0}
     * @param noiseVariance  {@code >= 0}
     * @param mean           the constant prior mean
     * @return the conditioned process
     * @throws IllegalStateException if no jitter makes the matrix positive definite
     */
    static GaussianProcess condition(double[][] x, double[] y, boolean[] categorical,
                                     double[] lengthScales, double signalVariance,
                                     double noiseVariance, double mean) {
        double[] noise = new double[x.length];
        java.util.Arrays.fill(noise, noiseVariance);
        return condition(x, y, categorical, lengthScales, signalVariance, noiseVariance, noise, mean);
    }

    private static GaussianProcess condition(double[][] x, double[] y, boolean[] categorical,
                                             double[] lengthScales, double signalVariance,
                                             double noiseVariance, double[] observationNoise,
                                             double mean) {
        return extend(null, x, y, categorical, lengthScales, signalVariance, noiseVariance, observationNoise,
                mean);
    }

    /**
     * Conditions on {@code x, y} like {@link #condition}, reusing the Cholesky factor of {@code base}
     * when {@code base} has the same hyperparameters and its inputs are the first rows of {@code x}
     * with the same per-observation noise: only the new rows of the factor are computed
     * ({@code O((n - n0) n^2)} instead of {@code O(n^3)}). The factor is the row-by-row
     * (Cholesky-Banachiewicz) one, which computes row {@code i} from rows {@code < i} only, so an
     * extended factor is bit-for-bit the fresh one (same jitter ladder, see {@link #condition}).
     *
     * @param base             an earlier process to extend, or null
     * @param x                shape {@code [n][d]}: inputs (not copied)
     * @param y                shape {@code [n]}: targets (not copied)
     * @param categorical      shape {@code [d]}
     * @param lengthScales     shape {@code [d]}
     * @param signalVariance   {@code s2 > 0}
     * @param noiseVariance    {@code >= 0}
     * @param observationNoise shape {@code [n]}: noise variance of each observation
     * @param mean             the constant prior mean, or NaN for the generalised-least-squares
     *                         estimate {@code 1' K^-1 y / 1' K^-1 1} under these hyperparameters
     * @return the conditioned process
     */
    static GaussianProcess extend(GaussianProcess base, double[][] x, double[] y, boolean[] categorical,
                                  double[] lengthScales, double signalVariance, double noiseVariance,
                                  double[] observationNoise, double mean) {
        double[] invL2 = new double[lengthScales.length];
        for (int j = 0; j < invL2.length; j++) {
            invL2[j] = 1.0 / (lengthScales[j] * lengthScales[j]);
        }
        return extendScaled(base, x, y, categorical, invL2, signalVariance, noiseVariance, observationNoise, mean);
    }

    private static GaussianProcess extendScaled(GaussianProcess base, double[][] x, double[] y,
                                                boolean[] categorical, double[] invL2, double signalVariance,
                                                double noiseVariance, double[] observationNoise, double mean) {
        int n = x.length;
        int reuse = base != null && base.compatible(x, invL2, signalVariance, observationNoise) ? base.size() : 0;
        int firstJitter = 0;
        if (reuse > 0) {
            while (firstJitter < JITTERS.length - 1 && JITTERS[firstJitter] * signalVariance != base.jitter) {
                firstJitter++;
            }
        }
        double[] row = new double[n];
        for (int t = firstJitter; t < JITTERS.length; t++) {
            double jit = JITTERS[t] * signalVariance;
            double[] l = new double[n * n];
            int from = t == firstJitter ? reuse : 0;
            for (int i = 0; i < from; i++) {
                System.arraycopy(base.cholesky, i * from, l, i * n, i + 1);
            }
            boolean ok = true;
            for (int i = from; i < n && ok; i++) {
                for (int k = 0; k < i; k++) {
                    row[k] = signalVariance * matern52(squaredDistance(x[i], x[k], invL2, categorical));
                }
                row[i] = signalVariance + observationNoise[i] + jit;
                ok = choleskyRow(l, n, i, row);
            }
            if (ok) {
                double c = mean;
                if (Double.isNaN(c)) {
                    double[] ones = new double[n];
                    double[] b = y.clone();
                    java.util.Arrays.fill(ones, 1.0);
                    TriangularSolver_DDRM.solveL(l, ones, n);
                    TriangularSolver_DDRM.solveL(l, b, n);
                    double ab = 0.0;
                    double aa = 0.0;
                    for (int i = 0; i < n; i++) {
                        ab += ones[i] * b[i];
                        aa += ones[i] * ones[i];
                    }
                    c = ab / aa;
                }
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = y[i] - c;
                }
                TriangularSolver_DDRM.solveL(l, a, n);
                TriangularSolver_DDRM.solveTranL(l, a, n);
                return new GaussianProcess(x, y, categorical, invL2, signalVariance, noiseVariance,
                        observationNoise, c, jit, l, a);
            }
        }
        throw new IllegalStateException("covariance matrix is not positive definite even with jitter "
                + JITTERS[JITTERS.length - 1] + " * signal variance");
    }

    /** Whether this process's factor is the leading block of the one for {@code x} (see {@link #extend}). */
    private boolean compatible(double[][] x2, double[] invL2, double s2, double[] noise2) {
        int n = x.length;
        if (n > x2.length || s2 != signalVariance || !java.util.Arrays.equals(invL2, inverseSquaredLengthScales)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (observationNoise[i] != noise2[i] || !java.util.Arrays.equals(x[i], x2[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Computes row {@code i} of a lower Cholesky factor whose rows {@code < i} are done
     * (Cholesky-Banachiewicz): {@code L_ik = (A_ik - sum_{p<k} L_ip L_kp) / L_kk},
     * {@code L_ii = sqrt(A_ii - sum_{p<i} L_ip^2)}.
     *
     * @param l   shape {@code [n * n]}: row-major factor; row {@code i} is written
     * @param n   the order
     * @param i   the row
     * @param row shape {@code [>= i + 1]}: {@code A_i0 .. A_ii}
     * @return false if the pivot is not positive and finite (not numerically positive definite)
     */
    static boolean choleskyRow(double[] l, int n, int i, double[] row) {
        int ri = i * n;
        for (int k = 0; k < i; k++) {
            int rk = k * n;
            double s = row[k] - dot(l, ri, l, rk, k);
            l[ri + k] = s / l[rk + k];
        }
        double s = row[i] - dot(l, ri, l, ri, i);
        if (!(s > 0.0) || !Double.isFinite(s)) {
            return false;
        }
        l[ri + i] = Math.sqrt(s);
        return true;
    }

    /** {@code sum_{p<len} a[ao + p] * b[bo + p]}, four partial sums (fixed order: same result every call). */
    private static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int p = 0;
        for (; p + 3 < len; p += 4) {
            s0 += a[ao + p] * b[bo + p];
            s1 += a[ao + p + 1] * b[bo + p + 1];
            s2 += a[ao + p + 2] * b[bo + p + 2];
            s3 += a[ao + p + 3] * b[bo + p + 3];
        }
        for (; p < len; p++) {
            s0 += a[ao + p] * b[bo + p];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Cholesky factorisation in place (EJML), lower factor left in {@code a} with zeros above.
     *
     * @return false if {@code a} is not numerically positive definite
     */
    static boolean factor(DMatrixRMaj a) {
        CholeskyDecompositionInner_DDRM chol = new CholeskyDecompositionInner_DDRM(true);
        if (!chol.decompose(a)) {
            return false;
        }
        int n = a.numRows;
        for (int i = 0; i < n; i++) {
            double v = a.data[i * n + i];
            if (!(v > 0.0) || !Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The Matérn 5/2 correlation as a function of the scaled squared distance.
     *
     * @param r2 {@code r^2 >= 0}
     * @return {@code (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)}
     */
    static double matern52(double r2) {
        double sr = SQRT5 * Math.sqrt(r2);
        return (1.0 + sr + sr * sr / 3.0) * Math.exp(-sr);
    }

    /**
     * @param a           shape {@code [d]}
     * @param b           shape {@code [d]}
     * @param invL2       shape {@code [d]}: {@code 1 / l_j^2}
     * @param categorical shape {@code [d]}
     * @return {@code r^2}, the scaled squared distance of the kernel
     */
    static double squaredDistance(double[] a, double[] b, double[] invL2, boolean[] categorical) {
        double s = 0.0;
        for (int j = 0; j < a.length; j++) {
            if (categorical[j]) {
                if (a[j] != b[j]) {
                    s += invL2[j];
                }
            } else {
                double t = a[j] - b[j];
                s += t * t * invL2[j];
            }
        }
        return s;
    }

    /** @return the number of training points {@code n} */
    int size() {
        return x.length;
    }





    /** @return shape {@code [n * n]}: a copy of the row-major lower Cholesky factor */
    double[] choleskyFactor() {
        return cholesky.clone();
    }

    /** @return the noise variance of the hyperparameters */
    double noiseVariance() {
        return noiseVariance;
    }

    /** @return the signal variance {@code s2} */
    double signalVariance() {
        return signalVariance;
    }

    /** @return the constant prior mean used */
    double priorMean() {
        return mean;
    }

    /** @return the jitter that was needed on top of the noise (0 if none) */
    double jitter() {
        return jitter;
    }

    /** @return shape {@code [d]}: the length scales */
    double[] lengthScales() {
        double[] l = new double[inverseSquaredLengthScales.length];
        for (int j = 0; j < l.length; j++) {
            l[j] = 1.0 / Math.sqrt(inverseSquaredLengthScales[j]);
        }
        return l;
    }



    /**
     * The same process with one more, noise-free observation (same hyperparameters and mean): a
     * kriging-believer fantasy, believed exactly, so the posterior variance at {@code point}
     * collapses and later proposals keep their distance from it.
     *
     * @param point shape {@code [d]}
     * @param value the fantasised target
     * @return a new conditioned process; this one is unchanged
     */
    GaussianProcess with(double[] point, double value) {
        int n = x.length;
        double[][] x2 = new double[n + 1][];
        System.arraycopy(x, 0, x2, 0, n);
        x2[n] = point.clone();
        double[] y2 = new double[n + 1];
        System.arraycopy(y, 0, y2, 0, n);
        y2[n] = value;
        double[] noise2 = java.util.Arrays.copyOf(observationNoise, n + 1);
        return extendScaled(this, x2, y2, categorical, inverseSquaredLengthScales, signalVariance, noiseVariance,
                noise2, mean);
    }

    /**
     * Posterior of the latent function at one point.
     *
     * @param q     shape {@code [d]}: the query point
     * @param out   shape {@code [2]}: receives {@code {mean, variance}}; variance floored at
     *              {@code 1e-12 * s2}
     * @param work  shape {@code [n]}: scratch, overwritten with {@code L^-1 k(q, X)}
     */
    void predict(double[] q, double[] out, double[] work) {
        int n = x.length;
        double mu = mean;
        for (int i = 0; i < n; i++) {
            double k = signalVariance * matern52(squaredDistance(q, x[i], inverseSquaredLengthScales, categorical));
            work[i] = k;
            mu += k * alpha[i];
        }
        solveLower(work);
        double vv = 0.0;
        for (int i = 0; i < n; i++) {
            vv += work[i] * work[i];
        }
        out[0] = mu;
        out[1] = Math.max(signalVariance - vv, 1e-12 * signalVariance);
    }

    /**
     * Posterior of the latent function at many points, as {@link #predict} but with the triangular
     * solve done for a block of points at once (row updates over the block, which the JIT
     * vectorises): the same values up to rounding, several times faster for hundreds of points.
     *
     * @param q        shape {@code [m][d]}: query points
     * @param mean     shape {@code [m]}: receives the posterior means
     * @param variance shape {@code [m]}: receives the variances, floored as in {@link #predict}
     */
    void predictMany(double[][] q, double[] mean, double[] variance) {
        int n = x.length;
        int m = q.length;
        int block = 64;
        double[][] v = new double[n][block];
        double[] acc = new double[block];
        for (int from = 0; from < m; from += block) {
            int c = Math.min(block, m - from);
            for (int i = 0; i < n; i++) {
                double[] vi = v[i];
                double[] xi = x[i];
                for (int t = 0; t < c; t++) {
                    vi[t] = signalVariance * matern52(squaredDistance(q[from + t], xi, inverseSquaredLengthScales,
                            categorical));
                }
            }
            for (int t = 0; t < c; t++) {
                double mu = this.mean;
                for (int i = 0; i < n; i++) {
                    mu += v[i][t] * alpha[i];
                }
                mean[from + t] = mu;
            }
            java.util.Arrays.fill(acc, 0.0);
            for (int i = 0; i < n; i++) {
                double[] vi = v[i];
                int ri = i * n;
                for (int k = 0; k < i; k++) {
                    double lik = cholesky[ri + k];
                    if (lik != 0.0) {
                        double[] vk = v[k];
                        for (int t = 0; t < c; t++) {
                            vi[t] -= lik * vk[t];
                        }
                    }
                }
                double inv = 1.0 / cholesky[ri + i];
                for (int t = 0; t < c; t++) {
                    vi[t] *= inv;
                    acc[t] += vi[t] * vi[t];
                }
            }
            for (int t = 0; t < c; t++) {
                variance[from + t] = Math.max(signalVariance - acc[t], 1e-12 * signalVariance);
            }
        }
    }

    /**
     * Posterior of the latent function at one point with its gradient with respect to the
     * continuous (non-categorical) coordinates; entries of categorical coordinates are set to 0.
     *
     * @param q     shape {@code [d]}: the query point
     * @param out   shape {@code [2]}: receives {@code {mean, variance}} (variance floored as in
     *              {@link #predict})
     * @param dMean shape {@code [d]}: receives {@code d mean / d q}
     * @param dVar  shape {@code [d]}: receives {@code d variance / d q} (0 where the floor is active)
     * @param work  shape {@code [2n]}: scratch
     */
    void predictWithGradient(double[] q, double[] out, double[] dMean, double[] dVar, double[] work) {
        int n = x.length;
        int d = q.length;
        double[] invL2 = inverseSquaredLengthScales;
        double mu = mean;
        // work[0..n): k, then L^-1 k, then K^-1 k; work[n..2n): dk/dr-factor g_i with
        // dk_i/dq_j = -g_i * (q_j - x_ij) / l_j^2.
        for (int i = 0; i < n; i++) {
            double r2 = squaredDistance(q, x[i], invL2, categorical);
            double sr = SQRT5 * Math.sqrt(r2);
            double e = Math.exp(-sr);
            double k = signalVariance * (1.0 + sr + sr * sr / 3.0) * e;
            work[i] = k;
            work[n + i] = signalVariance * (5.0 / 3.0) * (1.0 + sr) * e;
            mu += k * alpha[i];
        }
        solveLower(work);
        double vv = 0.0;
        for (int i = 0; i < n; i++) {
            vv += work[i] * work[i];
        }
        solveUpper(work);
        double var = signalVariance - vv;
        boolean floored = var < 1e-12 * signalVariance;
        out[0] = mu;
        out[1] = floored ? 1e-12 * signalVariance : var;
        for (int j = 0; j < d; j++) {
            double gm = 0.0;
            double gv = 0.0;
            if (!categorical[j]) {
                for (int i = 0; i < n; i++) {
                    double dk = -work[n + i] * (q[j] - x[i][j]) * invL2[j];
                    gm += alpha[i] * dk;
                    gv += work[i] * dk;
                }
            }
            dMean[j] = gm;
            dVar[j] = floored ? 0.0 : -2.0 * gv;
        }
    }
}

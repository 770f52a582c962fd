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
        int n = x.length;
        double[] invL2 = new double[lengthScales.length];
        for (int j = 0; j < invL2.length; j++) {
            invL2[j] = 1.0 / (lengthScales[j] * lengthScales[j]);
        }
        double[] base = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k <= i; k++) {
                double v = signalVariance * matern52(squaredDistance(x[i], x[k], invL2, categorical));
                base[i * n + k] = v;
                base[k * n + i] = v;
            }
        }
        for (double rel : JITTERS) {
            double jit = rel * signalVariance;
            DMatrixRMaj l = new DMatrixRMaj(n, n);
            System.arraycopy(base, 0, l.data, 0, base.length);
            for (int i = 0; i < n; i++) {
                l.data[i * n + i] += observationNoise[i] + jit;
            }
            if (factor(l)) {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = y[i] - mean;
                }
                TriangularSolver_DDRM.solveL(l.data, a, n);
                TriangularSolver_DDRM.solveTranL(l.data, a, n);
                return new GaussianProcess(x, y, categorical, invL2, signalVariance, noiseVariance,
                        observationNoise, mean, jit, l.data, a);
            }
        }
        throw new IllegalStateException("covariance matrix is not positive definite even with jitter "
                + JITTERS[JITTERS.length - 1] + " * signal variance");
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
        return condition(x2, y2, categorical, lengthScales(), signalVariance, noiseVariance, noise2, mean);
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
        TriangularSolver_DDRM.solveL(cholesky, work, n);
        double vv = 0.0;
        for (int i = 0; i < n; i++) {
            vv += work[i] * work[i];
        }
        out[0] = mu;
        out[1] = Math.max(signalVariance - vv, 1e-12 * signalVariance);
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
        TriangularSolver_DDRM.solveL(cholesky, work, n);
        double vv = 0.0;
        for (int i = 0; i < n; i++) {
            vv += work[i] * work[i];
        }
        TriangularSolver_DDRM.solveTranL(cholesky, work, n);
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

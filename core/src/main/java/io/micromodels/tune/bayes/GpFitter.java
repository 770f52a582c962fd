package io.micromodels.tune.bayes;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;
import org.ejml.dense.row.linsol.chol.LinearSolverChol_DDRM;

/**
 * Fits the Gaussian-process hyperparameters by maximum a posteriori: the log marginal likelihood
 * plus weak log priors, maximised with its analytic gradient by {@link BoundedLbfgs}.
 *
 * <p>Parameters, in log space: one log length scale per coordinate, the log signal variance and
 * the log noise variance (inputs in {@code [0,1]^d}, targets standardised). The constant mean is
 * profiled out: for given kernel parameters it is the generalised-least-squares estimate
 * {@code 1' K^-1 y / 1' K^-1 1}, which maximises the likelihood over the mean, so the gradient
 * with respect to the other parameters is the partial one.
 *
 * <p>Priors and bounds (the GPyTorch/BoTorch classic defaults for a Matérn kernel on normalised
 * data, log densities evaluated at the parameter value): length scales Gamma(3, 6) (mode 1/3) in
 * {@code [0.01, 20]}; signal variance Gamma(2, 0.15) in {@code [0.05, 20]}; noise variance
 * Gamma(1.1, 0.05) in {@code [1e-9, 1]}. The noise floor is far below BoTorch's {@code 1e-4}: on a
 * deterministic objective a higher floor blurs the last digits of the incumbent's basin, and the
 * search then spends tens of trials on improvements it cannot resolve (Hartmann6 and Branin in
 * {@code gpu-bench/RESULTS.md}).
 *
 * <p>Starts: the prior modes and random draws (log length scales uniform in
 * {@code [log 0.05, log 2]}, signal variance in {@code [0.3, 3]}, noise in {@code [1e-6, 0.1]},
 * log-uniform); all are scored by the objective without its gradient (one Cholesky each) and the
 * best {@code refinedStarts} are refined by L-BFGS. There is no warm start from an earlier fit;
 * past 100 trials {@link BayesianOptimizer} calls this only at its refit points, on at most 200
 * trials, and reuses the result in between.
 */
final class GpFitter {

    static final double MIN_LENGTH_SCALE = 0.01;
    static final double MAX_LENGTH_SCALE = 20.0;
    static final double MIN_SIGNAL = 0.05;
    static final double MAX_SIGNAL = 20.0;
    static final double MIN_NOISE = 1e-9;
    static final double MAX_NOISE = 1.0;
    private static final double LOG_2PI = Math.log(2.0 * Math.PI);

    private GpFitter() {
    }

    /**
     * Fitted hyperparameters.
     *
     * @param lengthScales   shape {@code [d]}
     * @param signalVariance {@code s2}
     * @param noiseVariance  noise variance
     * @param mean           constant mean (GLS estimate)
     * @param objective      negative log posterior at the fit (lower is better)
     */
    record Fit(double[] lengthScales, double signalVariance, double noiseVariance, double mean,
               double objective) {
        /**
         * @param x           shape {@code [n][d]}
         * @param y           shape {@code [n]}
         * @param categorical shape {@code [d]}
         * @return the process conditioned on the data with these hyperparameters
         */
        GaussianProcess condition(double[][] x, double[] y, boolean[] categorical) {
            return GaussianProcess.condition(x, y, categorical, lengthScales, signalVariance,
                    noiseVariance, mean);
        }
    }

    /**
     * @param x             shape {@code [n][d]}: inputs in the unit cube
     * @param y             shape {@code [n]}: standardised targets
     * @param categorical   shape {@code [d]}: which coordinates are categorical
     * @param candidates    number of starts scored ({@code >= 1}, the first is the prior modes)
     * @param refinedStarts number of the best-scored starts refined by L-BFGS ({@code >= 1})
     * @param rng           source of the random starts
     * @return the best fit found
     */
    static Fit fit(double[][] x, double[] y, boolean[] categorical, int candidates, int refinedStarts,
                   SplittableRandom rng) {
        return fit(x, y, categorical, candidates, refinedStarts, rng, null);
    }

    /**
     * L-BFGS iterations of a warm-started fit (a full fit allows 100): enough to reach the multi-start fit's optimum
     * from a related target's fit in the cases measured (gpu-bench/RESULTS.md), 5 are not.
     */
    static final int WARM_ITERATIONS = 15;

    /**
     * As {@link #fit(double[][], double[], boolean[], int, int, SplittableRandom)}, warm-started: with {@code warm}
     * not null, two starts are scored, the prior modes and {@code warm}'s hyperparameters (a fit of a related target
     * on the same inputs), and the better is refined by at most {@link #WARM_ITERATIONS} L-BFGS iterations, instead of
     * scoring {@code candidates} starts and refining the best {@code refinedStarts} by up to 100.
     *
     * @param warm a fit to start from, or null
     */
    static Fit fit(double[][] x, double[] y, boolean[] categorical, int candidates, int refinedStarts,
                   SplittableRandom rng, Fit warm) {
        int d = categorical.length;
        Objective objective = new Objective(x, y, categorical);
        double[] lower = new double[d + 2];
        double[] upper = new double[d + 2];
        for (int j = 0; j < d; j++) {
            lower[j] = Math.log(MIN_LENGTH_SCALE);
            upper[j] = Math.log(MAX_LENGTH_SCALE);
        }
        lower[d] = Math.log(MIN_SIGNAL);
        upper[d] = Math.log(MAX_SIGNAL);
        lower[d + 1] = Math.log(MIN_NOISE);
        upper[d + 1] = Math.log(MAX_NOISE);

        double[][] starts = new double[warm != null ? 2 : Math.max(1, candidates)][d + 2];
        double[] scores = new double[starts.length];
        if (warm != null) {
            refinedStarts = 1;
        }
        for (int c = 0; c < starts.length; c++) {
            double[] t = starts[c];
            if (warm != null && c == 1) {
                for (int j = 0; j < d; j++) {
                    t[j] = Math.min(upper[j], Math.max(lower[j], Math.log(warm.lengthScales()[j])));
                }
                t[d] = Math.min(upper[d], Math.max(lower[d], Math.log(warm.signalVariance())));
                t[d + 1] = Math.min(upper[d + 1], Math.max(lower[d + 1], Math.log(warm.noiseVariance())));
                scores[c] = objective.valueAndGradient(t, null);
                continue;
            }
            if (c == 0) {
                for (int j = 0; j < d; j++) {
                    t[j] = Math.log(1.0 / 3.0);
                }
                t[d] = 0.0;
                t[d + 1] = Math.log(1e-3);
            } else {
                for (int j = 0; j < d; j++) {
                    t[j] = Math.log(0.05) + rng.nextDouble() * (Math.log(2.0) - Math.log(0.05));
                }
                t[d] = Math.log(0.3) + rng.nextDouble() * (Math.log(3.0) - Math.log(0.3));
                t[d + 1] = Math.log(1e-6) + rng.nextDouble() * (Math.log(0.1) - Math.log(1e-6));
            }
            scores[c] = objective.valueAndGradient(t, null);
        }
        Fit best = null;
        boolean[] used = new boolean[starts.length];
        for (int r = 0; r < Math.min(refinedStarts, starts.length); r++) {
            int pick = -1;
            for (int c = 0; c < starts.length; c++) {
                if (!used[c] && (pick < 0 || less(scores[c], scores[pick]))) {
                    pick = c;
                }
            }
            used[pick] = true;
            BoundedLbfgs.Result res = BoundedLbfgs.minimize(objective::valueAndGradient, starts[pick],
                    lower, upper, warm != null ? WARM_ITERATIONS : 100, 1e-5, 1e-10);
            if (best == null || less(res.value(), best.objective())) {
                objective.valueAndGradient(res.point(), null);
                best = toFit(res.point(), objective.lastMean, res.value(), d);
            }
        }
        if (best == null || !Double.isFinite(best.objective())) {
            // Every start failed numerically: fall back to the prior modes with the largest noise.
            double[] t = starts[0].clone();
            t[d + 1] = Math.log(MAX_NOISE);
            double v = objective.valueAndGradient(t, null);
            best = toFit(t, Double.isFinite(v) ? objective.lastMean : 0.0, v, d);
        }
        return best;
    }

    private static boolean less(double a, double b) {
        return Double.isNaN(b) || a < b;
    }

    private static Fit toFit(double[] theta, double mean, double objective, int d) {
        double[] l = new double[d];
        for (int j = 0; j < d; j++) {
            l[j] = Math.exp(theta[j]);
        }
        return new Fit(l, Math.exp(theta[d]), Math.exp(theta[d + 1]), mean, objective);
    }

    /**
     * The negative log posterior {@code -log p(y | theta) - log p(theta)} and its gradient.
     * Not thread-safe (reuses buffers).
     */
    static final class Objective {
        private final int n;
        private final int d;
        private final double[] y;
        /** shape {@code [d][n(n-1)/2]}: squared coordinate differences of each pair {@code i > k}. */
        private final double[][] pairDiff2;
        private final double[] r2;
        /** shape {@code [n(n-1)/2]}: {@code sqrt5 * r} of each pair at the last evaluation. */
        private final double[] sr;
        /** shape {@code [n(n-1)/2]}: {@code exp(-sqrt5 * r)} of each pair at the last evaluation. */
        private final double[] expSr;
        private final DMatrixRMaj k;
        private final DMatrixRMaj kInv;
        private final double[] ones;
        private final double[] b;
        private final double[] alpha;
        /** Constant mean of the last evaluation. */
        double lastMean;

        /**
         * @param x           shape {@code [n][d]}
         * @param y           shape {@code [n]}
         * @param categorical shape {@code [d]}
         */
        Objective(double[][] x, double[] y, boolean[] categorical) {
            this.n = x.length;
            this.d = categorical.length;
            this.y = y;
            int pairs = n * (n - 1) / 2;
            pairDiff2 = new double[d][pairs];
            for (int j = 0; j < d; j++) {
                int p = 0;
                for (int i = 1; i < n; i++) {
                    for (int m = 0; m < i; m++, p++) {
                        double t = x[i][j] - x[m][j];
                        pairDiff2[j][p] = categorical[j] ? (t != 0.0 ? 1.0 : 0.0) : t * t;
                    }
                }
            }
            r2 = new double[pairs];
            sr = new double[pairs];
            expSr = new double[pairs];
            k = new DMatrixRMaj(n, n);
            kInv = new DMatrixRMaj(n, n);
            ones = new double[n];
            b = new double[n];
            alpha = new double[n];
        }

        /**
         * @param theta    shape {@code [d + 2]}: log length scales, log signal variance, log noise
         * @param gradient shape {@code [d + 2]}: receives the gradient, or null for the value only
         * @return the negative log posterior ({@code +Infinity} if the matrix cannot be factored)
         */
        double valueAndGradient(double[] theta, double[] gradient) {
            double[] invL2 = new double[d];
            for (int j = 0; j < d; j++) {
                invL2[j] = Math.exp(-2.0 * theta[j]);
            }
            double s2 = Math.exp(theta[d]);
            double noise = Math.exp(theta[d + 1]);
            java.util.Arrays.fill(r2, 0.0);
            for (int j = 0; j < d; j++) {
                double w = invL2[j];
                double[] dj = pairDiff2[j];
                for (int p = 0; p < r2.length; p++) {
                    r2[p] += dj[p] * w;
                }
            }
            for (int p = 0; p < r2.length; p++) {
                sr[p] = GaussianProcess.SQRT5 * Math.sqrt(r2[p]);
                expSr[p] = Math.exp(-sr[p]);
            }
            double[] kd = k.data;
            boolean factored = false;
            for (double jitter : new double[] {0.0, 1e-8, 1e-6, 1e-4}) {
                int p = 0;
                for (int i = 0; i < n; i++) {
                    for (int m = 0; m < i; m++, p++) {
                        double v = s2 * (1.0 + sr[p] + sr[p] * sr[p] / 3.0) * expSr[p];
                        kd[i * n + m] = v;
                        kd[m * n + i] = v;
                    }
                    kd[i * n + i] = s2 + noise + jitter * s2;
                }
                if (gradient == null) {
                    factored = GaussianProcess.factor(k);
                } else {
                    LinearSolverChol_DDRM solver = new LinearSolverChol_DDRM(new CholeskyDecompositionInner_DDRM(true));
                    factored = solver.setA(k) && diagonalPositive();
                    if (factored) {
                        solver.invert(kInv);
                    }
                }
                if (factored) {
                    break;
                }
            }
            if (!factored) {
                lastMean = Double.NaN;
                return Double.POSITIVE_INFINITY;
            }
            // k now holds the lower Cholesky factor L.
            java.util.Arrays.fill(ones, 1.0);
            System.arraycopy(y, 0, b, 0, n);
            TriangularSolver_DDRM.solveL(kd, ones, n);
            TriangularSolver_DDRM.solveL(kd, b, n);
            double ab = 0.0;
            double aa = 0.0;
            for (int i = 0; i < n; i++) {
                ab += ones[i] * b[i];
                aa += ones[i] * ones[i];
            }
            double c = ab / aa;
            lastMean = c;
            double quad = 0.0;
            double logDet = 0.0;
            for (int i = 0; i < n; i++) {
                alpha[i] = b[i] - c * ones[i];
                quad += alpha[i] * alpha[i];
                logDet += 2.0 * Math.log(kd[i * n + i]);
            }
            double nll = 0.5 * quad + 0.5 * logDet + 0.5 * n * LOG_2PI;
            // Negative log priors (Gamma densities at the parameter values, constants dropped).
            double prior = 0.0;
            for (int j = 0; j < d; j++) {
                prior += -2.0 * theta[j] + 6.0 * Math.exp(theta[j]);
            }
            prior += -1.0 * theta[d] + 0.15 * s2;
            prior += -0.1 * theta[d + 1] + 0.05 * noise;
            if (gradient == null) {
                return nll + prior;
            }
            TriangularSolver_DDRM.solveTranL(kd, alpha, n);
            double[] ki = kInv.data;
            // W = K^-1 - alpha alpha'; d nll / d theta = 1/2 tr(W dK/dtheta).
            double traceW = 0.0;
            for (int i = 0; i < n; i++) {
                traceW += ki[i * n + i] - alpha[i] * alpha[i];
            }
            double gSignal = 0.5 * traceW * s2;
            double[] gLen = new double[d];
            int p = 0;
            for (int i = 1; i < n; i++) {
                for (int m = 0; m < i; m++, p++) {
                    double w = ki[i * n + m] - alpha[i] * alpha[m];
                    double s = sr[p];
                    double e = expSr[p];
                    gSignal += w * s2 * (1.0 + s + s * s / 3.0) * e;
                    double h = w * s2 * (5.0 / 3.0) * (1.0 + s) * e;
                    for (int j = 0; j < d; j++) {
                        gLen[j] += h * pairDiff2[j][p];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                gradient[j] = gLen[j] * invL2[j] + (-2.0 + 6.0 * Math.exp(theta[j]));
            }
            gradient[d] = gSignal + (-1.0 + 0.15 * s2);
            gradient[d + 1] = 0.5 * traceW * noise + (-0.1 + 0.05 * noise);
            return nll + prior;
        }

        private boolean diagonalPositive() {
            for (int i = 0; i < n; i++) {
                double v = k.data[i * n + i];
                if (!(v > 0.0) || !Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }
}

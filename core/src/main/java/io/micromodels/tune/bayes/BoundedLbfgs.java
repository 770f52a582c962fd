package io.micromodels.tune.bayes;

/**
 * A small box-constrained quasi-Newton minimiser: limited-memory BFGS directions restricted to
 * the free variables (those not held at a bound by the gradient), projection onto the box, and a
 * backtracking Armijo line search along the projected path. Simpler than L-BFGS-B (no generalised
 * Cauchy point) but enough for the smooth, low-dimensional problems here: the Gaussian-process
 * hyperparameters and the acquisition function. Stateless; every call is independent.
 */
final class BoundedLbfgs {

    /** An objective with its gradient. */
    @FunctionalInterface
    interface Objective {
        /**
         * @param x        shape {@code [p]}: the point (must not be modified)
         * @param gradient shape {@code [p]}: receives the gradient at {@code x}
         * @return the value at {@code x}; {@code +Infinity} or NaN marks a point to back away from
         */
        double valueAndGradient(double[] x, double[] gradient);
    }

    /**
     * The result of a minimisation.
     *
     * @param point       shape {@code [p]}: the best point found
     * @param value       its value
     * @param evaluations number of objective evaluations used
     */
    record Result(double[] point, double value, int evaluations) {
    }

    private static final int MEMORY = 8;
    private static final double ARMIJO = 1e-4;

    private BoundedLbfgs() {
    }

    /**
     * @param objective      the function to minimise
     * @param start          shape {@code [p]}: starting point (clamped into the box)
     * @param lower          shape {@code [p]}: lower bounds
     * @param upper          shape {@code [p]}: upper bounds, {@code >= lower}
     * @param maxIterations  iteration limit
     * @param gradientTol    stop when the projected gradient's largest entry is below this
     * @param relativeValueTol stop when an iteration improves the value by less than this times
     *                       {@code 1 + |value|}
     * @return the best point found (never worse than the clamped start)
     */
    static Result minimize(Objective objective, double[] start, double[] lower, double[] upper,
                           int maxIterations, double gradientTol, double relativeValueTol) {
        int p = start.length;
        double[] x = new double[p];
        for (int i = 0; i < p; i++) {
            x[i] = clamp(start[i], lower[i], upper[i]);
        }
        double[] g = new double[p];
        double f = objective.valueAndGradient(x, g);
        int evaluations = 1;
        if (!Double.isFinite(f)) {
            return new Result(x, f, evaluations);
        }
        double[][] s = new double[MEMORY][];
        double[][] y = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        int stored = 0;
        int newest = -1;
        double[] d = new double[p];
        double[] q = new double[p];
        double[] alphas = new double[MEMORY];
        double[] xNew = new double[p];
        double[] gNew = new double[p];
        boolean[] active = new boolean[p];

        for (int iter = 0; iter < maxIterations; iter++) {
            double pgMax = 0.0;
            for (int i = 0; i < p; i++) {
                active[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
                if (!active[i]) {
                    pgMax = Math.max(pgMax, Math.abs(g[i]));
                }
            }
            if (pgMax < gradientTol) {
                break;
            }
            // Two-loop recursion on the free variables.
            for (int i = 0; i < p; i++) {
                q[i] = active[i] ? 0.0 : g[i];
            }
            for (int k = 0; k < stored; k++) {
                int idx = Math.floorMod(newest - k, MEMORY);
                alphas[idx] = rho[idx] * dot(s[idx], q, active);
                axpy(-alphas[idx], y[idx], q, active);
            }
            double gamma = 1.0;
            if (stored > 0) {
                gamma = dot(s[newest], y[newest], active) / Math.max(dot(y[newest], y[newest], active), 1e-300);
                if (!(gamma > 0) || !Double.isFinite(gamma)) {
                    gamma = 1.0;
                }
            }
            for (int i = 0; i < p; i++) {
                q[i] *= gamma;
            }
            for (int k = stored - 1; k >= 0; k--) {
                int idx = Math.floorMod(newest - k, MEMORY);
                double beta = rho[idx] * dot(y[idx], q, active);
                axpy(alphas[idx] - beta, s[idx], q, active);
            }
            double slope = 0.0;
            for (int i = 0; i < p; i++) {
                d[i] = active[i] ? 0.0 : -q[i];
                slope += d[i] * g[i];
            }
            if (!(slope < 0)) {
                // Not a descent direction: fall back to steepest descent and forget the history.
                stored = 0;
                slope = 0.0;
                for (int i = 0; i < p; i++) {
                    d[i] = active[i] ? 0.0 : -g[i];
                    slope += d[i] * g[i];
                }
                if (!(slope < 0)) {
                    break;
                }
            }
            double t = 1.0;
            if (stored == 0) {
                double dMax = 0.0;
                for (double v : d) {
                    dMax = Math.max(dMax, Math.abs(v));
                }
                double span = 0.0;
                for (int i = 0; i < p; i++) {
                    span = Math.max(span, upper[i] - lower[i]);
                }
                t = Math.min(1.0, 0.25 * span / dMax);
            }
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int ls = 0; ls < 30; ls++) {
                double decrease = 0.0;
                boolean moved = false;
                for (int i = 0; i < p; i++) {
                    xNew[i] = clamp(x[i] + t * d[i], lower[i], upper[i]);
                    decrease += g[i] * (xNew[i] - x[i]);
                    moved |= xNew[i] != x[i];
                }
                if (!moved) {
                    break;
                }
                fNew = objective.valueAndGradient(xNew, gNew);
                evaluations++;
                if (Double.isFinite(fNew) && fNew <= f + ARMIJO * decrease) {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            if (!accepted) {
                break;
            }
            double sy = 0.0;
            for (int i = 0; i < p; i++) {
                sy += (xNew[i] - x[i]) * (gNew[i] - g[i]);
            }
            if (sy > 1e-12) {
                int next = (newest + 1) % MEMORY;
                if (s[next] == null) {
                    s[next] = new double[p];
                    y[next] = new double[p];
                }
                for (int i = 0; i < p; i++) {
                    s[next][i] = xNew[i] - x[i];
                    y[next][i] = gNew[i] - g[i];
                }
                rho[next] = 1.0 / sy;
                newest = next;
                stored = Math.min(stored + 1, MEMORY);
            }
            double improvement = f - fNew;
            System.arraycopy(xNew, 0, x, 0, p);
            System.arraycopy(gNew, 0, g, 0, p);
            f = fNew;
            if (improvement < relativeValueTol * (1.0 + Math.abs(f))) {
                break;
            }
        }
        return new Result(x, f, evaluations);
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }

    private static double dot(double[] a, double[] b, boolean[] skip) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            if (!skip[i]) {
                s += a[i] * b[i];
            }
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y, boolean[] skip) {
        for (int i = 0; i < x.length; i++) {
            if (!skip[i]) {
                y[i] += a * x[i];
            }
        }
    }
}

package io.micromodels.tune.bayes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Multi-objective Bayesian optimisation on the unit cube {@code [0,1]^d} by ParEGO (Knowles 2006):
 * each proposed point minimises a fresh random scalarisation of the objectives. <b>Every objective
 * is minimised</b>; negate a metric to maximise it.
 *
 * <p>How a batch of {@code q} points is proposed, given every observation so far:
 * <ol>
 *   <li>While there are fewer than {@link BayesOptions#initialPoints()} observations and running
 *       points together (or none has finished), points of the seeded space-filling design, exactly
 *       as {@link BayesianOptimizer} proposes them.</li>
 *   <li>Otherwise each objective is normalised to {@code [0,1]} by the smallest and largest value
 *       observed among the successful rows (a constant objective becomes 0), and for each of the
 *       {@code q} points a weight vector {@code w} is drawn uniformly from the simplex (for two
 *       objectives the {@code q} weights are stratified: one in each {@code 1/q} of {@code [0,1]});
 *       the observations are scalarised by the augmented Chebyshev function
 *       {@code s(f) = max_k w_k f_k + 0.05 * sum_k w_k f_k} (whose minimisers are Pareto optimal,
 *       and which reaches every point of a non-convex front, unlike a weighted sum), and the
 *       single-objective {@link BayesianOptimizer} (output warping, a Gaussian process fitted to the
 *       scalarised values, log expected improvement) proposes one point for it. The first point's
 *       hyperparameter fit is the full one (several starts scored, the best refined); the others of
 *       the batch warm-start theirs from it (two starts scored, at most 15 L-BFGS iterations).</li>
 *   <li>Running points and the points already chosen for the batch enter each scalarised search as
 *       running trials (the kriging believer), so the batch's points are distinct from each other
 *       and from every observation.</li>
 *   <li>A row with any non-finite value is a failure: its scalarised value is a failure, imputed by
 *       the single-objective optimiser as the worst one, which steers proposals away from it.</li>
 * </ol>
 *
 * <p>Why ParEGO rather than expected hypervolume improvement (EHVI): EHVI needs one process per
 * objective and, for each candidate, an integral over the non-dominated region whose cost grows
 * with the front size and exponentially with the number of objectives (exact formulas exist for 2
 * and 3; beyond that, Monte Carlo), and a batch needs the joint q-point EHVI (Monte Carlo over
 * {@code 2^q - 1} box decompositions in practice). ParEGO costs one single-objective proposal per
 * point of a batch, whatever the number of objectives, reuses the tested single-objective machinery
 * (warping, noise, failures, mixed spaces, the subset refits past 100 observations), and a batch of
 * differently weighted scalarisations spreads its points along the front by construction.
 *
 * <p>No hidden history: the same observations, running points, {@code q} and seed always give the
 * same proposals; the weights are drawn from a generator forked from the seed and the number of
 * observations and running points.
 *
 * <p>Example: two objectives over two continuous coordinates, batches of 2.
 * <pre>{@code
 * List<Dimension> space = List.of(Dimension.continuous(), Dimension.continuous());
 * MultiObjectiveOptimizer optimizer = new MultiObjectiveOptimizer(space, BayesOptions.defaults(2), 42L);
 * List<double[]> points = new ArrayList<>();
 * List<double[]> values = new ArrayList<>();
 * for (int step = 0; step < 10; step++) {
 *     for (double[] x : optimizer.propose(points, values, List.of(), 2)) {
 *         points.add(x);
 *         values.add(new double[] {x[0], 1 - Math.sqrt(x[0]) + x[1]});
 *     }
 * }
 * }</pre>
 */
public final class MultiObjectiveOptimizer {

    /** Weight of the sum in the augmented Chebyshev scalarisation (Knowles' value). */
    static final double RHO = 0.05;

    private final Dimension[] space;
    private final BayesOptions options;
    private final long seed;
    private final BayesianOptimizer scalar;

    /**
     * @param dims    the coordinates, {@code d = dims.size() >= 1}
     * @param options the settings of each single-objective proposal
     * @param seed    the search's seed
     */
    public MultiObjectiveOptimizer(List<Dimension> dims, BayesOptions options, long seed) {
        this.scalar = new BayesianOptimizer(dims, options);
        this.space = dims.toArray(new Dimension[0]);
        this.options = options;
        this.seed = seed;
    }

    /** @return the coordinates, {@code d} of them */
    public List<Dimension> space() {
        return List.of(space);
    }

    /** @return the settings */
    public BayesOptions options() {
        return options;
    }

    /**
     * Proposes {@code q} distinct points to evaluate next.
     *
     * @param points  shape {@code [n][d]}: the evaluated points, each a valid encoding in the unit cube
     * @param values  shape {@code [n][m]}: their objective values, all minimised, {@code m >= 1} the
     *                same for every row; a row with any NaN or infinite value is a failed evaluation
     * @param pending shape {@code [r][d]}: points being evaluated (proposed again by no one)
     * @param q       number of points, {@code >= 1}
     * @return {@code q} points, each shape {@code [d]}, valid encodings, distinct from each other
     *     and from {@code points} and {@code pending} unless the space has too few valid points
     */
    public List<double[]> propose(List<double[]> points, List<double[]> values, List<double[]> pending, int q) {
        Objects.requireNonNull(points, "points must not be null");
        Objects.requireNonNull(values, "values must not be null");
        Objects.requireNonNull(pending, "pending must not be null");
        if (q < 1) {
            throw new IllegalArgumentException("q must be >= 1, got " + q);
        }
        if (points.size() != values.size()) {
            throw new IllegalArgumentException("values.size() must equal points.size() = " + points.size()
                    + ", got " + values.size());
        }
        int n = points.size();
        int m = -1;
        for (int i = 0; i < n; i++) {
            double[] v = Objects.requireNonNull(values.get(i), "values must not contain null");
            if (v.length < 1 || (m >= 0 && v.length != m)) {
                throw new IllegalArgumentException("values[" + i + "].length must be "
                        + (m >= 0 ? String.valueOf(m) + " (as values[0])" : ">= 1") + ", got " + v.length);
            }
            m = v.length;
        }
        double[][] normalised = normalise(values, n, Math.max(m, 1));
        List<Trial> running = new ArrayList<>(pending.size() + q);
        for (double[] p : pending) {
            running.add(Trial.running(checkPoint(p, "pending")));
        }
        for (double[] p : points) {
            checkPoint(p, "points");
        }
        int count = n + pending.size();
        double[][] weights = weights(Math.max(m, 1), q, new SplittableRandom(BayesianOptimizer.mix(seed, count, 11)));
        List<double[]> batch = new ArrayList<>(q);
        // the first scalarisation's hyperparameter fit warm-starts the others' fits
        BayesianOptimizer.Shared shared = new BayesianOptimizer.Shared();
        for (int b = 0; b < q; b++) {
            List<Trial> trials = new ArrayList<>(n + running.size());
            for (int i = 0; i < n; i++) {
                double s = normalised[i] == null ? Double.NaN : chebyshev(normalised[i], weights[b]);
                trials.add(Double.isNaN(s) ? Trial.failed(points.get(i)) : Trial.of(points.get(i), s));
            }
            trials.addAll(running);
            double[] x = scalar.propose(trials, 1, seed, shared).get(0);
            batch.add(x);
            running.add(Trial.running(x));
        }
        return batch;
    }

    private double[] checkPoint(double[] p, String name) {
        Objects.requireNonNull(p, name + " must not contain null");
        if (p.length != space.length) {
            throw new IllegalArgumentException(name + " rows must have length " + space.length + ", got " + p.length);
        }
        for (int j = 0; j < p.length; j++) {
            if (!(p[j] >= 0.0 && p[j] <= 1.0)) {
                throw new IllegalArgumentException(name + " values must be in [0, 1], got " + p[j] + " at coordinate " + j);
            }
        }
        return p;
    }

    /**
     * Each objective mapped to {@code [0,1]} by its range over the successful rows.
     *
     * @return shape {@code [n][m]}; a null row for a failure
     */
    static double[][] normalise(List<double[]> values, int n, int m) {
        double[] lo = new double[m];
        double[] hi = new double[m];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            double[] v = values.get(i);
            ok[i] = true;
            for (double x : v) {
                ok[i] &= Double.isFinite(x);
            }
            if (ok[i]) {
                for (int k = 0; k < m; k++) {
                    lo[k] = Math.min(lo[k], v[k]);
                    hi[k] = Math.max(hi[k], v[k]);
                }
            }
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            if (!ok[i]) {
                continue;
            }
            out[i] = new double[m];
            for (int k = 0; k < m; k++) {
                double range = hi[k] - lo[k];
                out[i][k] = range > 0 ? (values.get(i)[k] - lo[k]) / range : 0.0;
            }
        }
        return out;
    }

    /**
     * @param f shape {@code [m]}: normalised objectives
     * @param w shape {@code [m]}: weights on the simplex
     * @return the augmented Chebyshev scalarisation {@code max_k w_k f_k + RHO * sum_k w_k f_k}
     */
    static double chebyshev(double[] f, double[] w) {
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0.0;
        for (int k = 0; k < f.length; k++) {
            double t = w[k] * f[k];
            max = Math.max(max, t);
            sum += t;
        }
        return max + RHO * sum;
    }

    /**
     * {@code q} weight vectors on the simplex: uniform (Dirichlet(1, ..., 1)); for {@code m = 2} the
     * first weight is stratified, one in each {@code [b/q, (b+1)/q)} in a random order.
     *
     * @return shape {@code [q][m]}
     */
    static double[][] weights(int m, int q, SplittableRandom rng) {
        double[][] w = new double[q][m];
        if (m == 1) {
            for (double[] row : w) {
                row[0] = 1.0;
            }
            return w;
        }
        if (m == 2) {
            int[] perm = new int[q];
            for (int b = 0; b < q; b++) {
                perm[b] = b;
            }
            for (int b = q - 1; b > 0; b--) {
                int k = rng.nextInt(b + 1);
                int t = perm[b];
                perm[b] = perm[k];
                perm[k] = t;
            }
            for (int b = 0; b < q; b++) {
                double u = (perm[b] + rng.nextDouble()) / q;
                w[b][0] = u;
                w[b][1] = 1.0 - u;
            }
            return w;
        }
        for (double[] row : w) {
            double total = 0.0;
            for (int k = 0; k < m; k++) {
                row[k] = -Math.log(1.0 - rng.nextDouble());
                total += row[k];
            }
            for (int k = 0; k < m; k++) {
                row[k] /= total;
            }
        }
        return w;
    }
}

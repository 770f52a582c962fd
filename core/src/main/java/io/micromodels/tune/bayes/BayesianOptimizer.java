package io.micromodels.tune.bayes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Bayesian optimisation on the unit cube {@code [0,1]^d}: proposes the next point (or a batch of
 * points) to evaluate, given every trial so far. <b>Scores are minimised</b>; to maximise a metric
 * such as AUC, report its negation.
 *
 * <p>The optimiser keeps no history: each call receives all trials (finished, failed and running)
 * and a seed, and the same trials and seed always give the same proposals. Pass the same seed on
 * every call of one search: the initial design is drawn from the seed alone, and the randomness of
 * each later call from the seed and the number of trials.
 *
 * <p>How a proposal is made:
 * <ol>
 *   <li>While there are fewer than {@link BayesOptions#initialPoints()} trials (or none has
 *       finished), points of a seeded space-filling design (scrambled Sobol or Latin hypercube)
 *       are proposed, in order of the trial count.</li>
 *   <li>Otherwise a Gaussian process (Matérn 5/2, one length scale per coordinate, constant mean,
 *       learned noise; see {@code GpFitter}) is fitted to the finished trials, with scores warped
 *       and standardised: the identity, a log or a Yeo-Johnson power transform, whichever makes
 *       the finite scores most likely Gaussian ({@code OutputWarping}; failures are imputed after
 *       it, at the worst warped score), so that objectives spanning
 *       orders of magnitude do not mislead the process. Up to 100 finished trials the
 *       hyperparameters are fitted afresh on every call; past that they are refitted each time
 *       the number of finished trials grows by 10% (on at most 200 of them, the best quarter and a
 *       seeded draw of the rest) and the Cholesky factor is extended by the new rows only, which
 *       keeps a proposal near 40 ms of CPU at 500 trials in 6 dimensions. Both are pure functions
 *       of the trials (a reused fit or factor is bit-for-bit the fresh one).</li>
 *   <li><b>Failures</b> (status FAILED, or a non-finite score) are imputed as the worst finite score
 *       observed; with no finite score at all, every finished trial gets the same value, and the
 *       proposals spread away from all of them. Either way proposals move away from where trials
 *       fail.</li>
 *   <li>The point maximising log expected improvement over the best finite score (computed in log
 *       space, so it keeps a useful value and slope far from the incumbent) is found by scoring
 *       {@link BayesOptions#rawSamples()} candidates and refining the best locally; discrete
 *       coordinates are rounded before any candidate is scored.</li>
 *   <li><b>Leaving a finished basin.</b> When the process is noise-free (noise variance at most
 *       {@code 1e-2} of the signal variance), the best warped score has improved by less than
 *       {@code 1e-4} (in standard deviations of the warped scores) over the last 10 finished
 *       trials, at least 10 trials after the initial design, and no candidate of the acquisition
 *       step within the ball below has log expected improvement above -11, the incumbent's basin
 *       counts as finished: the proposal is then made by a second process fitted afresh to the trials
 *       farther than {@code 0.6 sqrt(d)} length scales (the main fit's) from the incumbent (at
 *       most 100 of them, {@code 100 * 200 / n} past 200 trials but at least 40: the best quarter
 *       and a seeded draw of the rest), its log expected
 *       improvement over their best score maximised outside that ball. Forgetting the basin's
 *       trials matters: they dominate the main fit (small signal variance, high constant mean),
 *       which then rules out every other region. As soon as a proposal beats the incumbent the
 *       main process takes over again. This is what moves Hartmann6 out of its second basin
 *       (regret 0.119) on most seeds. (Not for the scalarisations of a
 *       {@link MultiObjectiveOptimizer}, whose incumbent changes with the weights.)</li>
 *   <li>For a batch ({@code q > 1}) and for running trials, the kriging believer: each chosen (or
 *       running) point is added to the process as if it had been observed, without noise, at the
 *       posterior mean, and the next point is chosen against that. The points of a batch are distinct from each
 *       other and from every trial unless the space has too few valid points.</li>
 * </ol>
 *
 * <p>Example: minimise {@code (a - 0.3)^2 + (b - 0.7)^2} over a continuous {@code a} and an integer
 * {@code b} with 11 levels (decoded as {@code level / 10}):
 * <pre>{@code
 * List<Dimension> space = List.of(Dimension.continuous(), Dimension.integer(11));
 * BayesianOptimizer optimizer = new BayesianOptimizer(space);
 * List<Trial> trials = new ArrayList<>();
 * for (int i = 0; i < 20; i++) {
 *     double[] x = optimizer.propose(trials, 42L);
 *     double a = x[0];
 *     double b = space.get(1).level(x[1]) / 10.0;
 *     trials.add(Trial.of(x, (a - 0.3) * (a - 0.3) + (b - 0.7) * (b - 0.7)));
 * }
 * Trial best = trials.stream().min(Comparator.comparingDouble(Trial::score)).orElseThrow();
 * }</pre>
 *
 * <p>Which trial is the result: a {@code Study} reports the trial with the best observed score.
 * For noisy objectives {@link #recommend} instead picks the observed point with the lowest
 * posterior mean whenever the process has learned noise.
 *
 * <p>Cost (measured by {@code HpoBenchmark --proposal-cost} in the benchmark module, figures in
 * {@code gpu-bench/RESULTS.md}): up to 100 trials the hyperparameter fit dominates (about 20 ms of
 * CPU at 100 trials in 6 dimensions); past that the refit schedule, the extended factor, and
 * fewer raw and refined acquisition candidates ({@code 1024 * 200 / n}, at least 256; 2 refined
 * at 500) keep the cost nearly linear in {@code n}. Instances are thread-safe; they remember the
 * last fit and factor (only to save work, see above).
 */
public final class BayesianOptimizer {

    private final Dimension[] space;
    private final BayesOptions options;
    /** Sobol direction numbers, or null when {@code d > 1000}. */
    private final Designs designs;
    /** Up to this many finished trials, hyperparameters are fitted afresh on every call. */
    static final int REFIT_EVERY_UP_TO = 100;
    /** Past {@link #REFIT_EVERY_UP_TO}, hyperparameters are fitted on at most this many trials. */
    static final int FIT_SUBSET = 200;
    /** Finished trials over which a basin must have stopped improving before it is left. */
    static final int STALL_WINDOW = 10;
    /** Improvement of the best warped, standardised score below which a basin has stopped improving. */
    static final double STALL_TOLERANCE = 1e-4;
    /**
     * Log expected improvement (in standard deviations of the warped scores) below which the main
     * process expects nothing more inside the incumbent's basin.
     */
    static final double BASIN_LOG_EI = -11.0;
    /** Radius of the left basin, in length scales per {@code sqrt(d)}. */
    static final double BASIN_RADIUS = 0.6;
    /** At most this many trials outside the basin are fitted by the second process (up to 200 trials). */
    static final int ELSEWHERE_SUBSET = 100;
    /** Fewest trials outside the basin for a second process. */
    static final int ELSEWHERE_MIN = 5;
    /** Noise variance, relative to the signal variance, above which the process has learned noise. */
    static final double LEARNED_NOISE = 1e-2;
    /** Reused fit and factor; never changes a proposal (see {@link Memo}). */
    private final Memo memo = new Memo();

    /**
     * @param space   the coordinates, {@code d = space.size() >= 1}
     * @param options the settings
     */
    public BayesianOptimizer(List<Dimension> space, BayesOptions options) {
        Objects.requireNonNull(space, "space must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (space.isEmpty()) {
            throw new IllegalArgumentException("space.size() must be >= 1, got 0");
        }
        this.space = space.toArray(new Dimension[0]);
        for (Dimension dim : this.space) {
            Objects.requireNonNull(dim, "space must not contain null");
        }
        this.options = options;
        this.designs = this.space.length <= Designs.MAX_SOBOL_DIMENSION ? new Designs(this.space.length) : null;
    }

    /**
     * @param space the coordinates, {@code d = space.size() >= 1}; options
     *              {@link BayesOptions#defaults(int)}
     */
    public BayesianOptimizer(List<Dimension> space) {
        this(space, BayesOptions.defaults(Objects.requireNonNull(space, "space must not be null").size()));
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
     * Proposes one point.
     *
     * @param trials every trial so far (finished, failed and running), each with a point of shape
     *               {@code [d]}
     * @param seed   the search's seed, the same on every call
     * @return shape {@code [d]}: a valid encoding to evaluate next
     */
    public double[] propose(List<Trial> trials, long seed) {
        return propose(trials, 1, seed).get(0);
    }

    /**
     * Proposes {@code q} distinct points to evaluate together.
     *
     * @param trials every trial so far (finished, failed and running), each with a point of shape
     *               {@code [d]}
     * @param q      number of points, {@code >= 1}
     * @param seed   the search's seed, the same on every call
     * @return {@code q} points, each shape {@code [d]}, all valid encodings
     */
    public List<double[]> propose(List<Trial> trials, int q, long seed) {
        return propose(trials, q, seed, null);
    }

    /**
     * The hyperparameters of one proposal, kept for the next proposals of the same call that see the same finished
     * points with other scores (the q scalarisations of a {@link MultiObjectiveOptimizer} batch): they fit their own
     * hyperparameters warm-started from these ({@link GpFitter#fit(double[][], double[], boolean[], int, int,
     * SplittableRandom, GpFitter.Fit)}). Used by one call on one thread.
     */
    static final class Shared {
        private double[][] x;
        private GpFitter.Fit fit;

        /** @return the kept fit if it was made on exactly these points, else null */
        GpFitter.Fit at(double[][] points) {
            if (fit == null || x.length != points.length) {
                return null;
            }
            for (int i = 0; i < points.length; i++) {
                if (!Arrays.equals(x[i], points[i])) {
                    return null;
                }
            }
            return fit;
        }

        void keep(double[][] points, GpFitter.Fit value) {
            this.x = points;
            this.fit = value;
        }
    }

    /**
     * As {@link #propose(List, int, long)}; with {@code shared} not null, the first call fits hyperparameters as
     * usual and keeps them there, and later calls whose finished points are the same warm-start their own fit from
     * them (see {@link Shared}).
     */
    List<double[]> propose(List<Trial> trials, int q, long seed, Shared shared) {
        Objects.requireNonNull(trials, "trials must not be null");
        if (q < 1) {
            throw new IllegalArgumentException("q must be >= 1, got " + q);
        }
        int d = space.length;
        List<double[]> finishedPoints = new ArrayList<>();
        List<Double> finishedScores = new ArrayList<>();
        List<double[]> runningPoints = new ArrayList<>();
        for (int t = 0; t < trials.size(); t++) {
            Trial trial = Objects.requireNonNull(trials.get(t), "trials must not contain null");
            if (trial.dimensions() != d) {
                throw new IllegalArgumentException("trials[" + t + "].point().length must be " + d
                        + ", got " + trial.dimensions());
            }
            double[] p = trial.point();
            for (int j = 0; j < d; j++) {
                p[j] = space[j].round(p[j]);
            }
            if (trial.status() == Trial.Status.RUNNING) {
                runningPoints.add(p);
            } else {
                finishedPoints.add(p);
                finishedScores.add(trial.isFailure() ? Double.NaN : trial.score());
            }
        }
        List<double[]> taken = new ArrayList<>(finishedPoints);
        taken.addAll(runningPoints);
        int count = trials.size();
        List<double[]> batch = new ArrayList<>(q);
        if (count < options.initialPoints() || finishedPoints.isEmpty()) {
            for (int i = 0; i < q; i++) {
                double[] p = designPoint(count + i, seed);
                batch.add(distinct(p, taken, batch, new SplittableRandom(mix(seed, count + i, 1))));
            }
            return batch;
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, count, 2));

        int n = finishedPoints.size();
        double worst = Double.NEGATIVE_INFINITY;
        for (double s : finishedScores) {
            if (!Double.isNaN(s)) {
                worst = Math.max(worst, s);
            }
        }
        boolean anyFinite = worst > Double.NEGATIVE_INFINITY;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = finishedScores.get(i);
            y[i] = Double.isNaN(s) ? (anyFinite ? worst : 0.0) : s;
        }
        warp(y, finishedScores.stream().mapToDouble(Double::doubleValue).toArray());
        double best = Double.POSITIVE_INFINITY;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (!anyFinite || !Double.isNaN(finishedScores.get(i))) {
                best = Math.min(best, y[i]);
            }
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> y[i]));
        List<double[]> incumbents = new ArrayList<>();
        for (int k = 0; k < Math.min(5, n); k++) {
            if (anyFinite && Double.isNaN(finishedScores.get(order[k]))) {
                break;
            }
            incumbents.add(finishedPoints.get(order[k]));
        }

        boolean[] categorical = new boolean[d];
        for (int j = 0; j < d; j++) {
            categorical[j] = space[j].kind() == Dimension.Kind.CATEGORICAL;
        }
        double[][] x = finishedPoints.toArray(new double[0][]);
        SplittableRandom fitRng = rng.split();
        GaussianProcess gp;
        GpFitter.Fit warm = shared == null ? null : shared.at(x);
        GpFitter.Fit fitted;
        if (n <= REFIT_EVERY_UP_TO) {
            fitted = GpFitter.fit(x, y, categorical, Math.max(8, 4 * options.fitStarts()),
                    options.fitStarts(), fitRng, warm);
            gp = fitted.condition(x, y, categorical);
        } else if (warm != null) {
            double[] raw = new double[n];
            for (int i = 0; i < n; i++) {
                raw[i] = finishedScores.get(i);
            }
            int s = refitPoint(n);
            fitted = fitPrefix(Arrays.copyOf(x, s), Arrays.copyOf(raw, s), categorical, seed, warm);
            double[] noise = new double[n];
            Arrays.fill(noise, fitted.noiseVariance());
            gp = GaussianProcess.extend(null, x, y, categorical, fitted.lengthScales(), fitted.signalVariance(),
                    fitted.noiseVariance(), noise, Double.NaN);
        } else {
            double[] raw = new double[n];
            for (int i = 0; i < n; i++) {
                raw[i] = finishedScores.get(i);
            }
            gp = memo.condition(this, x, raw, y, categorical, seed);
            fitted = memo.fit();
        }
        if (shared != null && warm == null) {
            shared.keep(x, fitted);
        }
        double[] out = new double[2];
        for (double[] p : runningPoints) {
            gp.predict(p, out, new double[gp.size()]);
            gp = gp.with(p, out[0]);
            best = Math.min(best, out[0]);
        }
        for (int i = 0; i < q; i++) {
            AcquisitionOptimizer acquisition = new AcquisitionOptimizer(gp, best, space);
            List<AcquisitionOptimizer.Scored> ranked = acquisition.maximize(designs, incumbents,
                    rawSamples(n), refinedCandidates(n), rng.split());
            if (i == 0 && shared == null && finished(n, y, gp, ranked, finishedPoints.get(order[0]), categorical, anyFinite)) {
                List<double[]> away = elsewhere(x, finishedScores, order[0], gp.lengthScales(), categorical,
                        runningPoints, taken, q, seed, count);
                if (away != null) {
                    return away;
                }
            }
            double[] chosen = null;
            for (AcquisitionOptimizer.Scored s : ranked) {
                if (!contains(taken, s.point()) && !contains(batch, s.point())) {
                    chosen = s.point();
                    break;
                }
            }
            if (chosen == null) {
                chosen = distinct(ranked.get(0).point(), taken, batch, rng.split());
            }
            batch.add(chosen);
            if (i + 1 < q) {
                gp.predict(chosen, out, new double[gp.size()]);
                gp = gp.with(chosen, out[0]);
                best = Math.min(best, out[0]);
            }
        }
        return batch;
    }

    /**
     * Whether the incumbent's basin is finished: the process is noise-free, the best score has
     * {@linkplain #stalled stalled} (at least {@link #STALL_WINDOW} trials after the initial design),
     * and no acquisition candidate inside the basin's ball has log expected improvement above
     * {@link #BASIN_LOG_EI}.
     *
     * @param y         shape {@code [n]}: warped, standardised finished scores in trial order
     * @param ranked    the main process's scored acquisition candidates
     * @param incumbent shape {@code [d]}: the best finished point
     */
    private boolean finished(int n, double[] y, GaussianProcess gp, List<AcquisitionOptimizer.Scored> ranked,
                             double[] incumbent, boolean[] categorical, boolean anyFinite) {
        if (!anyFinite || n < options.initialPoints() + STALL_WINDOW || !stalled(y)
                || gp.noiseVariance() > LEARNED_NOISE * gp.signalVariance()) {
            return false;
        }
        int d = space.length;
        double[] lengthScales = gp.lengthScales();
        double[] invL2 = new double[d];
        for (int j = 0; j < d; j++) {
            invL2[j] = 1.0 / (lengthScales[j] * lengthScales[j]);
        }
        double r2 = BASIN_RADIUS * BASIN_RADIUS * d;
        for (AcquisitionOptimizer.Scored s : ranked) {
            if (s.logEi() >= BASIN_LOG_EI && GaussianProcess.squaredDistance(s.point(), incumbent, invL2,
                    categorical) <= r2) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the best warped score has stopped improving: it improved by at most
     * {@link #STALL_TOLERANCE} over the last {@link #STALL_WINDOW} finished trials.
     *
     * @param y shape {@code [n]}: warped, standardised scores of the finished trials in trial order
     *          (failures imputed), {@code n > STALL_WINDOW}
     */
    static boolean stalled(double[] y) {
        int n = y.length;
        double before = Double.POSITIVE_INFINITY;
        double after = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (i < n - STALL_WINDOW) {
                before = Math.min(before, y[i]);
            }
            after = Math.min(after, y[i]);
        }
        return before - after <= STALL_TOLERANCE;
    }

    /**
     * Proposals away from a finished basin: from a process fitted afresh to the finished trials
     * outside the ball of radius {@code BASIN_RADIUS * sqrt(d)} length scales around the incumbent,
     * log expected improvement over their best score maximised outside the ball (kriging believer
     * for running points outside the ball and for the rest of a batch).
     *
     * @param x            shape {@code [n][d]}: finished points
     * @param scores       their scores in the same order, NaN for failures
     * @param incumbent    index of the best finished trial
     * @param lengthScales shape {@code [d]}: the main process's length scales
     * @param running      running points, each shape {@code [d]}
     * @param taken        finished and running points, each shape {@code [d]}
     * @return {@code q} distinct valid points outside the ball, or null when there are too few
     *     trials outside it (or none of them finished with a finite score, or no candidate outside
     *     the ball is new)
     */
    List<double[]> elsewhere(double[][] x, List<Double> scores, int incumbent, double[] lengthScales,
                             boolean[] categorical, List<double[]> running, List<double[]> taken, int q,
                             long seed, int count) {
        int d = space.length;
        double[] centre = x[incumbent];
        double[] invL2 = new double[d];
        for (int j = 0; j < d; j++) {
            invL2[j] = 1.0 / (lengthScales[j] * lengthScales[j]);
        }
        double r2 = BASIN_RADIUS * BASIN_RADIUS * d;
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (GaussianProcess.squaredDistance(x[i], centre, invL2, categorical) > r2) {
                kept.add(i);
            }
        }
        if (kept.size() < ELSEWHERE_MIN) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, count, 7));
        int cap = elsewhereSubset(x.length);
        if (kept.size() > cap) {
            // The best quarter (failures last) and a seeded draw of the rest, in trial order.
            List<Integer> byScore = new ArrayList<>(kept);
            byScore.sort(Comparator.comparingDouble(i -> Double.isNaN(scores.get(i))
                    ? Double.POSITIVE_INFINITY : scores.get(i)));
            int keepBest = cap / 4;
            SplittableRandom pick = rng.split();
            for (int i = byScore.size() - 1; i > keepBest; i--) {
                int j = keepBest + pick.nextInt(i - keepBest + 1);
                byScore.set(j, byScore.set(i, byScore.get(j)));
            }
            kept = new ArrayList<>(byScore.subList(0, cap));
            kept.sort(null);
        }
        int m = kept.size();
        double[][] xs = new double[m][];
        double[] raw = new double[m];
        double worst = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            xs[k] = x[kept.get(k)];
            raw[k] = scores.get(kept.get(k));
            if (!Double.isNaN(raw[k])) {
                worst = Math.max(worst, raw[k]);
            }
        }
        if (worst == Double.NEGATIVE_INFINITY) {
            return null;
        }
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
            y[k] = Double.isNaN(raw[k]) ? worst : raw[k];
        }
        warp(y, raw);
        GaussianProcess gp = GpFitter.fit(xs, y, categorical, Math.max(8, 4 * options.fitStarts()),
                options.fitStarts(), rng.split()).condition(xs, y, categorical);
        Integer[] order = new Integer[m];
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            order[k] = k;
            if (!Double.isNaN(raw[k])) {
                best = Math.min(best, y[k]);
            }
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> y[k]));
        List<double[]> incumbents = new ArrayList<>();
        for (int k = 0; k < m && incumbents.size() < 5; k++) {
            if (!Double.isNaN(raw[order[k]])) {
                incumbents.add(xs[order[k]]);
            }
        }
        double[] out = new double[2];
        for (double[] p : running) {
            if (GaussianProcess.squaredDistance(p, centre, invL2, categorical) > r2) {
                gp.predict(p, out, new double[gp.size()]);
                gp = gp.with(p, out[0]);
                best = Math.min(best, out[0]);
            }
        }
        List<double[]> batch = new ArrayList<>(q);
        for (int i = 0; i < q; i++) {
            AcquisitionOptimizer acquisition = new AcquisitionOptimizer(gp, best, space);
            List<AcquisitionOptimizer.Scored> ranked = acquisition.maximize(designs, incumbents, rawSamples(m),
                    refinedCandidates(m), rng.split());
            double[] chosen = null;
            for (AcquisitionOptimizer.Scored s : ranked) {
                if (GaussianProcess.squaredDistance(s.point(), centre, invL2, categorical) > r2
                        && !contains(taken, s.point()) && !contains(batch, s.point())) {
                    chosen = s.point();
                    break;
                }
            }
            if (chosen == null) {
                return null;
            }
            batch.add(chosen);
            if (i + 1 < q) {
                gp.predict(chosen, out, new double[gp.size()]);
                gp = gp.with(chosen, out[0]);
                best = Math.min(best, out[0]);
            }
        }
        return batch;
    }

    /**
     * Most trials fitted by the process away from a finished basin, with {@code n} finished trials:
     * {@link #ELSEWHERE_SUBSET} up to {@code 2 * REFIT_EVERY_UP_TO} trials, then in proportion to
     * {@code 1 / n}, at least 40 (its fit is redone on every such proposal).
     */
    static int elsewhereSubset(int n) {
        if (n <= 2 * REFIT_EVERY_UP_TO) {
            return ELSEWHERE_SUBSET;
        }
        return Math.max(40, ELSEWHERE_SUBSET * 2 * REFIT_EVERY_UP_TO / n);
    }

    /**
     * Raw acquisition candidates with {@code n} finished trials: {@link BayesOptions#rawSamples()}
     * up to {@code 2 * REFIT_EVERY_UP_TO} trials, then in proportion to {@code 1 / n} (each
     * candidate costs {@code O(n^2)}), never below 256 or above the option: 409 at 500 trials
     * with the default 1024.
     */
    int rawSamples(int n) {
        int r = options.rawSamples();
        if (n <= 2 * REFIT_EVERY_UP_TO) {
            return r;
        }
        return (int) Math.min(r, Math.max(256, (long) r * 2 * REFIT_EVERY_UP_TO / n));
    }

    /**
     * Candidates refined locally with {@code n} finished trials: {@link BayesOptions#refinedCandidates()}
     * up to {@code 2 * REFIT_EVERY_UP_TO} trials, then in proportion to {@code 1 / n}, at least 2
     * (or the option, if smaller): 2 at 500 trials with the default 5.
     */
    int refinedCandidates(int n) {
        int r = options.refinedCandidates();
        if (n <= 2 * REFIT_EVERY_UP_TO) {
            return r;
        }
        return (int) Math.min(r, Math.max(2, (long) r * 2 * REFIT_EVERY_UP_TO / n));
    }

    /**
     * Hyperparameters past {@link #REFIT_EVERY_UP_TO} finished trials: those fitted on the first
     * {@code s} finished trials, {@code s} the largest refit point {@code <= n} (100, then each
     * point {@code s + floor(s / 10)}: 110, 121, 133, 146, ...), on at most {@link #FIT_SUBSET} of them (the
     * best quarter and a seeded random draw of the rest). A pure function of the trials and seed.
     */
    static int refitPoint(int n) {
        if (n <= REFIT_EVERY_UP_TO) {
            return n;
        }
        int s = REFIT_EVERY_UP_TO;
        for (int next = s + s / 10; next <= n; next = s + s / 10) {
            s = next;
        }
        return s;
    }

    /**
     * Fits hyperparameters to the first {@code s} finished trials (see {@link #refitPoint}).
     *
     * @param x   shape {@code [s][d]}: their points
     * @param raw shape {@code [s]}: their scores, NaN for failures
     */
    GpFitter.Fit fitPrefix(double[][] x, double[] raw, boolean[] categorical, long seed) {
        return fitPrefix(x, raw, categorical, seed, null);
    }

    /** As {@link #fitPrefix(double[][], double[], boolean[], long)}, warm-started from {@code warm} when not null. */
    GpFitter.Fit fitPrefix(double[][] x, double[] raw, boolean[] categorical, long seed, GpFitter.Fit warm) {
        int s = x.length;
        double worst = Double.NEGATIVE_INFINITY;
        for (double v : raw) {
            if (!Double.isNaN(v)) {
                worst = Math.max(worst, v);
            }
        }
        double[] y = new double[s];
        for (int i = 0; i < s; i++) {
            y[i] = Double.isNaN(raw[i]) ? (worst > Double.NEGATIVE_INFINITY ? worst : 0.0) : raw[i];
        }
        warp(y, raw);
        double[][] xs = x;
        double[] ys = y;
        if (s > FIT_SUBSET) {
            Integer[] order = new Integer[s];
            for (int i = 0; i < s; i++) {
                order[i] = i;
            }
            double[] yy = y;
            Arrays.sort(order, Comparator.comparingDouble(i -> yy[i]));
            int keepBest = FIT_SUBSET / 4;
            SplittableRandom pick = new SplittableRandom(mix(seed, s, 5));
            for (int i = s - 1; i > keepBest; i--) { // shuffle the rest
                int j = keepBest + pick.nextInt(i - keepBest + 1);
                Integer t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            Integer[] chosen = Arrays.copyOf(order, FIT_SUBSET);
            Arrays.sort(chosen);
            xs = new double[FIT_SUBSET][];
            ys = new double[FIT_SUBSET];
            for (int i = 0; i < FIT_SUBSET; i++) {
                xs[i] = x[chosen[i]];
                ys[i] = y[chosen[i]];
            }
        }
        return GpFitter.fit(xs, ys, categorical, Math.max(8, 4 * options.fitStarts()), options.fitStarts(),
                new SplittableRandom(mix(seed, s, 4)), warm);
    }

    /**
     * Remembers the last hyperparameter fit and the last conditioned process, so that a search that
     * calls again with one more trial reuses them: the fit when the refit point is the same, the
     * Cholesky factor (extended by the new rows) when the hyperparameters are. Reuse gives
     * bit-for-bit the values a fresh computation gives, so proposals do not depend on it.
     */
    private static final class Memo {
        private double[][] fitX;
        private double[] fitRaw;
        private long fitSeed;
        private GpFitter.Fit fit;
        private GaussianProcess last;
        private GpFitter.Fit lastFit;

        synchronized GaussianProcess condition(BayesianOptimizer owner, double[][] x, double[] raw, double[] y,
                                               boolean[] categorical, long seed) {
            int s = refitPoint(x.length);
            if (fit == null || fitSeed != seed || fitX.length != s || !samePrefix(fitX, fitRaw, x, raw)) {
                fitX = Arrays.copyOf(x, s);
                fitRaw = Arrays.copyOf(raw, s);
                fitSeed = seed;
                fit = owner.fitPrefix(fitX, fitRaw, categorical, seed);
            }
            double[] noise = new double[x.length];
            Arrays.fill(noise, fit.noiseVariance());
            GaussianProcess gp = GaussianProcess.extend(lastFit == fit ? last : null, x, y, categorical,
                    fit.lengthScales(), fit.signalVariance(), fit.noiseVariance(), noise, Double.NaN);
            last = gp;
            lastFit = fit;
            return gp;
        }

        /** @return the hyperparameters of the last {@link #condition} */
        synchronized GpFitter.Fit fit() {
            return fit;
        }

        private static boolean samePrefix(double[][] px, double[] praw, double[][] x, double[] raw) {
            for (int i = 0; i < px.length; i++) {
                if (Double.compare(praw[i], raw[i]) != 0 || !Arrays.equals(px[i], x[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The trial to recommend as the search's result.
     *
     * @param index           its position in the list given to {@link #recommend}
     * @param predicted       the score expected there: the posterior mean mapped back through the
     *                        output warping, or the observed score when not chosen by posterior mean
     * @param byPosteriorMean whether the choice was by posterior mean (noise was learned) rather
     *                        than by the best observed score
     */
    public record Recommendation(int index, double predicted, boolean byPosteriorMean) {
    }

    /**
     * Recommends one of the finished, successful trials as the result of the search. When the
     * fitted Gaussian process has learned noise (noise variance above {@code 1e-2} of the signal
     * variance, in the units of the warped, standardised scores) the trial with the lowest
     * <em>posterior mean</em> is recommended: a noisy objective's best observed score is biased
     * low (the luckiest draw wins), the posterior mean pools the neighbours. Otherwise, and with
     * fewer than {@link BayesOptions#initialPoints()} finished trials, it is the trial with the
     * lowest observed score (the first on ties).
     *
     * <p>A {@code Study} reports its best trial by the best observed score; this method is the
     * alternative for noisy objectives (it refits the process, so it costs about one proposal).
     *
     * @param trials every trial so far, each with a point of shape {@code [d]}
     * @param seed   the search's seed
     * @return the recommendation, or null when no trial finished with a finite score
     */
    public Recommendation recommend(List<Trial> trials, long seed) {
        Objects.requireNonNull(trials, "trials must not be null");
        int d = space.length;
        List<double[]> points = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        int bestIndex = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int t = 0; t < trials.size(); t++) {
            Trial trial = Objects.requireNonNull(trials.get(t), "trials must not contain null");
            if (trial.dimensions() != d) {
                throw new IllegalArgumentException("trials[" + t + "].point().length must be " + d
                        + ", got " + trial.dimensions());
            }
            if (trial.status() == Trial.Status.RUNNING) {
                continue;
            }
            double[] p = trial.point();
            for (int j = 0; j < d; j++) {
                p[j] = space[j].round(p[j]);
            }
            points.add(p);
            scores.add(trial.isFailure() ? Double.NaN : trial.score());
            indices.add(trial.isFailure() ? -1 : t);
            if (!trial.isFailure() && trial.score() < bestScore) {
                bestScore = trial.score();
                bestIndex = t;
            }
        }
        if (bestIndex < 0) {
            return null;
        }
        int n = points.size();
        if (n < options.initialPoints()) {
            return new Recommendation(bestIndex, bestScore, false);
        }
        double worst = Double.NEGATIVE_INFINITY;
        for (double v : scores) {
            if (!Double.isNaN(v)) {
                worst = Math.max(worst, v);
            }
        }
        double[] raw = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            raw[i] = scores.get(i);
            y[i] = Double.isNaN(raw[i]) ? worst : raw[i];
        }
        OutputWarping warping = warp(y, raw);
        boolean[] categorical = new boolean[d];
        for (int j = 0; j < d; j++) {
            categorical[j] = space[j].kind() == Dimension.Kind.CATEGORICAL;
        }
        double[][] x = points.toArray(new double[0][]);
        GaussianProcess gp;
        if (n <= REFIT_EVERY_UP_TO) {
            gp = GpFitter.fit(x, y, categorical, Math.max(8, 4 * options.fitStarts()), options.fitStarts(),
                    new SplittableRandom(mix(seed, trials.size(), 6))).condition(x, y, categorical);
        } else {
            gp = memo.condition(this, x, raw, y, categorical, seed);
        }
        if (!(gp.noiseVariance() > LEARNED_NOISE * gp.signalVariance())) {
            return new Recommendation(bestIndex, bestScore, false);
        }
        double[] out = new double[2];
        double[] work = new double[n];
        int pick = -1;
        double pickMean = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (indices.get(i) < 0) {
                continue;
            }
            gp.predict(x[i], out, work);
            if (out[0] < pickMean) {
                pickMean = out[0];
                pick = i;
            }
        }
        return new Recommendation(indices.get(pick), warping.inverse(pickMean), true);
    }

    /** Point {@code index} of the seeded initial design, rounded to a valid encoding. */
    private double[] designPoint(int index, long seed) {
        int d = space.length;
        double[] p;
        if (options.initialDesign() == BayesOptions.InitialDesign.SOBOL && designs != null) {
            p = designs.sobol(index, 1, new SplittableRandom(mix(seed, 0, 0)))[0];
        } else if (index < options.initialPoints()) {
            p = Designs.latinHypercube(options.initialPoints(), d, new SplittableRandom(mix(seed, 0, 0)))[index];
        } else {
            SplittableRandom r = new SplittableRandom(mix(seed, index, 3));
            p = new double[d];
            for (int j = 0; j < d; j++) {
                p[j] = r.nextDouble();
            }
        }
        for (int j = 0; j < d; j++) {
            p[j] = space[j].round(p[j]);
        }
        return p;
    }

    /**
     * Returns {@code p} if it is in neither list, else a random valid point that is (trying 1000
     * times), else {@code p}: only a space with too few valid points repeats one.
     */
    private double[] distinct(double[] p, List<double[]> taken, List<double[]> batch, SplittableRandom rng) {
        double[] c = p;
        for (int attempt = 0; attempt < 1000 && (contains(taken, c) || contains(batch, c)); attempt++) {
            c = new double[space.length];
            for (int j = 0; j < c.length; j++) {
                c[j] = space[j].round(rng.nextDouble());
            }
        }
        return contains(taken, c) || contains(batch, c) ? p : c;
    }

    private static boolean contains(List<double[]> points, double[] p) {
        for (double[] o : points) {
            if (Arrays.equals(o, p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fits the output warping to the finite scores and applies it in place.
     *
     * @param y   shape {@code [n]}: scores with failures imputed; replaced by the warped scores
     * @param raw shape {@code [n]}: the same with NaN for failures (excluded from the fit)
     * @return the warping
     */
    static OutputWarping warp(double[] y, double[] raw) {
        double[] finite = Arrays.stream(raw).filter(v -> !Double.isNaN(v)).toArray();
        OutputWarping w = OutputWarping.fit(finite.length > 0 ? finite : y);
        w.forwardInPlace(y);
        return w;
    }

    /** Standardises in place to mean 0 and (population) standard deviation 1 (1 if constant). */
    static void standardise(double[] y) {
        double[] ms = OutputWarping.meanSd(y);
        double mean = ms[0];
        double sd = ms[1];
        for (int i = 0; i < y.length; i++) {
            y[i] = (y[i] - mean) / sd;
        }
    }

    /** A well-mixed 64-bit seed from a search seed, a trial count and a purpose tag. */
    static long mix(long seed, long count, long purpose) {
        long z = seed + 0x9E3779B97F4A7C15L * (count + 1) + 0xBF58476D1CE4E5B9L * (purpose + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

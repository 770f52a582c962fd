package io.micromodels.tune;

import io.micromodels.tune.bayes.BayesOptions;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.MultiObjectiveOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link MultiObjectiveOptimizer} (ParEGO: random augmented-Chebyshev scalarisations, each searched by the Gaussian
 * process optimiser) as the {@link Sampler} of a multi-objective study ({@code tune --objectives auc,latency} with the
 * {@code bayes} generator). On each call it is given every trial:
 * <ul>
 *   <li>complete trials are observed at their {@link TrialRecord#values()} made minimised ({@link SearchObjective#loss});
 *       the costs {@code latency}, {@code params} and {@code rows_per_second} are observed as logarithms (of latency
 *       and params, and of the reciprocal throughput), since they span orders of magnitude: the optimiser scales each
 *       objective to {@code [0, 1]} by its range, and in logs a network half the size counts the same at every size.
 *       A monotone transform keeps which trials dominate which, so the front is unchanged;</li>
 *   <li>failed and diverged trials, and complete ones missing a value, are failures (a row of NaN: the optimiser
 *       imputes the worst scalarised value, so proposals move away);</li>
 *   <li>running trials are points taken (proposed again by no one).</li>
 * </ul>
 * Discrete coordinates are rounded to the centre of their bin, as {@link BayesianSampler} does. Proposals depend only
 * on the trials, {@code q} and the seed.
 *
 * <pre>{@code
 * Sampler s = new MultiObjectiveSampler(space.dimensions(), SearchObjective.parseAll(List.of("auc", "latency")),
 *         Seeds.fork(42, Seeds.SAMPLER));
 * List<double[]> next = s.propose(study.trials(), 4);
 * }</pre>
 */
public final class MultiObjectiveSampler implements Sampler {
    private final MultiObjectiveOptimizer optimizer;
    private final List<SearchObjective> objectives;

    /**
     * @param dimensions the coordinates, one per searched hyperparameter ({@code MicromodelSpace.dimensions()})
     * @param objectives the study's objectives, at least one
     * @param seed       the sampler's seed (the same on every call)
     */
    public MultiObjectiveSampler(List<Dimension> dimensions, List<SearchObjective> objectives, long seed) {
        this.objectives = List.copyOf(Objects.requireNonNull(objectives, "objectives must not be null"));
        if (this.objectives.isEmpty()) {
            throw new IllegalArgumentException("objectives must not be empty");
        }
        this.optimizer = new MultiObjectiveOptimizer(dimensions, BayesOptions.defaults(dimensions.size()), seed);
    }

    /** @return the number of points of the space-filling design proposed before the Gaussian processes take over */
    public int initialPoints() {
        return optimizer.options().initialPoints();
    }

    @Override
    public List<double[]> propose(List<TrialRecord> trials, int q) {
        List<Dimension> dims = optimizer.space();
        int m = objectives.size();
        List<double[]> points = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        List<double[]> pending = new ArrayList<>();
        for (TrialRecord r : trials) {
            double[] p = BayesianSampler.roundedPoint(r, dims);
            if (!r.finished()) {
                pending.add(p);
                continue;
            }
            points.add(p);
            values.add(observed(r, m));
        }
        return optimizer.propose(points, values, pending, q);
    }

    /** shape {@code [m]}: what the optimiser minimises for a finished trial; NaN everywhere for a failure. */
    double[] observed(TrialRecord r, int m) {
        double[] out = new double[m];
        double[] v = r.values();
        boolean ok = r.complete() && v.length == m;
        for (int k = 0; k < m && ok; k++) {
            SearchObjective o = objectives.get(k);
            double x = o.metric().isPresent() ? o.loss(v[k]) : (o.higherIsBetter() ? -Math.log(v[k]) : Math.log(v[k]));
            ok = Double.isFinite(x);
            out[k] = x;
        }
        if (!ok) {
            java.util.Arrays.fill(out, Double.NaN);
        }
        return out;
    }
}

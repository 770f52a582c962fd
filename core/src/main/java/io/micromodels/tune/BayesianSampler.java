package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.tune.bayes.BayesOptions;
import io.micromodels.tune.bayes.BayesianOptimizer;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link BayesianOptimizer} as a study's {@link Sampler}: a Gaussian process with log expected improvement,
 * fitted to the trials given on each call (past 100 trials the optimiser reuses its last hyperparameter fit and
 * Cholesky factor when they are exactly what a fresh fit would give, so proposals still depend only on the trials). Complete trials are observed at their loss ({@link Objective#loss}),
 * failed and diverged ones as failures (imputed at the worst loss, so proposals move away), running ones as
 * points taken (kriging believer), so a batch and concurrent workers get distinct points.
 *
 * <p>{@link TrialStatus#PARTIAL} trials (masked out by successive halving after a rung of epochs) are lower-fidelity
 * observations; how the process sees them is the {@link Partial} given ({@link Partial#RUNG_SCORE} by default: observed
 * at their rung score, which is what the candidate reached in fewer epochs, so a pessimistic value of a point the
 * halving already judged weak). Measured against the alternatives in gpu-bench/RESULTS.md ({@code bench halving}).
 *
 * <p>Discrete coordinates are proposed at the centre of their bins, {@code (i + 0.5)/k}, which the space's Arbiter
 * leaves decode to level {@code i} ({@code DiscreteParameterSpace}: {@code floor(u k)}; the uniform
 * {@code IntegerParameterSpace}: {@code ceil(u k) - 1}); a point recorded by another sampler is rounded to its bin.
 *
 * <pre>{@code
 * Sampler s = new BayesianSampler(space.dimensions(), Objective.forTask(data.task()), Seeds.fork(42, Seeds.SAMPLER));
 * List<double[]> next = s.propose(study.trials(), 4);
 * }</pre>
 */
public final class BayesianSampler implements Sampler {
    /** How {@link TrialStatus#PARTIAL} trials enter the Gaussian process. */
    public enum Partial {
        /** Observed at their score at the rung they reached (a lower-fidelity, pessimistic value). */
        RUNG_SCORE,
        /** As failed trials: imputed at the worst loss seen. */
        FAILED,
        /** As points taken (kriging believer): no information but the point is not proposed again. */
        PENDING
    }

    private final BayesianOptimizer optimizer;
    private final Partial partial;
    private final Objective objective;
    private final long seed;

    /**
     * @param dimensions the coordinates, one per searched hyperparameter ({@code MicromodelSpace.dimensions()})
     * @param objective  what the scores mean (higher or lower is better)
     * @param seed       the sampler's seed (the same on every call: it draws the initial design)
     */
    public BayesianSampler(List<Dimension> dimensions, Objective objective, long seed) {
        this(dimensions, objective, seed, Partial.RUNG_SCORE);
    }

    /**
     * @param dimensions the coordinates, one per searched hyperparameter ({@code MicromodelSpace.dimensions()})
     * @param objective  what the scores mean (higher or lower is better)
     * @param seed       the sampler's seed (the same on every call: it draws the initial design)
     * @param partial    how partial (halved) trials are observed
     */
    public BayesianSampler(List<Dimension> dimensions, Objective objective, long seed, Partial partial) {
        this.partial = Objects.requireNonNull(partial, "partial must not be null");
        this.optimizer = new BayesianOptimizer(dimensions, BayesOptions.defaults(dimensions.size()));
        this.objective = Objects.requireNonNull(objective, "objective must not be null");
        this.seed = seed;
    }

    /** @return the number of points of the space-filling design proposed before the Gaussian process takes over */
    public int initialPoints() {
        return optimizer.options().initialPoints();
    }

    /**
     * A trial's point as the optimiser sees it: each coordinate rounded to its dimension's grid (integer and
     * categorical leaves decode bin centres).
     *
     * @return a copy of the point, shape {@code [d]}
     * @throws IllegalArgumentException if the point has another number of coordinates than {@code dims}
     */
    static double[] roundedPoint(TrialRecord r, List<Dimension> dims) {
        double[] p = r.point();
        if (p.length != dims.size()) {
            throw new IllegalArgumentException("trial " + r.number() + " has " + p.length + " coordinates, the space "
                    + dims.size());
        }
        for (int j = 0; j < p.length; j++) {
            p[j] = dims.get(j).round(p[j]);
        }
        return p;
    }

    @Override
    public List<double[]> propose(List<TrialRecord> trials, int q) {
        List<Dimension> dims = optimizer.space();
        List<Trial> seen = new ArrayList<>(trials.size());
        for (TrialRecord r : trials) {
            double[] p = BayesianSampler.roundedPoint(r, dims);
            seen.add(switch (r.status()) {
                case RUNNING -> Trial.running(p);
                case COMPLETE -> Trial.of(p, objective.loss(r.score()));
                case FAILED, DIVERGED -> Trial.failed(p);
                case PARTIAL -> switch (partial) {
                    case RUNG_SCORE -> Trial.of(p, objective.loss(r.score()));
                    case FAILED -> Trial.failed(p);
                    case PENDING -> Trial.running(p);
                };
            });
        }
        return optimizer.propose(seen, q, seed);
    }
}

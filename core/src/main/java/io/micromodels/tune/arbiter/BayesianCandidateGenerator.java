package io.micromodels.tune.arbiter;

import io.micromodels.tune.bayes.BayesOptions;
import io.micromodels.tune.bayes.BayesianOptimizer;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.Trial;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.generator.BaseCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.deeplearning4j.arbiter.util.LeafUtils;

/**
 * An Arbiter {@link org.deeplearning4j.arbiter.optimize.api.CandidateGenerator} backed by the
 * {@link BayesianOptimizer}: pick it in an {@code OptimizationConfiguration} like Arbiter's random,
 * grid or genetic generators, over any {@link ParameterSpace}.
 *
 * <p><b>Coordinates.</b> The leaves are collected and numbered as Arbiter's own generators do
 * (unique leaves in {@code collectLeaves()} order, consecutive indices), and each leaf parameter
 * becomes one {@link Dimension}: {@link IntegerParameterSpace} an ordered integer with
 * {@code max - min + 1} levels (up to {@value #MAX_INTEGER_LEVELS}; wider ranges are continuous),
 * {@link DiscreteParameterSpace} a categorical with one level per value, any other leaf (for
 * example {@code ContinuousParameterSpace}) one continuous coordinate per parameter. Fixed leaves
 * have no parameter and so no coordinate. Arbiter maps {@code [0,1]} through each leaf's own
 * distribution, so a log-uniform leaf comes out log-scaled.
 *
 * <p><b>Encodings.</b> The optimiser encodes level {@code i} of {@code k} as {@code (i + 0.5)/k}
 * and decodes {@code floor(u k)}. Arbiter's {@code DiscreteParameterSpace} decodes the same way;
 * {@code IntegerParameterSpace} decodes through its distribution's inverse CDF
 * ({@code ceil(u k) - 1} for the uniform one, so bin edges fall the other way, and a non-uniform
 * distribution has unequal bins). The adapter therefore translates integer coordinates both ways:
 * on construction it finds, by bisection on the leaf itself, the interval of {@code u} that decodes
 * to each level; a proposed level is sent to Arbiter as the middle of its interval (exactly
 * {@code (i + 0.5)/k} for a uniform leaf), and a reported point is read back through the leaf.
 *
 * <p><b>Results.</b> Scores are minimised or maximised as the score function says. Every reported
 * result is kept as a trial; a result whose score is null, NaN or infinite, or whose status is
 * {@code Failed}, and a candidate whose value could not be built, become
 * {@link Trial.Status#FAILED} trials, which the optimiser steers away from. Candidates handed out
 * and not yet reported are {@link Trial.Status#RUNNING}, so concurrent candidates differ. Arbiter's
 * {@code BaseOptimizationRunner} does not pass failed tasks to {@code reportResults}: register this
 * generator as a listener too ({@code runner.addListeners(generator)}), and it picks failures up
 * from the runner's candidate status.
 *
 * <pre>{@code
 * BayesianCandidateGenerator generator = new BayesianCandidateGenerator(space, scoreFunction, 42L);
 * OptimizationConfiguration config = new OptimizationConfiguration.Builder()
 *         .candidateGenerator(generator).dataProvider(data).scoreFunction(scoreFunction)
 *         .terminationConditions(new MaxCandidatesCondition(30)).build();
 * LocalOptimizationRunner runner = new LocalOptimizationRunner(1, config, taskCreator);
 * runner.addListeners(generator);
 * runner.execute();
 * }</pre>
 *
 * <p>Thread-safe (every method is synchronized). Randomness comes only from the seed (the
 * constructor's, or {@link #setRngSeed(long)}, which {@code OptimizationConfiguration} calls with
 * its own seed) and the number of trials.
 */
public class BayesianCandidateGenerator extends BaseCandidateGenerator<Object> implements StatusListener {

    /** Integer leaves with more levels than this are searched as continuous coordinates. */
    public static final int MAX_INTEGER_LEVELS = 1024;

    private final boolean minimize;
    private final BayesianOptimizer optimizer;
    private final List<Coordinate> coordinates = new ArrayList<>();
    private final List<Trial> finished = new ArrayList<>();
    private final Map<Integer, double[]> running = new LinkedHashMap<>();
    private final Set<Integer> reported = new HashSet<>();
    private long seed;

    /**
     * @param space    the space to search (any Arbiter parameter space with at least one parameter)
     * @param minimize whether lower scores are better
     * @param seed     the search's seed
     * @param options  the optimiser's settings, or null for {@link BayesOptions#defaults(int)}
     */
    public BayesianCandidateGenerator(ParameterSpace<?> space, boolean minimize, long seed, BayesOptions options) {
        super(castSpace(space), null, false);
        this.minimize = minimize;
        this.seed = seed;
        initialize();
        List<ParameterSpace> leaves = LeafUtils.getUniqueObjects(space.collectLeaves());
        int flat = 0;
        List<Dimension> dims = new ArrayList<>();
        int total = space.numParameters();
        for (ParameterSpace leaf : leaves) {
            int np = leaf.numParameters();
            if (np == 1 && leaf instanceof IntegerParameterSpace ips
                    && (long) ips.getMax() - ips.getMin() + 1 >= 2
                    && (long) ips.getMax() - ips.getMin() + 1 <= MAX_INTEGER_LEVELS) {
                coordinates.add(Coordinate.integer(leaf, flat, total, ips.getMin(), ips.getMax() - ips.getMin() + 1));
            } else if (np == 1 && leaf instanceof DiscreteParameterSpace<?> dps && dps.numValues() >= 2) {
                coordinates.add(Coordinate.categorical(dps.numValues()));
            } else {
                for (int j = 0; j < np; j++) {
                    coordinates.add(Coordinate.continuous());
                }
            }
            flat += np;
        }
        if (coordinates.size() != total) {
            throw new IllegalArgumentException("the space has " + total + " parameters but its unique leaves have "
                    + coordinates.size() + "; a leaf reports numParameters() inconsistently");
        }
        if (total == 0) {
            throw new IllegalArgumentException("the space has no parameter to search (every leaf is fixed)");
        }
        for (Coordinate c : coordinates) {
            dims.add(c.dimension);
        }
        this.optimizer = new BayesianOptimizer(dims, options == null ? BayesOptions.defaults(dims.size()) : options);
    }

    /**
     * @param space         the space to search
     * @param scoreFunction the score function of the optimisation (only {@code minimize()} is used)
     * @param seed          the search's seed
     */
    public BayesianCandidateGenerator(ParameterSpace<?> space, ScoreFunction scoreFunction, long seed) {
        this(space, Objects.requireNonNull(scoreFunction, "scoreFunction must not be null").minimize(), seed, null);
    }

    @SuppressWarnings("unchecked")
    private static ParameterSpace<Object> castSpace(ParameterSpace<?> space) {
        return (ParameterSpace<Object>) Objects.requireNonNull(space, "space must not be null");
    }

    /** @return the optimiser's coordinates, one per leaf parameter, in Arbiter's flat-parameter order */
    public List<Dimension> dimensions() {
        return optimizer.space();
    }

    /** @return always true: the optimiser can always propose another point */
    @Override
    public boolean hasMoreCandidates() {
        return true;
    }

    /** @return the next candidate; its flat parameters are Arbiter's {@code [0,1]} values */
    @Override
    public synchronized Candidate getCandidate() {
        return getCandidates(1).get(0);
    }

    /**
     * Proposes {@code q} candidates to evaluate together (one Gaussian-process fit for the batch;
     * each later point chosen as if the earlier ones had been observed at the posterior mean).
     *
     * @param q number of candidates, {@code >= 1}
     * @return {@code q} candidates with consecutive indices
     */
    public synchronized List<Candidate> getCandidates(int q) {
        List<Trial> trials = new ArrayList<>(finished);
        for (double[] p : running.values()) {
            trials.add(Trial.running(p));
        }
        List<double[]> points = optimizer.propose(trials, q, seed);
        List<Candidate> out = new ArrayList<>(q);
        for (double[] p : points) {
            double[] u = new double[p.length];
            for (int j = 0; j < p.length; j++) {
                u[j] = coordinates.get(j).toArbiter(p[j]);
            }
            int index = candidateCounter.getAndIncrement();
            Object value = null;
            Exception error = null;
            try {
                value = parameterSpace.getValue(u);
            } catch (Exception e) {
                error = e;
            }
            if (error != null) {
                finished.add(Trial.failed(p));
                reported.add(index);
            } else {
                running.put(index, p);
            }
            out.add(new Candidate(value, index, u, dataParameters, error));
        }
        return out;
    }

    /**
     * Records a result. A null, NaN or infinite score, or a {@code Failed} status, records a failed
     * trial. Results of candidates not made here (for example earlier trials of a resumed study)
     * are accepted too: their point is read from the candidate's flat parameters. A second report
     * of the same candidate index is ignored.
     */
    @Override
    public synchronized void reportResults(OptimizationResult result) {
        Objects.requireNonNull(result, "result must not be null");
        Candidate candidate = result.getCandidate();
        int index = candidate != null ? candidate.getIndex() : result.getIndex();
        double[] flat = candidate != null ? candidate.getFlatParameters()
                : result.getCandidateInfo() != null ? result.getCandidateInfo().getFlatParams() : null;
        boolean failed = result.getCandidateInfo() != null
                && result.getCandidateInfo().getCandidateStatus() == CandidateStatus.Failed;
        record(index, flat, failed ? null : result.getScore());
    }

    private void record(int index, double[] flat, Double score) {
        if (index >= 0 && !reported.add(index)) {
            return;
        }
        double[] p = running.remove(index);
        if (p == null) {
            if (flat == null) {
                throw new IllegalArgumentException("result " + index + " has no flat parameters and was not proposed here");
            }
            p = fromArbiter(flat);
        }
        if (score == null || !Double.isFinite(score)) {
            finished.add(Trial.failed(p));
        } else {
            finished.add(Trial.of(p, minimize ? score : -score));
        }
    }

    /**
     * @param flat shape {@code [numParameters]}: Arbiter's {@code [0,1]} values of a candidate
     * @return shape {@code [numParameters]}: the optimiser's encoding of the same candidate
     */
    public double[] fromArbiter(double[] flat) {
        if (flat.length != coordinates.size()) {
            throw new IllegalArgumentException("flat parameters must have " + coordinates.size() + " values, got "
                    + flat.length);
        }
        double[] p = new double[flat.length];
        for (int j = 0; j < flat.length; j++) {
            p[j] = coordinates.get(j).fromArbiter(flat[j]);
        }
        return p;
    }

    /** @return a copy of the finished trials (optimiser encoding, scores as minimised), in report order */
    public synchronized List<Trial> trials() {
        return List.copyOf(finished);
    }

    /** @return the number of candidates handed out and not yet reported */
    public synchronized int runningCount() {
        return running.size();
    }

    /** Sets the seed of the search (Arbiter's {@code OptimizationConfiguration} calls this). */
    @Override
    public synchronized void setRngSeed(long rngSeed) {
        super.setRngSeed(rngSeed);
        this.seed = rngSeed;
    }

    @Override
    public Class<?> getCandidateType() {
        return null;
    }

    @Override
    public void onInitialization(IOptimizationRunner runner) {
    }

    @Override
    public void onShutdown(IOptimizationRunner runner) {
        onRunnerStatusChange(runner);
    }

    /** Picks up candidates the runner marked failed without reporting them. */
    @Override
    public synchronized void onRunnerStatusChange(IOptimizationRunner runner) {
        for (CandidateInfo info : runner.getCandidateStatus()) {
            if (info.getCandidateStatus() == CandidateStatus.Failed && running.containsKey(info.getIndex())) {
                record(info.getIndex(), info.getFlatParams(), null);
            }
        }
    }

    /** A candidate that failed is recorded as a failed trial. */
    @Override
    public synchronized void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner runner,
                                                     OptimizationResult result) {
        if (info != null && info.getCandidateStatus() == CandidateStatus.Failed && running.containsKey(info.getIndex())) {
            record(info.getIndex(), info.getFlatParams(), null);
        }
    }

    @Override
    public void onCandidateIteration(CandidateInfo info, Object model, int iteration) {
    }

    @Override
    public String toString() {
        return "BayesianCandidateGenerator(dimensions=" + coordinates.size() + ", seed=" + seed + ")";
    }

    /** How one flat parameter maps between Arbiter's {@code u} and the optimiser's encoding. */
    private static final class Coordinate {
        final Dimension dimension;
        /** For integer leaves: {@code bounds[i]..bounds[i+1]} is the u interval of level i; else null. */
        final double[] bounds;
        final ParameterSpace<?> leaf;
        final int flatIndex;
        final int total;
        final int min;

        private Coordinate(Dimension dimension, double[] bounds, ParameterSpace<?> leaf, int flatIndex, int total, int min) {
            this.dimension = dimension;
            this.bounds = bounds;
            this.leaf = leaf;
            this.flatIndex = flatIndex;
            this.total = total;
            this.min = min;
        }

        static Coordinate continuous() {
            return new Coordinate(Dimension.continuous(), null, null, -1, 0, 0);
        }

        static Coordinate categorical(int n) {
            return new Coordinate(Dimension.categorical(n), null, null, -1, 0, 0);
        }

        static Coordinate integer(ParameterSpace<?> leaf, int flatIndex, int total, int min, long levels) {
            int k = (int) levels;
            Coordinate probe = new Coordinate(Dimension.integer(k), null, leaf, flatIndex, total, min);
            double[] bounds = new double[k + 1];
            bounds[k] = 1.0;
            for (int i = 1; i < k; i++) {
                // smallest u whose value is >= min + i (levels are non-decreasing in u)
                double lo = bounds[i - 1];
                double hi = 1.0;
                for (int it = 0; it < 60 && hi - lo > 1e-15; it++) {
                    double mid = 0.5 * (lo + hi);
                    if (probe.valueLevel(mid) >= i) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                bounds[i] = hi;
            }
            return new Coordinate(Dimension.integer(k), bounds, leaf, flatIndex, total, min);
        }

        /** The level the leaf decodes u to, clamped to [0, levels). */
        int valueLevel(double u) {
            double[] probe = new double[total];
            probe[flatIndex] = u;
            int v = ((Number) leaf.getValue(probe)).intValue() - min;
            return Math.max(0, Math.min(dimension.levels() - 1, v));
        }

        double toArbiter(double encoded) {
            if (bounds == null) {
                return encoded;
            }
            int level = dimension.level(encoded);
            return 0.5 * (bounds[level] + bounds[level + 1]);
        }

        double fromArbiter(double u) {
            double c = Math.max(0.0, Math.min(1.0, u));
            if (dimension.kind() == Dimension.Kind.CONTINUOUS) {
                return c;
            }
            if (bounds == null) {
                int n = dimension.levels();
                int level = Math.min((int) (c / (1.0 / n)), n - 1);
                return dimension.encode(level);
            }
            return dimension.encode(valueLevel(c));
        }
    }
}

package io.micromodels.tune;

import io.micromodels.train.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.parentselection.RandomTwoParentSelection;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;

/**
 * Runs one of Arbiter's own {@link CandidateGenerator}s as a {@link Sampler}: the points are the generator's
 * candidates' flat parameters (Arbiter's unit cube, the coordinates the space's leaves decode). Arbiter's
 * generators keep state, a sampler must not; so every call builds a fresh generator from a factory and brings it up
 * to date from the trials, in one of two ways:
 * <ul>
 *   <li><b>replayed</b> (random, grid: deterministic sequences): the generator's sequence is drawn from the start and
 *       every candidate whose point is already a trial's (matched exactly, once per trial) is skipped; the first
 *       {@code q} others are proposed, so a trial lost in flight is proposed again first and nothing repeats. Cost
 *       grows with the number of trials (one draw each, a few microseconds).</li>
 *   <li><b>told</b> (genetic): the generator is told every finished trial, in number order, through
 *       {@code reportResults}: an {@link OptimizationResult} holding the trial's candidate (its spec and point, its
 *       number as the index) and its loss, or no score for a failed trial. Arbiter's genetic generator reads exactly
 *       the point and the score of each result (a result without a score is skipped); nothing is invented for it:
 *       there is no runner, so no {@code CandidateInfo} and no saved-model reference. Its random sources are seeded
 *       from the seed and the trial count, so it may repeat a point, as it may in any run.</li>
 * </ul>
 */
public final class ArbiterSampler implements Sampler {
    /** Grid values per continuous (and wide integer) coordinate of {@link #grid}. */
    public static final int GRID_POINTS = 3;

    private final ParameterSpace<?> space;
    private final IntFunction<CandidateGenerator> generators;
    private final Objective objective;

    /**
     * @param space      the space the generators search (it decodes points for {@code reportResults})
     * @param generators a fresh generator for a call with {@code n} trials
     * @param objective  how scores become losses for a told generator; null to replay the generator instead
     */
    public ArbiterSampler(ParameterSpace<?> space, IntFunction<CandidateGenerator> generators, Objective objective) {
        this.space = Objects.requireNonNull(space, "space must not be null");
        this.generators = Objects.requireNonNull(generators, "generators must not be null");
        this.objective = objective;
    }

    /** @return Arbiter's {@code RandomSearchGenerator} on {@code space}, seeded, replayed */
    public static ArbiterSampler random(ParameterSpace<?> space, long seed) {
        return new ArbiterSampler(space, n -> {
            RandomSearchGenerator g = new RandomSearchGenerator(space, null);
            g.setRngSeed(seed);
            return g;
        }, null);
    }

    /** @return Arbiter's {@code GridSearchCandidateGenerator}, sequential, {@value #GRID_POINTS} values per continuous coordinate, replayed */
    public static ArbiterSampler grid(ParameterSpace<?> space) {
        return new ArbiterSampler(space, n -> new GridSearchCandidateGenerator(space, GRID_POINTS,
                GridSearchCandidateGenerator.Mode.Sequential, null), null);
    }

    /** @return Arbiter's {@code GeneticSearchCandidateGenerator} with seeded selection, crossover and mutation, told */
    public static ArbiterSampler genetic(ParameterSpace<?> space, Objective objective, long seed) {
        Objects.requireNonNull(objective, "objective must not be null");
        return new ArbiterSampler(space, n -> genetic(space, seed + 1_000_003L * n), objective);
    }

    private static CandidateGenerator genetic(ParameterSpace<?> space, long seed) {
        GeneticSelectionOperator selection = new GeneticSelectionOperator.Builder()
                .randomGenerator(new JDKRandomGenerator((int) (seed ^ (seed >>> 32))))
                .crossoverOperator(new SinglePointCrossover.Builder()
                        .randomGenerator(new JDKRandomGenerator((int) (seed * 31 + 7)))
                        .parentSelection(new RandomTwoParentSelection(new JDKRandomGenerator((int) (seed * 17 + 3))))
                        .build())
                .mutationOperator(new RandomMutationOperator.Builder()
                        .randomGenerator(new JDKRandomGenerator((int) (seed * 13 + 5))).build())
                .build();
        return new GeneticSearchCandidateGenerator.Builder(space, MINIMIZE).selectionOperator(selection).build();
    }

    @Override
    public List<double[]> propose(List<TrialRecord> trials, int q) {
        CandidateGenerator g = generators.apply(trials.size());
        List<double[]> out = new ArrayList<>(q);
        if (objective != null) {
            for (TrialRecord r : trials) {
                if (r.finished()) {
                    Double loss = r.complete() ? objective.loss(r.score()) : null;
                    Candidate<?> c = new Candidate<>(space.getValue(r.point()), r.number(), r.point());
                    g.reportResults(new OptimizationResult(c, loss, r.number(), null, null, null));
                }
            }
            while (out.size() < q && g.hasMoreCandidates()) {
                out.add(g.getCandidate().getFlatParameters());
            }
            return out;
        }
        TakenPoints taken = new TakenPoints(trials);
        while (out.size() < q && g.hasMoreCandidates()) {
            double[] p = g.getCandidate().getFlatParameters();
            if (taken.isNew(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The score function handed to Arbiter generators that ask for one: losses, minimised. */
    static final ScoreFunction MINIMIZE = new ScoreFunction() {
        @Override
        public double score(Object model, DataProvider dataProvider, java.util.Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("studies score trials themselves");
        }

        @Override
        public double score(Object model, Class<? extends DataSource> dataSource, java.util.Properties properties) {
            throw new UnsupportedOperationException("studies score trials themselves");
        }

        @Override
        public boolean minimize() {
            return true;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of();
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of();
        }
    };
}

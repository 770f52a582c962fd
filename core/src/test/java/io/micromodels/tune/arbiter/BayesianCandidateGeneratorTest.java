package io.micromodels.tune.arbiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.TuneData;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.Trial;
import io.micromodels.tune.space.IntRange;
import io.micromodels.tune.space.MicromodelSpace;
import io.micromodels.tune.space.Range;
import io.micromodels.tune.space.SpaceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BayesianCandidateGeneratorTest {

    /** A space of (x continuous in [0,1], n integer, c categorical, one fixed value): values as a list. */
    static final class Toy extends AbstractParameterSpace<List<Object>> {
        final ParameterSpace<Double> x = new ContinuousParameterSpace(0, 1);
        final ParameterSpace<Integer> n;
        final ParameterSpace<String> c = new DiscreteParameterSpace<>("a", "b", "c", "d");
        final ParameterSpace<String> fixed = new FixedValue<>("same");

        Toy(ParameterSpace<Integer> n) {
            this.n = n;
        }

        @Override
        public List<Object> getValue(double[] u) {
            return List.of(x.getValue(u), n.getValue(u), c.getValue(u), fixed.getValue(u));
        }

        @Override
        public int numParameters() {
            return 3;
        }

        @Override
        public List<ParameterSpace> collectLeaves() {
            List<ParameterSpace> l = new ArrayList<>();
            l.add(x);
            l.add(n);
            l.add(c);
            l.addAll(fixed.collectLeaves());
            return l;
        }

        @Override
        public boolean isLeaf() {
            return false;
        }

        @Override
        public void setIndices(int... indices) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void onePerLeafParameterWithTheRightKindsAndNoneForFixedLeaves() {
        BayesianCandidateGenerator g = new BayesianCandidateGenerator(new Toy(new IntegerParameterSpace(3, 7)), true, 1, null);
        assertEquals(List.of(Dimension.continuous(), Dimension.integer(5), Dimension.categorical(4)), g.dimensions());
    }

    @Test
    void proposedLevelsDecodeToTheLevelTheOptimiserMeant() {
        // uniform integer: Arbiter decodes with the inverse CDF (ceil(u k) - 1), the optimiser with floor(u k)
        Toy toy = new Toy(new IntegerParameterSpace(3, 7));
        BayesianCandidateGenerator g = new BayesianCandidateGenerator(toy, true, 1, null);
        for (int round = 0; round < 12; round++) {
            Candidate c = g.getCandidate();
            @SuppressWarnings("unchecked")
            List<Object> v = (List<Object>) c.getValue();
            double[] encoded = g.fromArbiter(c.getFlatParameters());
            assertEquals(3 + Dimension.integer(5).level(encoded[1]), v.get(1));
            assertEquals(List.of("a", "b", "c", "d").get(Dimension.categorical(4).level(encoded[2])), v.get(2));
            assertEquals(Dimension.integer(5).encode(Dimension.integer(5).level(encoded[1])), encoded[1], 0);
            g.reportResults(result(c, (double) round));
        }
        // bin centres sent to a uniform integer leaf are the optimiser's own encodings
        Candidate c = g.getCandidate();
        double u = c.getFlatParameters()[1];
        assertEquals(u, g.fromArbiter(c.getFlatParameters())[1], 1e-9);
    }

    @Test
    void nonUniformIntegerLeavesAreTranslatedThroughTheirDistribution() {
        // Binomial(4, 0.2) on {0..4}: most of [0,1] decodes to 0 or 1; every level must still be reachable
        IntegerParameterSpace skewed = new IntegerParameterSpace(new BinomialDistribution(4, 0.2));
        Toy toy = new Toy(skewed);
        BayesianCandidateGenerator g = new BayesianCandidateGenerator(toy, true, 1, null);
        Dimension d = g.dimensions().get(1);
        assertEquals(Dimension.integer(5), d);
        double[] flat = new double[3];
        for (int level = 0; level < 5; level++) {
            double[] enc = {0.5, d.encode(level), 0.125};
            // what the adapter sends for this encoding decodes, in Arbiter, to the same level
            double[] fromLeaf = g.fromArbiter(toArbiterViaCandidate(g, toy, enc));
            assertEquals(d.encode(level), fromLeaf[1], 0, "level " + level);
        }
        assertNotNull(flat);
    }

    /** Finds the Arbiter u the adapter uses for an encoding by scanning u and reading it back. */
    private static double[] toArbiterViaCandidate(BayesianCandidateGenerator g, Toy toy, double[] enc) {
        // scan [0,1] for a u that reads back to the encoding: proves the level is reachable and round-trips
        for (int i = 0; i <= 10000; i++) {
            double u = i / 10000.0;
            double[] flat = {enc[0], u, enc[2]};
            if (g.fromArbiter(flat)[1] == enc[1]) {
                assertEquals((int) toy.n.getValue(flat), toy.n.getValue(flat));
                return flat;
            }
        }
        throw new AssertionError("level of " + enc[1] + " unreachable");
    }

    @Test
    void failedResultsBecomeFailedTrials() {
        Toy toy = new Toy(new IntegerParameterSpace(3, 7));
        BayesianCandidateGenerator g = new BayesianCandidateGenerator(toy, false, 1, null);
        Candidate a = g.getCandidate();
        Candidate b = g.getCandidate();
        Candidate c = g.getCandidate();
        Candidate d = g.getCandidate();
        assertEquals(4, g.runningCount());
        g.reportResults(result(a, 0.9));
        g.reportResults(result(b, null));
        g.reportResults(result(c, Double.NaN));
        CandidateInfo failed = new CandidateInfo(d.getIndex(), CandidateStatus.Failed, null, 0, 0L, 0L, d.getFlatParameters(), "boom");
        g.reportResults(new OptimizationResult(d, 0.5, d.getIndex(), null, failed, null));
        g.reportResults(result(a, 0.1)); // a second report of the same candidate is ignored
        List<Trial> t = g.trials();
        assertEquals(4, t.size());
        assertEquals(-0.9, t.get(0).score(), 0); // maximising: stored negated
        assertTrue(t.get(1).isFailure() && t.get(2).isFailure() && t.get(3).isFailure());
        assertEquals(0, g.runningCount());
    }

    static OptimizationResult result(Candidate c, Double score) {
        CandidateInfo info = new CandidateInfo(c.getIndex(), CandidateStatus.Complete, score, 0, 0L, 0L, c.getFlatParameters(), null);
        return new OptimizationResult(c, score, c.getIndex(), null, info, null);
    }

    /** Scores (x - 0.45)^2 + small terms; throws for x > 0.7, as a crashing trial would. */
    static final class ToyTasks implements TaskCreator {
        @Override
        public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
                                                   List<StatusListener> statusListeners, IOptimizationRunner runner) {
            return () -> {
                @SuppressWarnings("unchecked")
                List<Object> v = (List<Object>) candidate.getValue();
                double x = (Double) v.get(0);
                if (x > 0.7) {
                    // what Arbiter's own task creators do: a Failed result the runner does not report to the generator
                    CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Failed, null, 0, 0L, 0L,
                            candidate.getFlatParameters(), "diverged");
                    return new OptimizationResult(candidate, null, candidate.getIndex(), null, info, null);
                }
                double score = (x - 0.45) * (x - 0.45) + 0.01 * ((Integer) v.get(1) - 5) * ((Integer) v.get(1) - 5);
                CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Complete, score, 0, 0L, 0L,
                        candidate.getFlatParameters(), null);
                return new OptimizationResult(candidate, score, candidate.getIndex(), null, info, null);
            };
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource, Properties p,
                                                   ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                                   IOptimizationRunner runner) {
            return create(candidate, (DataProvider) null, scoreFunction, statusListeners, runner);
        }
    }

    static final class Minimize implements ScoreFunction {
        @Override
        public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
            return 0;
        }

        @Override
        public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
            return 0;
        }

        @Override
        public boolean minimize() {
            return true;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return Collections.emptyList();
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return Collections.emptyList();
        }
    }

    static final class NoData implements DataProvider {
        @Override
        public Object trainData(Map<String, Object> dataParameters) {
            return null;
        }

        @Override
        public Object testData(Map<String, Object> dataParameters) {
            return null;
        }

        @Override
        public Class<?> getDataType() {
            return Object.class;
        }
    }

    @Test
    void runsInsideArbitersLocalOptimizationRunnerAndSeesFailures() {
        Toy toy = new Toy(new IntegerParameterSpace(3, 7));
        BayesianCandidateGenerator g = new BayesianCandidateGenerator(toy, new Minimize(), 11L);
        OptimizationConfiguration config = new OptimizationConfiguration.Builder()
                .candidateGenerator(g).dataProvider(new NoData()).scoreFunction(new Minimize())
                .terminationConditions(new MaxCandidatesCondition(28)).build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(1, config, new ToyTasks());
        runner.addListeners(g);
        runner.execute();
        assertEquals(28, runner.numCandidatesTotal());
        assertTrue(runner.numCandidatesFailed() > 0, "some candidates fail");
        List<Trial> trials = g.trials();
        long failures = trials.stream().filter(Trial::isFailure).count();
        assertEquals(runner.numCandidatesFailed(), failures, "every failure the runner saw reached the generator");
        assertEquals(runner.numCandidatesCompleted(), trials.size() - failures);
        // after the initial design, proposals move away from x > 0.7, where trials fail (a third of the range)
        List<Trial> late = trials.subList(trials.size() - 10, trials.size());
        long lateFailures = late.stream().filter(Trial::isFailure).count();
        assertTrue(lateFailures <= 1, "late failures: " + lateFailures + " of 10 in " + trials);
        assertTrue(runner.bestScore() < 0.01, "best " + runner.bestScore());
    }

    @Test
    void micromodelSpaceWithOurTaskCreatorRunsToCompletion(@TempDir Path dir) throws Exception {
        PreparedData data = TuneData.binary(dir, 240, 3);
        SpaceConfig d = SpaceConfig.defaults();
        SpaceConfig small = new SpaceConfig(new IntRange(1, 2, false), new IntRange(4, 16, true), d.activations(),
                d.dropRate(), d.l1(), d.l2(), new Range(1e-3, 1e-1, true), d.batchSizes());
        MicromodelTaskCreator tasks = new MicromodelTaskCreator(data);
        MicromodelSpace space = new MicromodelSpace(small, data.task(), data.pipeline().width(), 4, 2, 5L);
        BayesianCandidateGenerator g = new BayesianCandidateGenerator(space, tasks.scoreFunction(), 5L);
        OptimizationConfiguration config = new OptimizationConfiguration.Builder()
                .candidateGenerator(g).dataProvider(tasks.dataProvider()).scoreFunction(tasks.scoreFunction())
                .terminationConditions(new MaxCandidatesCondition(5)).build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(2, config, tasks);
        runner.execute();
        // two run at once, so the runner may have queued one more before it stopped
        int done = runner.numCandidatesCompleted() + runner.numCandidatesFailed();
        assertTrue(done >= 5 && done <= runner.numCandidatesTotal(), done + " of " + runner.numCandidatesTotal());
        assertEquals(done, g.trials().size());
        assertNotNull(runner.bestScore());
        assertTrue(runner.bestScore() < -0.5, "best loss is minus an AUC: " + runner.bestScore());
        Candidate next = g.getCandidate();
        assertTrue(next.getValue() instanceof MicromodelSpec);
        assertNull(next.getException());
    }

    @Test
    void theStudysCoordinatesAreTheGeneratorsForTheSameSpace() {
        // two readings of Arbiter leaves into optimiser coordinates (the study's sampler, this Arbiter adapter) agree
        io.micromodels.tune.space.MicromodelSpace space = new io.micromodels.tune.space.MicromodelSpace(
                io.micromodels.tune.space.SpaceConfig.defaults(),
                new io.micromodels.data.TaskInfo(io.micromodels.frozen.TaskKind.BINARY, "y", java.util.List.of("no", "yes"), 1),
                5, 10, 2, 1L);
        org.junit.jupiter.api.Assertions.assertEquals(new BayesianCandidateGenerator(space, true, 1L, null).dimensions(),
                space.dimensions());
    }
}

package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.tune.bayes.BayesOptions;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.MultiObjectiveOptimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The adapter from a study's trials to the multi-objective optimiser: what it observes, and that it proposes as told. */
class MultiObjectiveSamplerTest {
    static final List<Dimension> DIMS = List.of(Dimension.continuous(), Dimension.categorical(3));
    static final List<SearchObjective> OBJECTIVES = SearchObjective.parseAll(List.of("auc", "latency", "rows_per_second"));

    static TrialRecord done(int number, double[] point, double auc, double latency, double perSecond) {
        return new TrialRecord("abcdef01-" + number, number, point, SamplerTest.SPEC, 1, auc, "auc", 3, 2, 0.1, 0.1,
                TrialStatus.COMPLETE, "", new double[0], Double.NaN, new double[] {auc, latency, perSecond});
    }

    static TrialRecord failed(int number, double[] point) {
        return new TrialRecord("abcdef01-" + number, number, point, SamplerTest.SPEC, 1, Double.NaN, "auc", 3, 0, 0.1, 0.1,
                TrialStatus.FAILED, "boom", new double[0], Double.NaN, new double[] {Double.NaN, Double.NaN, Double.NaN});
    }

    @Test
    void observesMinimisedMetricsAndLogsOfCostsAndFailuresAsNaNRows() {
        MultiObjectiveSampler s = new MultiObjectiveSampler(DIMS, OBJECTIVES, 3L);
        assertArrayEquals(new double[] {-0.8, Math.log(1000), -Math.log(2e6)},
                s.observed(done(1, new double[] {0.5, 0.5}, 0.8, 1000, 2e6), 3));
        double[] nan = {Double.NaN, Double.NaN, Double.NaN};
        assertArrayEquals(nan, s.observed(failed(2, new double[] {0.5, 0.5}), 3));
        assertArrayEquals(nan, s.observed(done(3, new double[] {0.5, 0.5}, 0.8, Double.NaN, 2e6), 3), "a value missing");
        assertArrayEquals(new double[] {0.3, Math.log(66)}, new MultiObjectiveSampler(DIMS,
                SearchObjective.parseAll(List.of("log_loss", "params")), 3L).observed(
                new TrialRecord("abcdef01-4", 4, new double[] {0.1, 0.1}, SamplerTest.SPEC, 1, 0.3, "log_loss", 3, 2, 0.1, 0.1,
                        TrialStatus.COMPLETE, "", new double[0], Double.NaN, new double[] {0.3, 66}), 2));
    }

    @Test
    void proposesWhatTheOptimiserProposesForThoseObservations() {
        List<TrialRecord> trials = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double x = (i + 0.5) / 12;
            int level = i % 3;
            double[] p = {x, (level + 0.5) / 3};
            double auc = 0.9 - 0.3 * x * x - 0.02 * level;
            double latency = 200 + 5000 * (1 - x);
            double perSecond = 1e9 / (latency * 0.5);
            if (i == 4) {
                trials.add(failed(i + 1, p));
                values.add(new double[] {Double.NaN, Double.NaN, Double.NaN});
            } else {
                trials.add(done(i + 1, p, auc, latency, perSecond));
                values.add(new double[] {-auc, Math.log(latency), -Math.log(perSecond)});
            }
            points.add(p);
        }
        double[] taken = {0.37, 0.5};
        trials.add(SamplerTest.running(13, taken));
        List<double[]> viaStudy = new MultiObjectiveSampler(DIMS, OBJECTIVES, 5L).propose(trials, 3);
        List<double[]> direct = new MultiObjectiveOptimizer(DIMS, BayesOptions.defaults(2), 5L)
                .propose(points, values, List.of(taken), 3);
        assertEquals(3, viaStudy.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(direct.get(i), viaStudy.get(i));
        }
        Set<String> distinct = new HashSet<>();
        for (double[] p : viaStudy) {
            assertTrue(p[0] >= 0 && p[0] <= 1 && p[1] >= 0 && p[1] <= 1, Arrays.toString(p));
            assertTrue(distinct.add(Arrays.toString(p)));
        }
    }

    @Test
    void allFailedTrialsStillGiveDistinctValidPoints() {
        List<TrialRecord> trials = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            trials.add(failed(i + 1, new double[] {(i + 0.5) / 8, 0.5}));
        }
        List<double[]> next = new MultiObjectiveSampler(DIMS, OBJECTIVES, 5L).propose(trials, 4);
        assertEquals(4, next.size());
        Set<String> seen = new HashSet<>();
        trials.forEach(t -> seen.add(Arrays.toString(t.point())));
        for (double[] p : next) {
            assertTrue(DIMS.get(1).isValid(p[1]), "a categorical coordinate at a bin centre: " + p[1]);
            assertTrue(seen.add(Arrays.toString(p)), "distinct from the trials and each other: " + Arrays.toString(p));
        }
    }
}

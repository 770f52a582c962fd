package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Objective;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.space.IntRange;
import io.micromodels.tune.space.MicromodelSpace;
import io.micromodels.tune.space.Range;
import io.micromodels.tune.space.SpaceConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The samplers keep no history: the same trials give the same points, and recorded or running points are not proposed again. */
class SamplerTest {
    static final MicromodelSpec SPEC = Micromodel.classifier(2).input(3).dense(4, Activation.TANH).adam(0.01).build();

    static TrialRecord done(int number, double[] point, double auc) {
        return new TrialRecord("abcdef01-" + number, number, point, SPEC, SPEC.seed(), auc, "auc", 3, 2, 0.1, 0.1,
                TrialStatus.COMPLETE, "");
    }

    static TrialRecord running(int number, double[] point) {
        return TrialRecord.running("abcdef01-" + number, number, point, SPEC, "auc");
    }

    /** Activation (2 values) and learning rate (log range): 2 coordinates, a grid of 2 x 3. */
    static MicromodelSpace twoCoordinates() {
        SpaceConfig c = new SpaceConfig(new IntRange(1, 1, false), new IntRange(4, 4, false),
                List.of(Activation.TANH, Activation.RELU), new Range(0, 0, false), new Range(0, 0, false),
                new Range(0, 0, false), new Range(1e-3, 1e-1, true), List.of(32));
        return new MicromodelSpace(c, new TaskInfo(io.micromodels.frozen.TaskKind.BINARY, "y", List.of("no", "yes"), 1), 3, 5, 1, 7L);
    }

    @Test
    void randomSamplerIsAPureFunctionOfTheSeedAndTheRecordedPoints() {
        RandomSampler s = new RandomSampler(3, 11L);
        List<double[]> first = s.propose(List.of(), 5);
        assertEquals(5, first.size());
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(s.point(k), first.get(k));
        }
        // trial 3 (the 3rd point) lost in flight: it is proposed again first, then the 6th; nothing recorded repeats
        List<TrialRecord> trials = List.of(done(1, first.get(0), 0.7), done(2, first.get(1), 0.7),
                running(4, first.get(3)), done(5, first.get(4), 0.7));
        List<double[]> next = s.propose(trials, 2);
        assertArrayEquals(first.get(2), next.get(0));
        assertArrayEquals(s.point(5), next.get(1));
        // uniform on [0,1]: the mean of 3000 coordinates is within 4 standard errors (sqrt(1/12/3000) = 0.0053) of 0.5
        double sum = 0;
        for (double[] p : s.propose(List.of(), 1000)) {
            for (double v : p) {
                assertTrue(v >= 0 && v < 1);
                sum += v;
            }
        }
        assertEquals(0.5, sum / 3000, 4 * Math.sqrt(1.0 / 12 / 3000));
    }

    @Test
    void arbiterGridIsReplayedAndRunsOut() {
        MicromodelSpace space = twoCoordinates();
        assertEquals(2, space.numParameters());
        Sampler grid = ArbiterSampler.grid(space);
        List<double[]> all = grid.propose(List.of(), 100);
        assertEquals(2 * ArbiterSampler.GRID_POINTS, all.size(), "2 activations x 3 learning rates");
        Set<String> specs = new HashSet<>();
        for (double[] p : all) {
            MicromodelSpec s = space.getValue(p);
            assertTrue(specs.add(s.hidden().get(0).activation() + "/" + s.updater().learningRate()), "distinct: " + s);
        }
        List<TrialRecord> trials = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            trials.add(i == 1 ? running(i + 1, all.get(i)) : done(i + 1, all.get(i), 0.6));
        }
        List<double[]> rest = grid.propose(trials, 100);
        assertEquals(2, rest.size());
        assertArrayEquals(all.get(4), rest.get(0));
        assertArrayEquals(all.get(5), rest.get(1));
        trials.add(done(5, rest.get(0), 0.6));
        trials.add(done(6, rest.get(1), 0.6));
        assertEquals(List.of(), grid.propose(trials, 3), "the grid has no more points");
    }

    @Test
    void arbiterRandomAndGeneticProposeTheSameForTheSameTrials() {
        MicromodelSpace space = twoCoordinates();
        for (Sampler s : List.of(ArbiterSampler.random(space, 5L), ArbiterSampler.genetic(space, Objective.AUC, 5L))) {
            List<TrialRecord> trials = new ArrayList<>();
            for (int n = 1; n <= 40; n++) {
                List<double[]> a = s.propose(trials, 2);
                List<double[]> b = s.propose(List.copyOf(trials), 2);
                assertEquals(2, a.size());
                for (int i = 0; i < 2; i++) {
                    assertArrayEquals(a.get(i), b.get(i), "no hidden state: call " + n);
                    for (double v : a.get(i)) {
                        assertTrue(v >= 0 && v <= 1, Arrays.toString(a.get(i)));
                    }
                }
                double[] p = a.get(0);
                trials.add(done(n, p, 0.9 - Math.abs(p[1] - 0.3))); // best learning-rate coordinate 0.3
            }
        }
    }

    @Test
    void bayesianSamplerAvoidsRunningPointsAndFindsAKnownOptimum() {
        List<Dimension> dims = List.of(Dimension.categorical(2), Dimension.continuous());
        BayesianSampler s = new BayesianSampler(dims, Objective.AUC, 3L);
        List<TrialRecord> trials = new ArrayList<>();
        for (int n = 1; n <= 24; n++) {
            double[] p = s.propose(trials, 1).get(0);
            assertArrayEquals(p, s.propose(List.copyOf(trials), 1).get(0), "no hidden state");
            assertTrue(p[0] == 0.25 || p[0] == 0.75, "a categorical coordinate is a bin centre: " + p[0]);
            // AUC peaks at 0.9 for level 1 and u = 0.3 (a closed form the sampler does not know)
            double auc = 0.9 - (p[0] == 0.75 ? 0 : 0.2) - (p[1] - 0.3) * (p[1] - 0.3);
            trials.add(done(n, p, auc));
        }
        TrialRecord best = trials.stream().max(java.util.Comparator.comparingDouble(TrialRecord::score)).orElseThrow();
        assertEquals(0.75, best.point()[0]);
        assertEquals(0.3, best.point()[1], 0.05, "found the optimum within 0.05");
        // a running trial at the point it would propose next: the next proposal is elsewhere
        double[] next = s.propose(trials, 1).get(0);
        trials.add(running(25, next));
        double[] other = s.propose(trials, 1).get(0);
        assertFalse(Arrays.equals(next, other), "a running trial's point is not proposed again");
    }
}

package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class BayesianOptimizerTest {

    private static List<Trial> optimise(BayesianOptimizer optimizer, ToDoubleFunction<double[]> f, int budget, long seed) {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < budget; i++) {
            double[] x = optimizer.propose(trials, seed);
            trials.add(Trial.of(x, f.applyAsDouble(x)));
        }
        return trials;
    }

    private static Trial best(List<Trial> trials) {
        Trial best = null;
        for (Trial t : trials) {
            if (!t.isFailure() && (best == null || t.score() < best.score())) {
                best = t;
            }
        }
        return best;
    }

    @Test
    void findsTheMinimumOfAOneDimensionalQuadratic() {
        BayesianOptimizer optimizer = new BayesianOptimizer(List.of(Dimension.continuous()));
        for (long seed = 0; seed < 3; seed++) {
            // 5 design points + 7 guided steps.
            Trial best = best(optimise(optimizer, x -> (x[0] - 0.37) * (x[0] - 0.37), 12, seed));
            assertEquals(0.37, best.point()[0], 0.01, "seed " + seed);
        }
    }

    @Test
    void findsTheMinimumOfATwoDimensionalQuadratic() {
        BayesianOptimizer optimizer = new BayesianOptimizer(Collections.nCopies(2, Dimension.continuous()));
        for (long seed = 0; seed < 3; seed++) {
            List<Trial> trials = optimise(optimizer,
                    x -> (x[0] - 0.3) * (x[0] - 0.3) + 2 * (x[1] - 0.8) * (x[1] - 0.8), 20, seed);
            Trial best = best(trials);
            assertTrue(best.score() < 1e-4, "seed " + seed + ": best " + best);
        }
    }

    @Test
    void proposalsAreAlwaysValidEncodings() {
        List<Dimension> space = List.of(Dimension.continuous(), Dimension.integer(5), Dimension.categorical(3),
                Dimension.integer(100), Dimension.categorical(2));
        BayesianOptimizer optimizer = new BayesianOptimizer(space, BayesOptions.defaults(5).withRawSamples(256));
        ToDoubleFunction<double[]> f = x -> {
            int i = space.get(1).level(x[1]);
            int c = space.get(2).level(x[2]);
            int k = space.get(3).level(x[3]);
            int b = space.get(4).level(x[4]);
            return Math.pow(x[0] - 0.6, 2) + Math.pow(i - 3, 2) + (c == 1 ? 0 : 1) + Math.pow((k - 70) / 30.0, 2) + b;
        };
        List<Trial> trials = new ArrayList<>();
        for (int step = 0; step < 25; step++) {
            List<double[]> batch = optimizer.propose(trials, step % 5 == 4 ? 3 : 1, 7L);
            for (double[] x : batch) {
                for (int j = 0; j < space.size(); j++) {
                    assertTrue(space.get(j).isValid(x[j]), "step " + step + ", coordinate " + j + ": " + x[j]);
                }
                trials.add(Trial.of(x, f.applyAsDouble(x)));
            }
        }
        Trial best = best(trials);
        assertTrue(best.score() < 0.2, "mixed space optimised: " + best);
    }

    @Test
    void batchProposalsAreDistinct() {
        BayesianOptimizer optimizer = new BayesianOptimizer(Collections.nCopies(2, Dimension.continuous()));
        List<Trial> trials = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<double[]> batch = optimizer.propose(trials, 4, 3L);
            assertEquals(4, batch.size());
            for (int a = 0; a < batch.size(); a++) {
                for (int b = a + 1; b < batch.size(); b++) {
                    double dist = Math.hypot(batch.get(a)[0] - batch.get(b)[0], batch.get(a)[1] - batch.get(b)[1]);
                    assertTrue(dist > 1e-3, "round " + round + ": points " + a + " and " + b + " too close: " + dist);
                }
                for (Trial t : trials) {
                    assertFalse(Arrays.equals(t.point(), batch.get(a)), "repeats a trial");
                }
            }
            for (double[] x : batch) {
                trials.add(Trial.of(x, Math.pow(x[0] - 0.5, 2) + Math.pow(x[1] - 0.5, 2)));
            }
        }
    }

    @Test
    void smallDiscreteSpacesStillGiveDistinctBatches() {
        BayesianOptimizer optimizer = new BayesianOptimizer(List.of(Dimension.integer(3), Dimension.categorical(2)));
        List<double[]> batch = optimizer.propose(List.of(), 6, 1L);
        for (int a = 0; a < 6; a++) {
            for (int b = a + 1; b < 6; b++) {
                assertFalse(Arrays.equals(batch.get(a), batch.get(b)), a + " vs " + b);
            }
        }
    }

    /** A bowl centred on 0.5, known at four points away from the centre. */
    private static List<Trial> bowl() {
        List<Trial> trials = new ArrayList<>();
        for (double x : new double[] {0.1, 0.3, 0.7, 0.9}) {
            trials.add(Trial.of(new double[] {x}, Math.pow(x - 0.5, 2)));
        }
        return trials;
    }

    @Test
    void failedTrialsSteerProposalsAwayFromTheirRegion() {
        BayesianOptimizer optimizer = new BayesianOptimizer(List.of(Dimension.continuous()),
                BayesOptions.defaults(1).withInitialPoints(4));
        // Control: without failures the optimiser goes for the bowl's centre.
        double[] control = optimizer.propose(bowl(), 5L);
        assertEquals(0.5, control[0], 0.1, "control proposal");
        // Everything near the centre failed (one FAILED, two diverged with NaN / infinity).
        List<Trial> withFailures = bowl();
        withFailures.add(Trial.failed(new double[] {0.45}));
        withFailures.add(Trial.of(new double[] {0.5}, Double.NaN));
        withFailures.add(Trial.of(new double[] {0.55}, Double.POSITIVE_INFINITY));
        double[] steered = optimizer.propose(withFailures, 5L);
        assertTrue(Math.abs(steered[0] - 0.5) > 0.1, "proposal left the failed region: " + steered[0]);
    }

    @Test
    void whenEverythingFailedProposalsSpreadAway() {
        BayesianOptimizer optimizer = new BayesianOptimizer(Collections.nCopies(2, Dimension.continuous()),
                BayesOptions.defaults(2).withInitialPoints(3));
        List<Trial> trials = new ArrayList<>();
        for (double[] p : new double[][] {{0.05, 0.05}, {0.15, 0.1}, {0.1, 0.2}, {0.2, 0.2}}) {
            trials.add(Trial.failed(p));
        }
        double[] x = optimizer.propose(trials, 2L);
        for (Trial t : trials) {
            double[] p = t.point();
            assertTrue(Math.hypot(x[0] - p[0], x[1] - p[1]) > 0.5, "far from failures: " + Arrays.toString(x));
        }
    }

    @Test
    void runningTrialsAreNotProposedAgain() {
        BayesianOptimizer optimizer = new BayesianOptimizer(List.of(Dimension.continuous()),
                BayesOptions.defaults(1).withInitialPoints(4));
        double[] first = optimizer.propose(bowl(), 5L);
        List<Trial> trials = bowl();
        trials.add(Trial.running(first));
        double[] second = optimizer.propose(trials, 5L);
        assertTrue(Math.abs(second[0] - first[0]) > 0.02, first[0] + " then " + second[0]);
    }

    @Test
    void sameTrialsAndSeedGiveTheSameProposalsWithoutHiddenState() {
        BayesianOptimizer optimizer = new BayesianOptimizer(Collections.nCopies(3, Dimension.continuous()));
        List<Trial> trials = optimise(optimizer, x -> x[0] + x[1] * x[2], 9, 4L);
        List<double[]> a = optimizer.propose(trials, 2, 4L);
        new BayesianOptimizer(Collections.nCopies(3, Dimension.continuous())).propose(trials, 11L);
        List<double[]> b = optimizer.propose(trials, 2, 4L);
        List<double[]> c = new BayesianOptimizer(Collections.nCopies(3, Dimension.continuous())).propose(trials, 2, 4L);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(a.get(i), b.get(i), 0.0);
            assertArrayEquals(a.get(i), c.get(i), 0.0);
        }
    }

    @Test
    void initialDesignIsTheSeededDesignInOrder() {
        for (BayesOptions.InitialDesign design : BayesOptions.InitialDesign.values()) {
            BayesianOptimizer optimizer = new BayesianOptimizer(Collections.nCopies(2, Dimension.continuous()),
                    BayesOptions.defaults(2).withInitialPoints(8).withInitialDesign(design));
            List<double[]> all = optimizer.propose(List.of(), 8, 21L);
            List<Trial> trials = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                double[] x = optimizer.propose(trials, 21L);
                assertArrayEquals(all.get(i), x, 0.0, design + " point " + i);
                trials.add(Trial.of(x, 1.0));
            }
            // 8 points: one per eighth in each coordinate (Latin hypercube, and a Sobol 2^3 prefix).
            for (int j = 0; j < 2; j++) {
                boolean[] seen = new boolean[8];
                for (double[] x : all) {
                    seen[(int) (x[j] * 8)] = true;
                }
                for (boolean s : seen) {
                    assertTrue(s, design + " stratified in coordinate " + j);
                }
            }
        }
    }

    /** The example in {@link BayesianOptimizer}'s Javadoc, verbatim, and what it should achieve. */
    @Test
    void javadocExampleRuns() {
        List<Dimension> space = List.of(Dimension.continuous(), Dimension.integer(11));
        BayesianOptimizer optimizer = new BayesianOptimizer(space);
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double[] x = optimizer.propose(trials, 42L);
            double a = x[0];
            double b = space.get(1).level(x[1]) / 10.0;
            trials.add(Trial.of(x, (a - 0.3) * (a - 0.3) + (b - 0.7) * (b - 0.7)));
        }
        Trial best = trials.stream().min(Comparator.comparingDouble(Trial::score)).orElseThrow();
        assertEquals(7, space.get(1).level(best.point()[1]));
        assertEquals(0.3, best.point()[0], 0.02);
    }

    @Test
    void copesWithOneObservationAndWithTiesAndDuplicates() {
        BayesianOptimizer optimizer = new BayesianOptimizer(Collections.nCopies(2, Dimension.continuous()),
                BayesOptions.defaults(2).withInitialPoints(1));
        List<Trial> trials = new ArrayList<>(List.of(Trial.of(new double[] {0.5, 0.5}, 3.0)));
        double[] x = optimizer.propose(trials, 1L);
        assertFalse(Arrays.equals(x, new double[] {0.5, 0.5}));
        // Equal scores and a point evaluated twice: a singular covariance without noise.
        trials.add(Trial.of(new double[] {0.5, 0.5}, 3.0));
        trials.add(Trial.of(new double[] {0.2, 0.9}, 3.0));
        List<double[]> batch = optimizer.propose(trials, 3, 1L);
        for (double[] p : batch) {
            assertTrue(p[0] >= 0 && p[0] <= 1 && p[1] >= 0 && p[1] <= 1, Arrays.toString(p));
        }
    }

    @Test
    void argumentsAreValidated() {
        BayesianOptimizer optimizer = new BayesianOptimizer(Collections.nCopies(2, Dimension.continuous()));
        var e = assertThrows(IllegalArgumentException.class, () -> optimizer.propose(List.of(), 0, 1L));
        assertEquals("q must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> optimizer.propose(List.of(Trial.of(new double[] {0.5}, 1.0)), 1L));
        assertEquals("trials[0].point().length must be 2, got 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BayesianOptimizer(List.of()));
    }
}

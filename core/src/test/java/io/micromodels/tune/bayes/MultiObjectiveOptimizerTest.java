package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.tune.pareto.Hypervolume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MultiObjectiveOptimizerTest {

    /** ZDT1 in {@code d} coordinates: a convex front {@code f2 = 1 - sqrt(f1)} at {@code x[1..] = 0}. */
    private static double[] zdt1(double[] x) {
        double sum = 0;
        for (int j = 1; j < x.length; j++) {
            sum += x[j];
        }
        double g = 1 + 9 * sum / (x.length - 1);
        return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
    }

    private static void assertValidAndDistinct(List<Dimension> space, List<double[]> batch, List<double[]> taken) {
        for (int i = 0; i < batch.size(); i++) {
            double[] x = batch.get(i);
            assertEquals(space.size(), x.length);
            for (int j = 0; j < x.length; j++) {
                assertTrue(space.get(j).isValid(x[j]), "coordinate " + j + ": " + x[j]);
            }
            for (double[] t : taken) {
                assertFalse(Arrays.equals(t, x), "proposed again: " + Arrays.toString(x));
            }
            for (int k = 0; k < i; k++) {
                assertFalse(Arrays.equals(batch.get(k), x), "twice in one batch: " + Arrays.toString(x));
            }
        }
    }

    /** Runs {@code steps} batches of {@code q}, checking every batch; returns the points. */
    private static List<double[]> run(List<Dimension> space, Function<double[], double[]> f, int steps, int q, long seed) {
        MultiObjectiveOptimizer optimizer = new MultiObjectiveOptimizer(space,
                BayesOptions.defaults(space.size()).withRawSamples(256), seed);
        List<double[]> points = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            List<double[]> batch = optimizer.propose(points, values, List.of(), q);
            assertEquals(q, batch.size());
            assertValidAndDistinct(space, batch, points);
            for (double[] x : batch) {
                points.add(x);
                values.add(f.apply(x));
            }
        }
        return points;
    }

    @Test
    void constantObjectivesStillGiveValidDistinctProposals() {
        List<Dimension> space = List.of(Dimension.continuous(), Dimension.integer(4), Dimension.categorical(3));
        List<double[]> points = run(space, x -> new double[] {1.0, 1.0}, 8, 3, 5L);
        assertEquals(24, points.size());
    }

    @Test
    void allFailedRowsStillGiveValidDistinctProposals() {
        List<Dimension> space = List.of(Dimension.continuous(), Dimension.continuous());
        // Every row failed: all NaN, or one objective NaN or infinite.
        List<double[]> points = run(space, x -> x[0] < 0.3 ? new double[] {Double.NaN, Double.NaN}
                : x[0] < 0.6 ? new double[] {1.0, Double.NaN} : new double[] {Double.POSITIVE_INFINITY, 2.0}, 10, 2, 9L);
        assertEquals(20, points.size());
    }

    @Test
    void threeObjectivesAndBatchesGiveValidDistinctProposalsNearTheFront() {
        // DTLZ2 with 3 objectives in 4 coordinates: the front is the unit sphere's octant, at x[2..] = 0.5 (g = 0).
        // Batches of 3; the last 15 of 30 proposals should lie much nearer the front than uniform points.
        List<Dimension> space = Collections.nCopies(4, Dimension.continuous());
        Function<double[], double[]> f = x -> {
            double g = (x[2] - 0.5) * (x[2] - 0.5) + (x[3] - 0.5) * (x[3] - 0.5);
            double a = x[0] * Math.PI / 2;
            double b = x[1] * Math.PI / 2;
            return new double[] {(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b),
                    (1 + g) * Math.sin(a)};
        };
        for (long seed = 4; seed < 7; seed++) {
            List<double[]> points = run(space, f, 10, 3, seed);
            assertEquals(30, points.size());
            double[] g = new double[15];
            for (int i = 0; i < 15; i++) {
                double[] x = points.get(15 + i);
                g[i] = (x[2] - 0.5) * (x[2] - 0.5) + (x[3] - 0.5) * (x[3] - 0.5);
            }
            Arrays.sort(g);
            // For uniform points P(g < t) = pi t (t <= 1/4): median 0.159, and 8 of 15 below 0.08 with probability 0.017.
            assertTrue(g[7] < 0.08, "seed " + seed + ", g of the last 15 proposals: " + Arrays.toString(g));
        }
    }

    @Test
    void pendingPointsAreNotProposedAgainAndTheSameInputsGiveTheSameProposals() {
        List<Dimension> space = Collections.nCopies(3, Dimension.continuous());
        SplittableRandom rng = new SplittableRandom(3);
        List<double[]> points = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double[] x = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            points.add(x);
            values.add(i == 4 ? new double[] {Double.NaN, Double.NaN} : zdt1(x));
        }
        List<double[]> pending = List.of(new double[] {0.5, 0.5, 0.5}, new double[] {0.1, 0.0, 0.0});
        MultiObjectiveOptimizer a = new MultiObjectiveOptimizer(space, BayesOptions.defaults(3), 17L);
        List<double[]> first = a.propose(points, values, pending, 4);
        List<double[]> taken = new ArrayList<>(points);
        taken.addAll(pending);
        assertValidAndDistinct(space, first, taken);
        // A second call on the same instance (after an unrelated one) and a fresh instance agree.
        a.propose(points.subList(0, 11), values.subList(0, 11), List.of(), 2);
        List<double[]> again = a.propose(points, values, pending, 4);
        List<double[]> fresh = new MultiObjectiveOptimizer(space, BayesOptions.defaults(3), 17L)
                .propose(points, values, pending, 4);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(first.get(i), again.get(i));
            assertArrayEquals(first.get(i), fresh.get(i));
        }
        // Another seed draws other weights, so other points.
        List<double[]> other = new MultiObjectiveOptimizer(space, BayesOptions.defaults(3), 18L)
                .propose(points, values, pending, 4);
        assertFalse(Arrays.equals(first.get(0), other.get(0)) && Arrays.equals(first.get(1), other.get(1)));
    }

    @Test
    void pastTheRefitThresholdTheRememberedFitDoesNotChangeProposals() {
        // Past 100 observations the single-objective optimiser reuses its last fit and factor: a call after other
        // calls must still give what a fresh optimiser gives.
        List<Dimension> space = Collections.nCopies(3, Dimension.continuous());
        SplittableRandom rng = new SplittableRandom(8);
        List<double[]> points = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int i = 0; i < 115; i++) {
            double[] x = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            points.add(x);
            values.add(zdt1(x));
        }
        BayesOptions options = BayesOptions.defaults(3).withRawSamples(256);
        MultiObjectiveOptimizer used = new MultiObjectiveOptimizer(space, options, 3L);
        used.propose(points.subList(0, 112), values.subList(0, 112), List.of(), 2);
        used.propose(points.subList(0, 114), values.subList(0, 114), List.of(), 1);
        List<double[]> a = used.propose(points, values, List.of(), 2);
        List<double[]> b = new MultiObjectiveOptimizer(space, options, 3L).propose(points, values, List.of(), 2);
        assertValidAndDistinct(space, a, points);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(b.get(i), a.get(i));
        }
    }

    @Test
    void theFrontDominatesRandomSearchOnHypervolume() {
        // ZDT1 in 3 dimensions, 30 evaluations (8 design points, then batches of 2), 5 seeds, against 30 uniform
        // random points with the same seeds. Reference (1.1, 1.1) as is usual for ZDT1 (front in [0,1]^2,
        // hypervolume of the true front 1.1^2 - 1/3 = 0.8767).
        List<Dimension> space = Collections.nCopies(3, Dimension.continuous());
        double[] reference = {1.1, 1.1};
        int budget = 30;
        double[] bo = new double[5];
        double[] random = new double[5];
        for (int seed = 0; seed < 5; seed++) {
            MultiObjectiveOptimizer optimizer = new MultiObjectiveOptimizer(space,
                    BayesOptions.defaults(3).withInitialPoints(8).withRawSamples(512), seed);
            List<double[]> points = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            while (points.size() < budget) {
                for (double[] x : optimizer.propose(points, values, List.of(), 2)) {
                    points.add(x);
                    values.add(zdt1(x));
                }
            }
            bo[seed] = Hypervolume.of(values.toArray(new double[0][]), reference);
            SplittableRandom rng = new SplittableRandom(1000 + seed);
            double[][] r = new double[budget][];
            for (int i = 0; i < budget; i++) {
                r[i] = zdt1(new double[] {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()});
            }
            random[seed] = Hypervolume.of(r, reference);
        }
        double[] sortedBo = bo.clone();
        double[] sortedRandom = random.clone();
        Arrays.sort(sortedBo);
        Arrays.sort(sortedRandom);
        String msg = "ParEGO " + Arrays.toString(bo) + ", random " + Arrays.toString(random);
        // The worst ParEGO run beats the best random run, and the median is well above.
        assertTrue(sortedBo[0] > sortedRandom[4], msg);
        assertTrue(sortedBo[2] > sortedRandom[2] + 0.1, msg);
    }

    @Test
    void chebyshevScalarisationAndWeights() {
        assertEquals(0.6 * 0.5 + 0.05 * (0.4 * 0.25 + 0.6 * 0.5),
                MultiObjectiveOptimizer.chebyshev(new double[] {0.25, 0.5}, new double[] {0.4, 0.6}), 1e-15);
        double[][] w2 = MultiObjectiveOptimizer.weights(2, 4, new SplittableRandom(1));
        boolean[] stratum = new boolean[4];
        for (double[] w : w2) {
            assertEquals(1.0, w[0] + w[1], 1e-15);
            stratum[(int) Math.floor(w[0] * 4)] = true;
        }
        for (boolean s : stratum) {
            assertTrue(s, "one weight in each quarter: " + Arrays.deepToString(w2));
        }
        for (double[] w : MultiObjectiveOptimizer.weights(3, 20, new SplittableRandom(2))) {
            assertEquals(1.0, w[0] + w[1] + w[2], 1e-12);
            for (double v : w) {
                assertTrue(v >= 0, Arrays.toString(w));
            }
        }
        List<double[]> values = List.of(new double[] {1, 5}, new double[] {3, 5}, new double[] {Double.NaN, 0});
        double[][] n = MultiObjectiveOptimizer.normalise(values, 3, 2);
        assertArrayEquals(new double[] {0, 0}, n[0]);
        assertArrayEquals(new double[] {1, 0}, n[1]);
        assertEquals(null, n[2]);
    }

    @Test
    void argumentsAreValidated() {
        List<Dimension> space = List.of(Dimension.continuous());
        MultiObjectiveOptimizer o = new MultiObjectiveOptimizer(space, BayesOptions.defaults(1), 1L);
        List<double[]> one = List.of(new double[] {0.5});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.propose(one, one, List.of(), 0))
                .getMessage().contains("q must be >= 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.propose(one, List.of(), List.of(), 1))
                .getMessage().contains("values.size()"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> o.propose(List.of(new double[] {0.5}, new double[] {0.2}),
                        List.of(new double[] {1, 2}, new double[] {1}), List.of(), 1))
                .getMessage().contains("values[1].length must be 2"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> o.propose(List.of(new double[] {1.5}), one, List.of(), 1))
                .getMessage().contains("points values must be in [0, 1], got 1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> o.propose(List.of(), List.of(), List.of(new double[] {0.5, 0.5}), 1))
                .getMessage().contains("pending rows must have length 1, got 2"));
    }
}

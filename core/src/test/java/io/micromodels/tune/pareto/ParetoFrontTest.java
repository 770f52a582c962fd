package io.micromodels.tune.pareto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {

    @Test
    void dominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
        assertTrue(ParetoFront.dominates(new double[] {1, 2}, new double[] {1, 3}));
        assertTrue(ParetoFront.dominates(new double[] {0, 0, 0}, new double[] {1, 1, 1}));
        assertFalse(ParetoFront.dominates(new double[] {1, 3}, new double[] {1, 2}));
        assertFalse(ParetoFront.dominates(new double[] {1, 2}, new double[] {1, 2}), "equal points do not dominate");
        assertFalse(ParetoFront.dominates(new double[] {1, 3}, new double[] {2, 2}), "incomparable");
        assertFalse(ParetoFront.dominates(new double[] {2, 2}, new double[] {1, 3}), "incomparable");
        assertFalse(ParetoFront.dominates(new double[] {Double.NaN, 0}, new double[] {1, 1}));
        assertFalse(ParetoFront.dominates(new double[] {0, 0}, new double[] {Double.NaN, 1}));
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.dominates(new double[] {1}, new double[] {1, 2}));
    }

    @Test
    void handMadeSetKeepsOnlyNonDominatedRowsInInputOrder() {
        // 2 = (0.6, 0.6) is dominated by 1 = (0.5, 0.5); 4 ties with 1 and comes later; 5 is dominated by 0.
        double[][] pts = {{0.0, 1.0}, {0.5, 0.5}, {0.6, 0.6}, {1.0, 0.0}, {0.5, 0.5}, {0.0, 1.5}};
        assertArrayEquals(new int[] {0, 1, 3}, ParetoFront.nonDominated(pts));
    }

    @Test
    void tiesKeepTheFirstByIndex() {
        assertArrayEquals(new int[] {0, 2}, ParetoFront.nonDominated(new double[][] {{1, 1}, {1, 1}, {0, 2}}));
        assertArrayEquals(new int[] {1}, ParetoFront.nonDominated(new double[][] {{2, 2}, {1, 1}, {2, 2}, {1, 1}}),
                "a dominated tie leaves both copies out; of the non-dominated tie only the first stays");
        assertArrayEquals(new int[] {0}, ParetoFront.nonDominated(new double[][] {{0.0, 1}, {-0.0, 1}}), "0.0 == -0.0");
    }

    @Test
    void nonFinitePointsAreExcludedAndRemoveNothing() {
        double[][] pts = {{Double.NaN, 0}, {1, 1}, {0.5, 2}, {Double.NEGATIVE_INFINITY, -5}, {2, Double.NaN}};
        assertArrayEquals(new int[] {1, 2}, ParetoFront.nonDominated(pts));
        assertArrayEquals(new int[0], ParetoFront.nonDominated(new double[0][]));
        assertArrayEquals(new int[0], ParetoFront.nonDominated(new double[][] {{Double.NaN}}));
    }

    @Test
    void rowsOfDifferentLengthsAreRejectedNamingTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParetoFront.nonDominated(new double[][] {{1, 2}, {1, 2}, {3}}));
        assertTrue(e.getMessage().contains("points[2]") && e.getMessage().contains("got 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ParetoFront(0));
    }

    /** Eleven points on x + y = 1 are the front; points pushed off the line towards worse values are not. */
    @Test
    void knownFrontOnALineAmongDominatedPoints() {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            pts.add(new double[] {i / 10.0, 1 - i / 10.0});
        }
        SplittableRandom rnd = new SplittableRandom(15);
        for (int i = 0; i < 60; i++) {
            // a front point moved worse: by a >= 0 in x and b >= 0.001 in y, or the other way round
            double x = rnd.nextInt(11) / 10.0;
            double a = rnd.nextDouble(0.3);
            double b = 0.001 + rnd.nextDouble(0.3);
            pts.add(i % 2 == 0 ? new double[] {x + a, 1 - x + b} : new double[] {x + b, 1 - x + a});
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pts.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(7));
        double[][] shuffled = new double[pts.size()][];
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < shuffled.length; i++) {
            shuffled[i] = pts.get(order.get(i));
            if (order.get(i) <= 10) {
                expected.add(i);
            }
        }
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), ParetoFront.nonDominated(shuffled));
    }

    @Test
    void addSaysWhetherThePointEnteredAndWhatItRemoved() {
        ParetoFront f = new ParetoFront(2);
        assertEquals(new ParetoFront.Added(0, true, new int[0]), f.add(new double[] {2, 2}));
        assertEquals(new ParetoFront.Added(1, true, new int[0]), f.add(new double[] {1, 3}));
        assertEquals(new ParetoFront.Added(2, false, new int[0]), f.add(new double[] {2, 2}), "a tie stays out");
        assertEquals(new ParetoFront.Added(3, false, new int[0]), f.add(new double[] {3, 3}), "dominated");
        assertEquals(new ParetoFront.Added(4, false, new int[0]), f.add(new double[] {Double.NaN, 0}), "failed");
        assertEquals(new ParetoFront.Added(5, true, new int[] {0, 1}), f.add(new double[] {1, 2}));
        assertEquals(new ParetoFront.Added(6, true, new int[0]), f.add(new double[] {0, 5}));
        assertArrayEquals(new int[] {5, 6}, f.indices());
        assertArrayEquals(new double[][] {{1, 2}, {0, 5}}, f.points());
        assertEquals(2, f.size());
        assertThrows(IllegalArgumentException.class, () -> f.add(new double[] {1, 2, 3}));
    }

    /** Adding points one by one ends with the same front as filtering the batch (integer grid, so many ties). */
    @Test
    void incrementalFrontEqualsBatchFilterOnRandomSets() {
        SplittableRandom rnd = new SplittableRandom(20261206);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + rnd.nextInt(4);
            int n = rnd.nextInt(40);
            double[][] pts = new double[n][m];
            for (double[] p : pts) {
                for (int k = 0; k < m; k++) {
                    p[k] = rnd.nextInt(10) == 0 ? Double.NaN : rnd.nextInt(6);
                }
            }
            ParetoFront f = new ParetoFront(m);
            for (double[] p : pts) {
                f.add(p);
            }
            int[] batch = ParetoFront.nonDominated(pts);
            assertArrayEquals(batch, f.indices(), "trial " + trial);
            // definition check: every kept row is finite and undominated; every finite dropped row is dominated or a later tie
            for (int i = 0; i < n; i++) {
                boolean kept = java.util.Arrays.binarySearch(batch, i) >= 0;
                boolean beaten = false;
                for (int j = 0; j < n; j++) {
                    if (ParetoFront.finite(pts[j]) && (ParetoFront.dominates(pts[j], pts[i])
                            || (j < i && java.util.Arrays.equals(pts[j], pts[i])))) {
                        beaten = true;
                    }
                }
                assertEquals(ParetoFront.finite(pts[i]) && !beaten, kept, "trial " + trial + " row " + i);
            }
        }
    }
}

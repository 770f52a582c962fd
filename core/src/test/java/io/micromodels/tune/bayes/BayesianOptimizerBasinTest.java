package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Leaving a finished basin: the stall test and the second process that forgets the basin's trials. */
class BayesianOptimizerBasinTest {

    /** Two wells: a deep narrow one at (0.2, 0.2) (value -1) and a shallow one at (0.75, 0.7) (value -0.8). */
    private static double twoWells(double[] x) {
        double a = x[0];
        double b = x[1];
        return -Math.exp(-((a - 0.2) * (a - 0.2) + (b - 0.2) * (b - 0.2)) / 0.01)
                - 0.8 * Math.exp(-((a - 0.75) * (a - 0.75) + (b - 0.7) * (b - 0.7)) / 0.02);
    }

    private static final double[] SHALLOW = {0.75, 0.7};
    private static final double[] LENGTH_SCALES = {0.1, 0.1};
    private static final boolean[] CONTINUOUS = {false, false};
    /** Radius of the basin's ball with {@link #LENGTH_SCALES}, in the unit square. */
    private static final double RADIUS = BayesianOptimizer.BASIN_RADIUS * Math.sqrt(2) * 0.1;

    private static BayesianOptimizer optimizer() {
        return new BayesianOptimizer(Collections.nCopies(2, Dimension.continuous()));
    }

    /** A 4 x 3 grid that misses the deep well, the shallow minimum itself, then {@code extra} points around it. */
    private static List<double[]> points(int extra, double within) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                points.add(new double[] {0.1 + 0.27 * i, 0.45 + 0.25 * j});
            }
        }
        points.add(SHALLOW.clone());
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < extra; k++) {
            double r = within * Math.sqrt(rng.nextDouble());
            double t = 2 * Math.PI * rng.nextDouble();
            points.add(new double[] {SHALLOW[0] + r * Math.cos(t), SHALLOW[1] + r * Math.sin(t)});
        }
        return points;
    }

    private static List<double[]> awayFrom(List<double[]> points, int q) {
        double[][] x = points.toArray(new double[0][]);
        List<Double> scores = new ArrayList<>();
        for (double[] p : x) {
            scores.add(twoWells(p));
        }
        // Index 12 is the shallow minimum, the best of these trials.
        return optimizer().elsewhere(x, scores, 12, LENGTH_SCALES, CONTINUOUS, List.of(), new ArrayList<>(points), q,
                3L, 40);
    }

    @Test
    void stalledComparesTheBestBeforeAndInsideTheWindow() {
        int w = BayesianOptimizer.STALL_WINDOW;
        double[] y = new double[w + 5];
        y[2] = -1.0;
        assertTrue(BayesianOptimizer.stalled(y), "best before the window, nothing better in it");
        y[y.length - 1] = -1.0 - 2 * BayesianOptimizer.STALL_TOLERANCE;
        assertFalse(BayesianOptimizer.stalled(y), "improved by twice the tolerance in the window");
        y[y.length - 1] = -1.0 - 0.5 * BayesianOptimizer.STALL_TOLERANCE;
        assertTrue(BayesianOptimizer.stalled(y), "improved by half the tolerance");
        y[y.length - w - 1] = -3.0; // last trial before the window
        y[y.length - w] = -5.0; // first trial inside it
        assertFalse(BayesianOptimizer.stalled(y), "the window is the last " + w + " trials");
    }

    @Test
    void proposalsAwayFromABasinLieOutsideItsBallAndAreNew() {
        List<double[]> points = points(20, 0.05);
        List<double[]> batch = awayFrom(points, 3);
        assertNotNull(batch);
        assertEquals(3, batch.size());
        for (int i = 0; i < batch.size(); i++) {
            double[] x = batch.get(i);
            assertTrue(x[0] >= 0 && x[0] <= 1 && x[1] >= 0 && x[1] <= 1, Arrays.toString(x));
            double away = Math.hypot(x[0] - SHALLOW[0], x[1] - SHALLOW[1]);
            assertTrue(away > RADIUS, Arrays.toString(x) + " is " + away + " from the basin, radius " + RADIUS);
            for (double[] p : points) {
                assertFalse(Arrays.equals(x, p), "proposed an existing trial " + Arrays.toString(x));
            }
            for (int k = 0; k < i; k++) {
                assertFalse(Arrays.equals(x, batch.get(k)), "batch points " + k + " and " + i + " coincide");
            }
        }
    }

    @Test
    void theSecondProcessForgetsTheTrialsInsideTheBall() {
        // 20 more trials inside the ball (all within 0.05 < RADIUS of the minimum) change nothing.
        assertTrue(0.05 < RADIUS);
        List<double[]> few = awayFrom(points(5, 0.05), 2);
        List<double[]> many = awayFrom(points(25, 0.05), 2);
        assertNotNull(few);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(few.get(i), many.get(i), 0.0, "point " + i);
        }
        // Trials outside the ball are not forgotten: one more there changes the proposal.
        List<double[]> more = points(5, 0.05);
        more.add(new double[] {0.3, 0.25});
        assertFalse(Arrays.equals(few.get(0), awayFrom(more, 2).get(0)), "a trial outside the ball was ignored");
    }

    @Test
    void noSecondProcessWithTooFewTrialsOutsideTheBall() {
        List<double[]> points = new ArrayList<>();
        points.add(SHALLOW.clone());
        for (int k = 0; k < BayesianOptimizer.ELSEWHERE_MIN - 1; k++) {
            points.add(new double[] {0.1 + 0.2 * k, 0.05});
        }
        points.add(new double[] {SHALLOW[0] + 0.01, SHALLOW[1]});
        double[][] x = points.toArray(new double[0][]);
        List<Double> scores = new ArrayList<>();
        for (double[] p : x) {
            scores.add(twoWells(p));
        }
        assertNull(optimizer().elsewhere(x, scores, 0, LENGTH_SCALES, CONTINUOUS, List.of(), points, 1, 3L, 6));
    }

    @Test
    void aBatchWithARunningTrialIsDistinctValidAndDeterministic() {
        List<Trial> trials = new ArrayList<>();
        for (double[] p : points(30, 0.05)) {
            trials.add(Trial.of(p, twoWells(p)));
        }
        double[] running = {0.3, 0.3};
        trials.add(Trial.running(running));
        List<double[]> batch = optimizer().propose(trials, 3, 7L);
        assertEquals(3, batch.size());
        for (int i = 0; i < batch.size(); i++) {
            double[] x = batch.get(i);
            assertTrue(x[0] >= 0 && x[0] <= 1 && x[1] >= 0 && x[1] <= 1, Arrays.toString(x));
            for (Trial t : trials) {
                assertFalse(Arrays.equals(x, t.point()), "proposed an existing trial " + Arrays.toString(x));
            }
            for (int k = 0; k < i; k++) {
                assertFalse(Arrays.equals(x, batch.get(k)), "batch points " + k + " and " + i + " coincide");
            }
        }
        List<double[]> again = optimizer().propose(trials, 3, 7L);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(batch.get(i), again.get(i), 0.0, "point " + i);
        }
    }
}

package io.micromodels.tune.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HypervolumeTest {

    @Test
    void twoDimensionsByHand() {
        // Staircase (1,3), (2,2), (3,1) under reference (4,4): strips y in [3,4] width 4-1=3, y in [2,3] width 2,
        // y in [1,2] width 1: 3 + 2 + 1 = 6.
        double[][] front = {{1, 3}, {2, 2}, {3, 1}};
        double[] ref = {4, 4};
        assertEquals(6.0, Hypervolume.of(front, ref), 1e-12);
        // A dominated point (2.5, 2.5), a point on the reference boundary (4, 0) and one beyond it (5, 0.5),
        // a failed one: still 6.
        double[][] noisy = {{2.5, 2.5}, {3, 1}, {4, 0}, {1, 3}, {5, 0.5}, {Double.NaN, 0}, {2, 2}, {2, 2}};
        assertEquals(6.0, Hypervolume.of(noisy, ref), 1e-12);
        // One point (0.5, 1.25) under (2, 3): (2 - 0.5) * (3 - 1.25) = 1.5 * 1.75 = 2.625.
        assertEquals(2.625, Hypervolume.of(new double[][] {{0.5, 1.25}}, new double[] {2, 3}), 1e-12);
        // Two overlapping boxes (0, 2) and (1, 0) under (3, 3): 3*1 + 2*3 - 2*1 = 7.
        assertEquals(7.0, Hypervolume.of(new double[][] {{0, 2}, {1, 0}}, new double[] {3, 3}), 1e-12);
        assertEquals(0.0, Hypervolume.of(new double[0][], ref));
        assertEquals(0.0, Hypervolume.of(new double[][] {{4, 4}, {1, 4}}, ref), "not strictly better: nothing");
    }

    @Test
    void threeDimensionsByHand() {
        double[] ref = {4, 4, 4};
        // A = (1,1,3): box 3*3*1 = 9. B = (2,2,1): box 2*2*3 = 12. A and B overlap in [(2,2,3), ref]: 2*2*1 = 4.
        // Union 9 + 12 - 4 = 17.
        double[] a = {1, 1, 3};
        double[] b = {2, 2, 1};
        double[] c = {3, 0, 2};
        assertEquals(17.0, Hypervolume.of(new double[][] {a, b}, ref), 1e-12);
        // C = (3,0,2): box 1*4*2 = 8. A^C = (3,1,3): 1*3*1 = 3. B^C = (3,2,2): 1*2*2 = 4. A^B^C = (3,2,3): 1*2*1 = 2.
        // Union 9 + 12 + 8 - 4 - 3 - 4 + 2 = 20.
        assertEquals(20.0, Hypervolume.of(new double[][] {a, b, c}, ref), 1e-12);
        assertEquals(20.0, Hypervolume.of(new double[][] {c, {3.5, 3.5, 3.5}, b, a, {1, 1, 4}, b}, ref), 1e-12);
        // One point at the origin under (1, 2, 3): 1 * 2 * 3 = 6.
        assertEquals(6.0, Hypervolume.of(new double[][] {{0, 0, 0}}, new double[] {1, 2, 3}), 1e-12);
    }

    @Test
    void oneAndFourDimensionsByHand() {
        // m = 1: the best value's distance to the reference: 5 - 2 = 3.
        assertEquals(3.0, Hypervolume.of(new double[][] {{4}, {2}, {7}}, new double[] {5}), 1e-12);
        // m = 4: A = (0,1,1,1) box 2*1*1*1 = 2, B = (1,0,0,0) box 1*2*2*2 = 8, A^B = (1,1,1,1) box 1: 2 + 8 - 1 = 9.
        double[][] pts = {{0, 1, 1, 1}, {1, 0, 0, 0}};
        assertEquals(9.0, Hypervolume.of(pts, new double[] {2, 2, 2, 2}), 1e-12);
    }

    @Test
    void generalRecursionEqualsTheSweepsOnRandomSets() {
        SplittableRandom rnd = new SplittableRandom(1506);
        for (int trial = 0; trial < 300; trial++) {
            int m = 2 + rnd.nextInt(2);
            int n = 1 + rnd.nextInt(14);
            double[][] pts = new double[n][m];
            for (double[] p : pts) {
                for (int k = 0; k < m; k++) {
                    // half the sets on a coarse grid, for ties and equal coordinates
                    p[k] = trial % 2 == 0 ? rnd.nextDouble(1.1) : rnd.nextInt(5) / 4.0;
                }
            }
            double[] ref = new double[m];
            java.util.Arrays.fill(ref, 1.0);
            double exact = Hypervolume.of(pts, ref);
            assertEquals(exact, Hypervolume.general(pts, ref), 1e-12, "trial " + trial);
        }
    }

    @Test
    void agreesWithMonteCarloWithinFiveStandardErrors() {
        SplittableRandom rnd = new SplittableRandom(424242);
        for (int m = 2; m <= 5; m++) {
            int n = m <= 3 ? 30 : 10;
            double[][] pts = new double[n][m];
            for (double[] p : pts) {
                // points near the simplex sum = 1, so a good share of them are on the front
                double s = 0;
                for (int k = 0; k < m; k++) {
                    p[k] = -Math.log(rnd.nextDouble());
                    s += p[k];
                }
                double scale = 1.0 + 0.2 * rnd.nextDouble();
                for (int k = 0; k < m; k++) {
                    p[k] = p[k] / s * scale;
                }
            }
            double[] ref = new double[m];
            java.util.Arrays.fill(ref, 1.1);
            double exact = Hypervolume.of(pts, ref);
            // Monte Carlo over the box [0, ref]^m, which contains every point's dominated box.
            int samples = 200_000;
            double box = Math.pow(1.1, m);
            int hits = 0;
            double[] x = new double[m];
            for (int s = 0; s < samples; s++) {
                for (int k = 0; k < m; k++) {
                    x[k] = rnd.nextDouble(1.1);
                }
                for (double[] p : pts) {
                    boolean covered = true;
                    for (int k = 0; k < m && covered; k++) {
                        covered = p[k] <= x[k];
                    }
                    if (covered) {
                        hits++;
                        break;
                    }
                }
            }
            double share = hits / (double) samples;
            double estimate = box * share;
            double se = box * Math.sqrt(share * (1 - share) / samples);
            assertTrue(se > 0 && exact > 0, "m=" + m + " non-degenerate: exact " + exact + ", se " + se);
            assertEquals(estimate, exact, 5 * se, "m=" + m + ": exact " + exact + " vs MC " + estimate + " +- " + se);
        }
    }

    @Test
    void dominatedAndDuplicatePointsDoNotChangeTheVolume() {
        SplittableRandom rnd = new SplittableRandom(99);
        double[][] pts = new double[20][3];
        for (double[] p : pts) {
            for (int k = 0; k < 3; k++) {
                p[k] = rnd.nextDouble();
            }
        }
        double[] ref = {1, 1, 1};
        int[] front = ParetoFront.nonDominated(pts);
        double[][] only = new double[front.length][];
        for (int i = 0; i < front.length; i++) {
            only[i] = pts[front[i]];
        }
        assertEquals(Hypervolume.of(pts, ref), Hypervolume.of(only, ref), 1e-12);
    }

    @Test
    void rejectsBadShapesAndReferences() {
        assertThrows(IllegalArgumentException.class, () -> Hypervolume.of(new double[][] {{1, 2}}, new double[] {3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hypervolume.of(new double[][] {{1, 2}}, new double[] {3, Double.NaN}));
        assertTrue(e.getMessage().contains("reference[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Hypervolume.of(new double[0][], new double[0]));
    }
}

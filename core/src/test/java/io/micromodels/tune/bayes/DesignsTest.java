package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DesignsTest {

    private static void assertInCube(double[][] points) {
        for (double[] p : points) {
            for (double v : p) {
                assertTrue(v >= 0.0 && v < 1.0, "in [0,1): " + v);
            }
        }
    }

    /** Asserts that each coordinate has exactly one point in each of {@code strata} equal intervals. */
    private static void assertOnePerStratum(double[][] points, int strata) {
        for (int j = 0; j < points[0].length; j++) {
            int[] counts = new int[strata];
            for (double[] p : points) {
                counts[(int) Math.floor(p[j] * strata)]++;
            }
            for (int k = 0; k < strata; k++) {
                assertEquals(1, counts[k], "coordinate " + j + ", stratum " + k);
            }
        }
    }

    @Test
    void latinHypercubeHasOnePointPerStratumInEveryCoordinate() {
        for (int n : new int[] {1, 5, 12, 37}) {
            double[][] points = Designs.latinHypercube(n, 4, new SplittableRandom(n));
            assertEquals(n, points.length);
            assertInCube(points);
            assertOnePerStratum(points, n);
        }
    }

    @Test
    void scrambledSobolPrefixesOfPowerOfTwoAreStratified() {
        Designs designs = new Designs(7);
        for (long seed = 0; seed < 5; seed++) {
            double[][] points = designs.sobol(0, 64, new SplittableRandom(seed));
            assertInCube(points);
            assertOnePerStratum(Arrays.copyOf(points, 16), 16);
            assertOnePerStratum(points, 64);
        }
    }

    @Test
    void firstTwoSobolCoordinatesFormANet() {
        // A (0, m, 2)-net in base 2: every box [a/2^i, (a+1)/2^i) x [b/2^(m-i), (b+1)/2^(m-i))
        // holds exactly one of the first 2^m points; scrambling must keep that.
        int m = 6;
        double[][] points = new Designs(3).sobol(0, 1 << m, new SplittableRandom(42));
        for (int i = 0; i <= m; i++) {
            int nx = 1 << i;
            int ny = 1 << (m - i);
            int[][] counts = new int[nx][ny];
            for (double[] p : points) {
                counts[(int) (p[0] * nx)][(int) (p[1] * ny)]++;
            }
            for (int[] row : counts) {
                for (int c : row) {
                    assertEquals(1, c, "boxes of 1/" + nx + " x 1/" + ny);
                }
            }
        }
    }

    @Test
    void sobolIsSeededAndPrefixStable() {
        Designs designs = new Designs(4);
        double[][] all = designs.sobol(0, 20, new SplittableRandom(9));
        double[][] part = designs.sobol(7, 5, new SplittableRandom(9));
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(all[7 + i], part[i], 0.0);
        }
        double[][] other = designs.sobol(0, 20, new SplittableRandom(10));
        assertFalse(Arrays.deepEquals(all, other), "another seed scrambles differently");
        double[][] spread = designs.sobol(0, 20, new SplittableRandom(9));
        assertTrue(Arrays.deepEquals(all, spread), "same seed, same points");
    }
}

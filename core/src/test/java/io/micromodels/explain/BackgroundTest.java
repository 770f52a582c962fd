package io.micromodels.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.explain.BackgroundOptions.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackgroundTest {

    @Test
    void randomSampleIsSeededDistinctAndUniform() {
        double[][] train = new double[1000][2];
        for (int i = 0; i < train.length; i++) train[i] = new double[] {i, -i};
        FeatureGroups g = FeatureGroups.indexed(2);
        Background a = Background.sample(train, g, BackgroundOptions.DEFAULTS);
        Background b = Background.sample(train, g, BackgroundOptions.DEFAULTS);
        Background c = Background.sample(train, g, BackgroundOptions.DEFAULTS.withSeed(1));
        assertEquals(100, a.size());
        assertArrayEquals(a.rows(), b.rows());
        assertNotEquals(Arrays.deepToString(a.rows()), Arrays.deepToString(c.rows()));
        Set<Double> seen = new HashSet<>();
        for (double[] r : a.rows()) {
            assertTrue(seen.add(r[0]), "drawn without replacement");
            assertEquals(-r[0], r[1]);
        }
        for (double w : a.weights()) assertEquals(0.01, w, 1e-15);
        assertEquals(5, Background.random(Arrays.copyOf(train, 5), 100, 1).size(), "small splits are kept whole");
    }

    @Test
    void kmeansFindsBlobsAndWeightsByClusterSize() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] centres = {{-10, 0}, {0, 10}, {10, 0}};
        int[] sizes = {500, 300, 200};
        double[][] train = new double[1000][];
        int k = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                train[k++] = new double[] {centres[c][0] + 0.5 * TestModels.gauss(rng), centres[c][1] + 0.5 * TestModels.gauss(rng)};
            }
        }
        Background bg = Background.sample(train, FeatureGroups.indexed(2),
                new BackgroundOptions(3, Method.KMEANS, 50, 11));
        assertEquals(3, bg.size());
        double[][] rows = bg.rows();
        double[] w = bg.weights();
        for (int c = 0; c < 3; c++) {
            int found = -1;
            for (int r = 0; r < 3; r++) {
                if (Math.abs(rows[r][0] - centres[c][0]) < 1 && Math.abs(rows[r][1] - centres[c][1]) < 1) found = r;
            }
            assertTrue(found >= 0, "a centre near " + Arrays.toString(centres[c]) + " in " + Arrays.deepToString(rows));
            assertEquals(sizes[c] / 1000.0, w[found], 1e-12);
        }
        // Snapped to real data values, column by column.
        Set<Double> xs = new HashSet<>();
        for (double[] r : train) xs.add(r[0]);
        for (double[] r : rows) assertTrue(xs.contains(r[0]));
    }

    @Test
    void kmeansKeepsOneHotGroupsValid() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] train = new double[400][4];
        for (double[] r : train) {
            r[0] = TestModels.gauss(rng);
            r[1 + rng.nextInt(3)] = 1;
        }
        FeatureGroups g = FeatureGroups.builder().numeric("x", 0).categorical("c", List.of("a", "b", "c"), 1, 2, 3).build();
        Background bg = Background.kmeans(train, g, 20, 50, 9);
        assertEquals(20, bg.size());
        double sum = 0;
        for (double w : bg.weights()) sum += w;
        assertEquals(1, sum, 1e-12);
        for (double[] r : bg.rows()) assertEquals(1.0, r[1] + r[2] + r[3], "one-hot stays one-hot: " + Arrays.toString(r));
        Background again = Background.kmeans(train, g, 20, 50, 9);
        assertArrayEquals(bg.rows(), again.rows(), "seeded");
    }

    @Test
    void validation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BackgroundOptions(0, Method.RANDOM, 50, 1));
        assertEquals("backgroundSize must be in [1, 10000], got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BackgroundOptions(10, Method.KMEANS, 0, 1));
        assertEquals("kmeansMaxIterations must be in [1, 1000], got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Background(new double[][] {{1}, {2}}, new double[] {1}));
        assertEquals("weights must have one entry per row (2), got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Background(new double[][] {{1}, {2}}, new double[] {1, -1}));
        assertEquals("weights[1] must be finite and >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Background.of(new double[][] {{1, 2}, {3}}));
        assertEquals("rows must be rectangular: row 0 has 2 columns, row 1 has 1", e.getMessage());
        Background b = new Background(new double[][] {{1}, {2}}, new double[] {1, 3});
        assertArrayEquals(new double[] {0.25, 0.75}, b.weights(), 1e-15);
    }
}

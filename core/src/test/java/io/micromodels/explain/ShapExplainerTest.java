package io.micromodels.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.explain.ShapOptions.Algorithm;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShapExplainerTest {

    private static final ShapOptions EXACT = ShapOptions.DEFAULTS.withAlgorithm(Algorithm.EXACT);
    private static final ShapOptions KERNEL = ShapOptions.DEFAULTS.withAlgorithm(Algorithm.KERNEL);

    private static double predictOne(BatchModel f, double[] x) {
        return f.predict(new double[][] {x})[0];
    }

    @Test
    void exactLocalAccuracyToOneMillionth() {
        BatchModel f = TestModels.tanhNet(8, 12, 1);
        double[][] bg = TestModels.gaussianRows(60, 8, 2);
        ShapExplainer shap = Explainer.shap(f, Background.of(bg), FeatureGroups.indexed(8), EXACT);
        for (double[] x : TestModels.gaussianRows(5, 8, 3)) {
            ShapExplanation e = shap.explain(x);
            assertEquals(predictOne(f, x), e.output(), 1e-12, "output is f(x)");
            double sum = e.baseValue();
            for (double v : e.values()) sum += v;
            assertEquals(e.output(), sum, 1e-6);
        }
        double mean = 0;
        double[] out = f.predict(bg);
        for (double o : out) mean += o / out.length;
        assertEquals(mean, shap.baseValue(), 1e-12, "base value is the mean output over the background");
    }

    @Test
    void kernelLocalAccuracyWithinOnePercentAtDefaultBudget() {
        BatchModel f = TestModels.tanhNet(20, 16, 4);
        double[][] bg = TestModels.gaussianRows(50, 20, 5);
        ShapExplainer shap = Explainer.shap(f, Background.of(bg), FeatureGroups.indexed(20));   // AUTO -> Kernel (20 > 12)
        for (double[] x : TestModels.gaussianRows(3, 20, 6)) {
            ShapExplanation e = shap.explain(x);
            double fx = predictOne(f, x);
            double sum = e.baseValue();
            for (double v : e.values()) sum += v;
            assertEquals(fx, sum, 0.01 * Math.abs(fx) + 1e-12, "base + sum(phi) within 1% of f(x)");
        }
    }

    @Test
    void linearModelMatchesClosedFormExactAndKernel() {
        for (int width : new int[] {6, 25}) {
            SplittableRandom rng = new SplittableRandom(width);
            double[] w = new double[width];
            for (int j = 0; j < width; j++) w[j] = rng.nextDouble(-2, 2);
            BatchModel f = TestModels.linear(0.7, w);
            double[][] bg = TestModels.gaussianRows(40, width, 7);
            double[] weights = new double[bg.length];
            for (int b = 0; b < bg.length; b++) weights[b] = 1 + b % 3;   // non-uniform on purpose
            double[] mean = new double[width];
            double wsum = 0;
            for (double v : weights) wsum += v;
            for (int b = 0; b < bg.length; b++) for (int j = 0; j < width; j++) mean[j] += weights[b] / wsum * bg[b][j];
            double[] x = TestModels.gaussianRows(1, width, 8)[0];
            double[] expected = new double[width];
            for (int j = 0; j < width; j++) expected[j] = w[j] * (x[j] - mean[j]);
            Background background = new Background(bg, weights);
            for (ShapOptions o : width <= ShapOptions.EXACT_LIMIT ? List.of(EXACT, KERNEL) : List.of(KERNEL)) {
                ShapExplanation e = Explainer.shap(f, background, FeatureGroups.indexed(width), o).explain(x);
                assertArrayEquals(expected, e.values(), 1e-6, "width " + width + " " + o.algorithm());
            }
        }
    }

    @Test
    void kernelWithinFivePercentOfExactOnTenFeatureTanhNetwork() {
        BatchModel f = TestModels.tanhNet(10, 16, 9);
        Background bg = Background.of(TestModels.gaussianRows(100, 10, 10));
        FeatureGroups g = FeatureGroups.indexed(10);
        ShapExplainer exact = Explainer.shap(f, bg, g, EXACT);
        // Default budget (2*10+2048 >= 2^10-2: every coalition) and a sampled budget of 2*10+300.
        ShapExplainer kernel = Explainer.shap(f, bg, g, KERNEL);
        ShapExplainer sampled = Explainer.shap(f, bg, g, KERNEL.withKernelExtraCoalitions(300));
        for (double[] x : TestModels.gaussianRows(4, 10, 11)) {
            double[] ex = exact.explain(x).values();
            assertTrue(TestModels.relativeL1(kernel.explain(x).values(), ex) < 1e-9, "full enumeration is exact");
            double err = TestModels.relativeL1(sampled.explain(x).values(), ex);
            assertTrue(err < 0.05, "relative L1 " + err);
        }
    }

    @Test
    void kernelWithinFivePercentOfExactWhenSamplingFourteenFeatures() {
        BatchModel f = TestModels.tanhNet(14, 16, 12);
        Background bg = Background.of(TestModels.gaussianRows(20, 14, 13));
        FeatureGroups g = FeatureGroups.indexed(14);
        ShapExplainer exact = Explainer.shap(f, bg, g, EXACT);
        ShapExplainer kernel = Explainer.shap(f, bg, g, KERNEL);      // 2076 of 16382 coalitions
        for (double[] x : TestModels.gaussianRows(2, 14, 14)) {
            double err = TestModels.relativeL1(kernel.explain(x).values(), exact.explain(x).values());
            assertTrue(err < 0.05, "relative L1 " + err);
        }
    }

    @Test
    void exactEqualsShapleyByDefinitionWithWeightedBackground() {
        BatchModel f = TestModels.tanhNet(5, 8, 15);
        double[][] bg = TestModels.gaussianRows(12, 5, 16);
        double[] weights = {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6};
        double[] x = TestModels.gaussianRows(1, 5, 17)[0];
        int[][] singles = {{0}, {1}, {2}, {3}, {4}};
        double[] expected = TestModels.bruteForceShapley(f, x, bg, weights, singles);
        ShapExplanation e = Explainer.shap(f, new Background(bg, weights), FeatureGroups.indexed(5), EXACT).explain(x);
        assertArrayEquals(expected, e.values(), 1e-9);
    }

    @Test
    void oneHotGroupIsOnePlayer() {
        // Columns: 0 age, 1-3 colour one-hot, 4 income, 5-6 city one-hot.
        FeatureGroups g = FeatureGroups.builder()
                .numeric("age", 0)
                .categorical("colour", List.of("red", "green", "blue"), 1, 2, 3)
                .numeric("income", 4)
                .categorical("city", List.of("Oslo", "Rome"), 5, 6)
                .build();
        // Interactions inside and across groups so that grouping matters.
        BatchModel f = rows -> {
            double[] out = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                double[] r = rows[i];
                out[i] = Math.tanh(0.8 * r[0] + 1.5 * r[1] - r[3] + 0.5 * r[4] * r[2] + r[5] * r[0] - 0.7 * r[6]);
            }
            return out;
        };
        SplittableRandom rng = new SplittableRandom(18);
        double[][] bg = new double[30][7];
        for (double[] r : bg) {
            r[0] = TestModels.gauss(rng);
            r[1 + rng.nextInt(3)] = 1;
            r[4] = TestModels.gauss(rng);
            r[5 + rng.nextInt(2)] = 1;
        }
        double[] x = {0.9, 0, 0, 1, -1.2, 0, 1};
        double[] weights = new double[30];
        java.util.Arrays.fill(weights, 1);
        double[] expected = TestModels.bruteForceShapley(f, x, bg, weights,
                new int[][] {{0}, {1, 2, 3}, {4}, {5, 6}});
        Background background = Background.of(bg);
        TestModels.Counting counted = new TestModels.Counting(f);
        ShapExplainer exactExplainer = Explainer.shap(counted, background, g, EXACT);
        counted.rows = 0;
        ShapExplanation exact = exactExplainer.explain(x);
        // A background row equal to x on colour (blue) or city (Rome) needs fewer synthetic rows:
        // 2^k - 2 for the k groups on which it differs (age and income always differ), plus x itself.
        long expectedRows = 1;
        for (double[] r : bg) {
            int k = 2 + (r[3] == 1 ? 0 : 1) + (r[6] == 1 ? 0 : 1);
            expectedRows += (1L << k) - 2;
        }
        assertEquals(expectedRows, counted.rows);
        assertTrue(expectedRows < 14 * 30 + 1, "fewer than all coalitions x background rows");
        ShapExplanation kernel = Explainer.shap(f, background, g, KERNEL).explain(x);
        assertEquals(List.of("age", "colour", "income", "city"), exact.featureNames());
        assertArrayEquals(expected, exact.values(), 1e-9);
        assertArrayEquals(expected, kernel.values(), 1e-9);   // 4 players: every coalition enumerated
        assertEquals("blue", exact.featureValueLabels().get(1));
        assertEquals("Rome", exact.featureValueLabels().get(3));
        assertEquals(2.0, exact.featureValues()[1]);
        // Treating colour's columns as separate players gives different numbers: grouping is real.
        double[] ungrouped = TestModels.bruteForceShapley(f, x, bg, weights,
                new int[][] {{0}, {1}, {2}, {3}, {4}, {5}, {6}});
        assertTrue(Math.abs(ungrouped[1] + ungrouped[2] + ungrouped[3] - expected[1]) > 1e-4);
    }

    @Test
    void exactShapOfOneRowUsesFewBatchedCalls() {
        TestModels.Counting f = new TestModels.Counting(TestModels.tanhNet(10, 8, 19));
        Background bg = Background.of(TestModels.gaussianRows(100, 10, 20));
        ShapExplainer shap = Explainer.shap(f, bg, FeatureGroups.indexed(10));
        assertEquals(1, f.calls.get(), "base value: one call over the background");
        f.calls.set(0);
        f.rows = 0;
        shap.explain(TestModels.gaussianRows(1, 10, 21)[0]);
        // (2^10 - 2) coalitions x 100 background rows + the row itself = 102,201 rows.
        assertEquals(102_201, f.rows);
        assertEquals(2, f.calls.get(), "ceil(102201 / 65536) calls");
        assertTrue(f.largest <= 65_536);

        TestModels.Counting g = new TestModels.Counting(TestModels.tanhNet(10, 8, 19));
        ShapExplainer small = Explainer.shap(g, bg, FeatureGroups.indexed(10), ShapOptions.DEFAULTS.withMaxRowsPerCall(10_000));
        g.calls.set(0);
        small.explain(TestModels.gaussianRows(1, 10, 21)[0]);
        assertEquals(11, g.calls.get());
        assertTrue(g.largest <= 10_000);
    }

    @Test
    void kernelShapOfOneRowIsBatchedToo() {
        TestModels.Counting f = new TestModels.Counting(TestModels.tanhNet(30, 8, 22));
        Background bg = Background.of(TestModels.gaussianRows(100, 30, 23));
        ShapExplainer shap = Explainer.shap(f, bg, FeatureGroups.indexed(30));
        f.calls.set(0);
        f.rows = 0;
        shap.explain(TestModels.gaussianRows(1, 30, 24)[0]);
        long budget = 2 * 30 + 2048;
        assertTrue(f.rows <= budget * 100 + 1, "rows " + f.rows);
        assertTrue(f.rows >= 0.95 * budget * 100, "rows " + f.rows);
        assertEquals((f.rows + 65_535) / 65_536, f.calls.get());
    }

    @Test
    void featureEqualEverywhereGetsZero() {
        double[][] bg = TestModels.gaussianRows(20, 4, 25);
        for (double[] r : bg) r[2] = 3.0;
        double[] x = {0.1, 0.2, 3.0, -0.4};
        ShapExplanation e = Explainer.shap(TestModels.tanhNet(4, 6, 26), Background.of(bg)).explain(x);
        assertEquals(0.0, e.values()[2]);
        assertEquals(e.output(), e.reconstructedOutput(), 1e-9);
    }

    @Test
    void manyRowsEqualOneByOneAndKernelIsSeeded() {
        BatchModel f = TestModels.tanhNet(16, 8, 27);
        Background bg = Background.of(TestModels.gaussianRows(30, 16, 28));
        ShapExplainer shap = Explainer.shap(f, bg, FeatureGroups.indexed(16));
        double[][] rows = TestModels.gaussianRows(3, 16, 29);
        ShapExplanations all = shap.explain(rows);
        for (int i = 0; i < rows.length; i++) assertArrayEquals(shap.explain(rows[i]).values(), all.get(i).values(), 0);
        ShapExplainer other = Explainer.shap(f, bg, FeatureGroups.indexed(16), ShapOptions.DEFAULTS.withSeed(7));
        assertNotEquals(shap.explain(rows[0]).values()[0], other.explain(rows[0]).values()[0]);
        assertEquals(16, all.meanAbs().length);
    }

    @Test
    void validatesShapesAndOptions() {
        Background bg = Background.of(TestModels.gaussianRows(5, 3, 30));
        ShapExplainer shap = Explainer.shap(TestModels.linear(0, new double[] {1, 1, 1}), bg);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shap.explain(new double[4]));
        assertEquals("row must have 3 columns, got 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Explainer.shap(TestModels.linear(0, new double[] {1, 1}), bg, FeatureGroups.indexed(2)));
        assertEquals("feature groups cover 2 columns but background rows have 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapOptions.DEFAULTS.withExactMaxFeatures(21));
        assertEquals("exactMaxFeatures must be in [1, 20], got 21", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapOptions.DEFAULTS.withMaxRowsPerCall(0));
        assertEquals("maxRowsPerCall must be in [1, 16777216], got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapOptions.DEFAULTS.withAlgorithm(null));
        assertEquals("algorithm must not be null", e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> Explainer.shap(
                rows -> new double[1], bg).explain(new double[3]));
        assertTrue(s.getMessage().startsWith("model returned 1 outputs for "), s.getMessage());
    }

    @Test
    void reusedAndConcurrentBuffersGiveIdenticalResults() throws Exception {
        int width = 14;                       // Kernel SHAP
        BatchModel net = TestModels.tanhNet(width, 8, 3);
        SplittableRandom rng = new SplittableRandom(9);
        double[][] train = new double[200][width];
        for (double[] r : train) for (int j = 0; j < width; j++) r[j] = rng.nextDouble() * 2 - 1;
        ShapExplainer shap = Explainer.shap(net, Background.random(train, 30, 1), FeatureGroups.indexed(width),
                ShapOptions.DEFAULTS.withMaxRowsPerCall(5000));
        ShapExplanation first = shap.explain(train[7]);
        shap.explain(train[8]);                                   // the spare buffer now holds row 8's rows
        assertArrayEquals(first.values(), shap.explain(train[7]).values(), 0.0);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<double[]>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 6; t++) runs.add(pool.submit(() -> shap.explain(train[7]).values()));
            for (var f : runs) assertArrayEquals(first.values(), f.get(), 0.0);
        } finally {
            pool.shutdownNow();
        }
    }
}

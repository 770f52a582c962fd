package io.micromodels.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PermutationExplainerTest {

    /** Six features; only x1 and x4 drive the target; the model also leans very slightly on the rest. */
    private static final double[] W = {0.05, 2.0, -0.05, 0.03, -1.6, 0.04};

    private static double[][] data(int n, long seed) {
        return TestModels.gaussianRows(n, W.length, seed);
    }

    private static BatchModel probability() {
        BatchModel lin = TestModels.linear(0, W);
        return rows -> {
            double[] z = lin.predict(rows);
            for (int i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
            return z;
        };
    }

    @Test
    void onlyTheTwoRelevantFeaturesRankFirstUnderEveryMetricAndShap() {
        double[][] x = data(600, 1);
        SplittableRandom rng = new SplittableRandom(2);
        BatchModel p = probability();
        double[] prob = p.predict(x);
        double[] labels = new double[x.length];
        double[] target = new double[x.length];
        BatchModel reg = TestModels.linear(0, W);
        double[] mean = reg.predict(x);
        for (int i = 0; i < x.length; i++) {
            labels[i] = rng.nextDouble() < 1 / (1 + Math.exp(-(2.0 * x[i][1] - 1.6 * x[i][4]))) ? 1 : 0;
            target[i] = 2.0 * x[i][1] - 1.6 * x[i][4] + 0.3 * TestModels.gauss(rng);
        }
        assertTrue(prob.length == x.length && mean.length == x.length);
        FeatureGroups g = FeatureGroups.indexed(W.length);
        Set<String> top = Set.of("x1", "x4");
        for (Metric metric : List.of(Metric.auc(), Metric.accuracy(), Metric.logLoss())) {
            PermutationImportance pi = Explainer.permutation(p, g, metric).importance(x, labels);
            assertEquals(top, Set.copyOf(pi.ranking().subList(0, 2)), metric.name() + ": " + pi.ranking());
            assertTrue(pi.mean("x1") > 0 && pi.mean("x4") > 0, metric.name() + " importance is positive");
        }
        PermutationImportance pr = Explainer.permutation(reg, g, Metric.rmse()).importance(x, target);
        assertEquals(top, Set.copyOf(pr.ranking().subList(0, 2)), "RMSE (lower is better): " + pr.ranking());
        assertTrue(pr.mean("x1") > 1, "permuting x1 raises RMSE a lot, got " + pr.mean("x1"));

        ShapExplanations shap = Explainer.shap(p, Background.sample(x, g, BackgroundOptions.DEFAULTS), g)
                .explain(java.util.Arrays.copyOf(x, 60));
        double[] meanAbs = shap.meanAbs();
        int[] order = java.util.stream.IntStream.range(0, W.length).boxed()
                .sorted((a, b) -> Double.compare(meanAbs[b], meanAbs[a])).mapToInt(Integer::intValue).toArray();
        assertEquals(Set.of(1, 4), Set.of(order[0], order[1]), java.util.Arrays.toString(meanAbs));
    }

    @Test
    void oneHotGroupIsPermutedTogetherAndReportedOnce() {
        // Columns 0 (numeric) and 1..3 (one-hot colour); the model refuses rows whose one-hot is broken,
        // and the data make column 4 a copy of column 0 times 2, which must survive only if 0 and 4
        // are one group permuted together.
        FeatureGroups g = FeatureGroups.builder()
                .group("x", 0, 4)
                .categorical("colour", List.of("r", "g", "b"), 1, 2, 3)
                .build();
        SplittableRandom rng = new SplittableRandom(3);
        double[][] x = new double[200][5];
        double[] y = new double[200];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = TestModels.gauss(rng);
            x[i][4] = 2 * x[i][0];
            int c = rng.nextInt(3);
            x[i][1 + c] = 1;
            y[i] = x[i][0] + c;
        }
        BatchModel model = rows -> {
            double[] out = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                double[] r = rows[i];
                if (r[1] + r[2] + r[3] != 1) throw new AssertionError("one-hot split: " + java.util.Arrays.toString(r));
                if (r[4] != 2 * r[0]) throw new AssertionError("group split: " + java.util.Arrays.toString(r));
                out[i] = r[0] + r[2] + 2 * r[3];
            }
            return out;
        };
        PermutationImportance pi = Explainer.permutation(model, g, Metric.rmse(),
                PermutationOptions.DEFAULTS.withRepeats(4)).importance(x, y);
        assertEquals(List.of("x", "colour"), pi.featureNames());
        assertEquals(0.0, pi.baselineScore(), 1e-12);
        assertEquals(4, pi.losses()[0].length);
        assertTrue(pi.mean("colour") > 0.5 && pi.mean("x") > 0.5, java.util.Arrays.toString(pi.mean()));
        double[] l = pi.losses()[1];
        double m = (l[0] + l[1] + l[2] + l[3]) / 4;
        double ss = 0;
        for (double v : l) ss += (v - m) * (v - m);
        assertEquals(Math.sqrt(ss / 3), pi.std()[1], 1e-12, "sample standard deviation");
    }

    @Test
    void seededAndBatched() {
        double[][] x = data(100, 4);
        double[] y = TestModels.linear(0, W).predict(x);
        TestModels.Counting model = new TestModels.Counting(TestModels.linear(0.1, W));
        FeatureGroups g = FeatureGroups.indexed(W.length);
        PermutationOptions o = new PermutationOptions(10, 65_536, 99);
        PermutationImportance a = Explainer.permutation(model, g, Metric.rmse(), o).importance(x, y);
        assertEquals(1 + W.length, model.calls.get(), "one baseline call + one call per feature for all 10 repeats");
        PermutationImportance b = Explainer.permutation(model, g, Metric.rmse(), o).importance(x, y);
        assertArrayEquals(a.losses(), b.losses());
        PermutationImportance c = Explainer.permutation(model, g, Metric.rmse(), o.withSeed(100)).importance(x, y);
        assertTrue(a.mean()[1] != c.mean()[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.withRepeats(0));
        assertEquals("repeats must be in [1, 1000], got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Explainer.permutation(model, g, Metric.rmse()).importance(x, new double[3]));
        assertEquals("y must have one entry per row of x (100), got 3", e.getMessage());
    }
}

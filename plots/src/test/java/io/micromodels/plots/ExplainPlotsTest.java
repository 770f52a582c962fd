package io.micromodels.plots;

import io.micromodels.explain.TestModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.explain.Background;
import io.micromodels.explain.BackgroundOptions;
import io.micromodels.explain.BatchModel;
import io.micromodels.explain.Explainer;
import io.micromodels.explain.FeatureGroups;
import io.micromodels.explain.Metric;
import io.micromodels.explain.PermutationImportance;
import io.micromodels.explain.PermutationOptions;
import io.micromodels.explain.ShapExplainer;
import io.micromodels.explain.ShapExplanation;
import io.micromodels.explain.ShapExplanations;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Draws every plot of a small synthetic credit model into target/explain-plots/ and checks the images. */
class ExplainPlotsTest {

    static final Path DIR = Path.of("target", "explain-plots");
    static final FeatureGroups GROUPS = FeatureGroups.builder()
            .numeric("age", 0)
            .numeric("income", 1)
            .numeric("debt_ratio", 2)
            .categorical("employment", List.of("salaried", "self-employed", "unemployed"), 3, 4, 5)
            .numeric("n_accounts", 6)
            .numeric("late_payments", 7)
            .numeric("noise_a", 8)
            .numeric("noise_b", 9)
            .build();
    static double[][] x;
    static double[] y;
    static BatchModel model;

    @BeforeAll
    static void data() {
        SplittableRandom rng = new SplittableRandom(2024);
        int n = 800;
        x = new double[n][10];
        for (double[] r : x) {
            r[0] = TestModels.gauss(rng);
            r[1] = TestModels.gauss(rng);
            r[2] = TestModels.gauss(rng);
            r[3 + (rng.nextDouble() < 0.6 ? 0 : rng.nextDouble() < 0.7 ? 1 : 2)] = 1;
            r[6] = TestModels.gauss(rng);
            r[7] = Math.floor(Math.abs(TestModels.gauss(rng)) * 1.5);
            r[8] = TestModels.gauss(rng);
            r[9] = TestModels.gauss(rng);
        }
        model = rows -> {
            double[] out = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                double[] r = rows[i];
                double z = -0.8 - 0.4 * r[0] - 0.9 * r[1] + 1.3 * r[2] + 0.6 * r[4] + 1.8 * r[5]
                        + 0.2 * r[6] + 0.7 * r[7] + 0.4 * Math.tanh(r[1] * r[2]) + 0.02 * r[8];
                out[i] = 1 / (1 + Math.exp(-z));
            }
            return out;
        };
        double[] p = model.predict(x);
        y = new double[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextDouble() < p[i] ? 1 : 0;
    }

    private static BufferedImage read(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        assertTrue(img != null, "readable PNG " + p);
        return img;
    }

    /** Pixels close to {@code c}. */
    private static int count(BufferedImage img, Color c) {
        int n = 0;
        for (int yy = 0; yy < img.getHeight(); yy++) {
            for (int xx = 0; xx < img.getWidth(); xx++) {
                Color p = new Color(img.getRGB(xx, yy));
                if (Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
                        + Math.abs(p.getBlue() - c.getBlue()) < 30) n++;
            }
        }
        return n;
    }

    @Test
    void permutationImportanceBars() throws IOException {
        PermutationImportance pi = Explainer.permutation(model, GROUPS, Metric.auc(),
                PermutationOptions.DEFAULTS.withRepeats(10)).importance(x, y);
        BufferedImage img = read(ExplainPlots.permutationImportance(pi, DIR.resolve("permutation_importance.png")));
        assertEquals(1000, img.getWidth());
        assertTrue(count(img, ExplainPlots.BLUE) > 1000, "blue bars drawn");
    }

    @Test
    void shapPlots() throws IOException {
        Background bg = Background.sample(x, GROUPS, BackgroundOptions.DEFAULTS.withMethod(BackgroundOptions.Method.KMEANS));
        ShapExplainer shap = Explainer.shap(model, bg, GROUPS);
        ShapExplanations many = shap.explain(java.util.Arrays.copyOf(x, 300));
        BufferedImage bars = read(ExplainPlots.meanAbsShap(many, DIR.resolve("shap_mean_abs.png")));
        assertTrue(count(bars, ExplainPlots.BLUE) > 1000);
        BufferedImage swarm = read(ExplainPlots.summary(many, DIR.resolve("shap_summary.png")));
        assertTrue(count(swarm, ExplainPlots.RED) > 200, "high feature values drawn red");
        assertTrue(count(swarm, ExplainPlots.BLUE) > 200, "low feature values drawn blue");
        ShapExplanation one = many.get(3);
        BufferedImage wf = read(ExplainPlots.waterfall(one, DIR.resolve("shap_waterfall.png")));
        boolean pos = false;
        boolean neg = false;
        for (double v : one.values()) { pos |= v > 0.01; neg |= v < -0.01; }
        if (pos) assertTrue(count(wf, ExplainPlots.RED) > 300, "positive contributions red");
        if (neg) assertTrue(count(wf, ExplainPlots.BLUE) > 300, "negative contributions blue");
        read(ExplainPlots.waterfall(one, DIR.resolve("shap_waterfall_top4.png"), PlotOptions.DEFAULTS.withMaxFeatures(4)));
    }

    @Test
    void manyFeaturesLongNamesAndRegressionScale() throws IOException {
        int width = 30;
        List<String> names = new java.util.ArrayList<>();
        for (int j = 0; j < width; j++) {
            names.add(j % 7 == 0 ? "a_rather_long_feature_name_number_" + j : "f" + j);
        }
        FeatureGroups g = FeatureGroups.singletons(names);
        double[][] rows = TestModels.gaussianRows(400, width, 5);
        BatchModel net = TestModels.tanhNet(width, 12, 6);
        BatchModel regression = r -> {
            double[] o = net.predict(r);
            for (int i = 0; i < o.length; i++) o[i] = 150 + 40 * o[i];
            return o;
        };
        ShapExplainer shap = Explainer.shap(regression, Background.random(rows, 20, 1), g);
        ShapExplanations many = shap.explain(java.util.Arrays.copyOf(rows, 30));
        BufferedImage swarm = read(ExplainPlots.summary(many, DIR.resolve("stress_summary.png")));
        assertEquals(PlotOptions.DEFAULTS.height(12, 170), swarm.getHeight(), "12 of 30 feature rows");
        read(ExplainPlots.waterfall(many.get(0), DIR.resolve("stress_waterfall.png")));
        double[] target = regression.predict(rows);
        PermutationImportance pi = Explainer.permutation(regression, g, Metric.rmse(),
                PermutationOptions.DEFAULTS.withRepeats(3)).importance(rows, target);
        read(ExplainPlots.permutationImportance(pi, DIR.resolve("stress_permutation.png"),
                PlotOptions.DEFAULTS.withMaxFeatures(30)));
    }
}

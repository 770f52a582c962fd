package io.micromodels.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.explain.Background;
import io.micromodels.explain.BackgroundOptions;
import io.micromodels.explain.BatchModel;
import io.micromodels.explain.Explainer;
import io.micromodels.explain.FeatureGroups;
import io.micromodels.explain.Metric;
import io.micromodels.explain.PermutationImportance;
import io.micromodels.explain.ShapExplainer;
import io.micromodels.explain.ShapExplanation;
import io.micromodels.explain.ShapExplanations;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The example of {@link Explainer} (core), with its plots from this module,'s Javadoc, run as written (plots go to target/explain-example/). */
class ExplainerExampleTest {

    @Test
    void javadocExampleRuns() throws Exception {
        // --- as in the Javadoc of Explainer ---
        BatchModel model = rows -> {
            double[] out = new double[rows.length];
            for (int i = 0; i < rows.length; i++) out[i] = 1 / (1 + Math.exp(-(2 * rows[i][0] - rows[i][1])));
            return out;
        };
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        double[][] train = new double[500][3];
        double[] labels = new double[500];
        for (int i = 0; i < 500; i++) {
            for (int j = 0; j < 3; j++) train[i][j] = rng.nextDouble() * 2 - 1;
            labels[i] = rng.nextDouble() < model.predict(new double[][] {train[i]})[0] ? 1 : 0;
        }
        FeatureGroups features = FeatureGroups.singletons(java.util.List.of("dose", "age", "noise"));

        Background background = Background.sample(train, features, BackgroundOptions.DEFAULTS);
        ShapExplainer shap = Explainer.shap(model, background, features);
        ShapExplanation one = shap.explain(train[0]);
        ShapExplanations many = shap.explain(train);

        PermutationImportance pi = Explainer.permutation(model, features, Metric.auc()).importance(train, labels);

        java.nio.file.Path dir = java.nio.file.Path.of("target", "explain-example");
        ExplainPlots.waterfall(one, dir.resolve("waterfall.png"));
        ExplainPlots.summary(many, dir.resolve("summary.png"));
        ExplainPlots.permutationImportance(pi, dir.resolve("importance.png"));
        // --- end of example ---

        assertEquals(one.output(), one.reconstructedOutput(), 1e-9);
        assertEquals(0.0, many.meanAbs()[2], 1e-12, "noise is ignored by the model");
        assertEquals("dose", pi.ranking().get(0));
        assertTrue(Files.size(dir.resolve("summary.png")) > 1000);
    }
}

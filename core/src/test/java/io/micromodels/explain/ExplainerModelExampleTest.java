package io.micromodels.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.train.TrainedModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The trained-model examples of the Javadoc of {@link Explainer} and {@link ModelExplainer}, run as written. */
class ExplainerModelExampleTest {

    @Test
    void javadocExamplesRun() {
        // --- as in the Javadoc of Explainer ---
        PreparedData data = Datasets.load("german_credit").prepare(42);
        try (TrainedModel model = TrainedModel.train(data, TrainedModel.defaultSpec(data), "german_credit")) {
            // background: 100 seeded random rows of the training split
            ShapExplainer shap = Explainer.shap(model, data.train().getFeatures());
            double[] row = data.test().getFeatures().getRow(0).castTo(DataType.DOUBLE).toDoubleVector();  // [width]
            ShapExplanation e = shap.explain(row);      // e.value("checking_status"), e.baseValue(), e.output()
            // permutation importance on held-out rows, AUC for binary, 5 seeded repeats (mean and std)
            PermutationImportance pi = Explainer.permutationImportance(model, data.test());
            // --- end of example ---
            assertEquals(e.output(), e.reconstructedOutput(), 1e-6);
            assertEquals(model.predict(data.test().getFeatures())[0][data.task().positiveClass()], e.output(), 1e-5);
            assertTrue(e.value("checking_status") != 0);
            assertEquals(5, pi.losses()[0].length);

            // --- as in the Javadoc of ModelExplainer ---
            ModelExplainer m = Explainer.model(model);                        // explains P(class = bad)
            ShapExplainer shap2 = m.shap(m.background(data.train().getFeatures(), BackgroundOptions.DEFAULTS));
            double[][] test = ModelExplainer.rows(data.test().getFeatures());  // [n][width]
            ShapExplanation e2 = shap2.explain(test[0]);                       // per original column
            PermutationImportance pi2 = m.permutationImportance(data.test(), PermutationOptions.DEFAULTS);
            // --- end of example ---
            assertEquals("P(class = bad)", m.outputName());
            assertEquals(e.output(), e2.output(), 1e-6);     // float32 vs double features of the same row
            assertEquals(pi.baselineScore(), pi2.baselineScore(), 1e-12);
        }
    }
}

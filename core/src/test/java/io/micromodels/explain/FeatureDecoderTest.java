package io.micromodels.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureDecoderTest {

    @Test
    void scaledDecoderShowsRawUnits() {
        FeatureGroups g = FeatureGroups.builder()
                .decoded("age", FeatureDecoder.scaled(0, 40, 12), 0)
                .categorical("colour", List.of("red", "green"), 1, 2)
                .build();
        double[] row = {0.5, 0, 1};
        assertEquals(46.0, g.featureValue(0, row), 1e-12);
        assertEquals("46", g.displayValue(0, row));
        assertEquals("green", g.displayValue(1, row));
        assertEquals(1.0, g.featureValue(1, row));     // no decoder: the level index
        assertTrue(g.decoder(0) != null && g.decoder(1) == null);
        assertThrows(IllegalArgumentException.class, () -> FeatureDecoder.scaled(0, 0, 0));
    }

    @Test
    void explanationsCarryTheDecodedLabels() {
        FeatureGroups g = FeatureGroups.builder()
                .decoded("age", FeatureDecoder.scaled(0, 40, 12), 0)
                .numeric("z", 1)
                .build();
        ShapExplainer shap = Explainer.shap(TestModels.linear(0, new double[] {1, 1}),
                Background.of(new double[][] {{0, 0}, {1, 1}}), g);
        ShapExplanation e = shap.explain(new double[] {-1, 2});
        assertEquals(List.of("28", "2"), e.featureValueLabels());
        assertEquals(28.0, e.featureValues()[0], 1e-12);
    }
}

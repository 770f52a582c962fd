package io.micromodels.frozen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A two-class model's calibration and threshold in the frozen form, and their JSON. */
class BinaryDecisionTest {

    private static FrozenMicromodel softmaxBinary(BinaryDecision d) {
        // logits = (a, b): p(pos) = sigmoid(b - a)
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0}, Activation.SOFTMAX));
        return FrozenMicromodel.of(IdentityPipeline.of("a", "b"), net, FrozenMetadata.multiclass("t", List.of("neg", "pos")), d);
    }

    @Test
    void thresholdDecidesTheLabelAndCalibrationMapsTheProbability() {
        FrozenMicromodel plain = FrozenMicromodelTest.sigmoidBinary();
        FrozenMicromodel low = FrozenMicromodel.of(plain.pipeline(), plain.network(), plain.metadata(), BinaryDecision.threshold(1, 0.2));
        Prediction p = low.predict(new String[] {"0", "1"});            // sigmoid(-1) = 0.2689
        assertEquals(1 / (1 + Math.E), p.probability("yes"), 1e-15);
        assertEquals("yes", p.label(), "0.269 >= threshold 0.2");
        assertEquals("no", plain.predict(new String[] {"0", "1"}).label());

        // Platt: slope 2, intercept 0.5 -> sigmoid(2 * logit(p) + 0.5); logit(sigmoid(-1)) = -1, so sigmoid(-1.5)
        BinaryDecision d = BinaryDecision.platt(1, 0.5, 2.0, 0.5);
        FrozenMicromodel cal = softmaxBinary(d);
        Prediction q = cal.predict(new String[] {"1", "0"});
        assertEquals(1 / (1 + Math.exp(1.5)), q.probability("pos"), 1e-12);
        assertEquals(1 - 1 / (1 + Math.exp(1.5)), q.probability("neg"), 1e-12);
        assertEquals("neg", q.label());
        double[] out = new double[4];
        cal.predictFeaturesBatch(new double[] {1, 0, 0, 1}, 2, out);
        assertEquals(q.probability("pos"), out[1], 1e-15);
        assertEquals(1 / (1 + Math.exp(-2.5)), out[3], 1e-12);
        assertEquals(1, cal.labelIndex(out, 2));
    }

    @Test
    void decisionRoundTripsThroughJsonAndAnAbsentKeyMeansTheStandardRule() throws Exception {
        FrozenMicromodel cal = softmaxBinary(BinaryDecision.platt(1, 0.37, 1.25, -0.75));
        String json = cal.toJson();
        assertTrue(json.contains("\"decision\""), json);
        FrozenMicromodel back = FrozenMicromodel.fromJson(json);
        assertEquals(cal, back);
        assertEquals(0.37, back.decision().orElseThrow().threshold());

        FrozenMicromodel plain = softmaxBinary(null);
        String old = plain.toJson();
        assertTrue(!old.contains("decision"), "the standard rule writes no decision key");
        assertTrue(FrozenMicromodel.fromJson(old).decision().isEmpty());
        assertEquals(plain, softmaxBinary(BinaryDecision.standard(1)), "the standard decision is no decision");

        String bad = json.replace("0.37", "1.5");
        FrozenFormatException e = assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.fromJson(bad));
        assertTrue(e.getMessage().contains("threshold must be in (0, 1), got 1.5"), e.getMessage());
        String unknown = json.replace("\"slope\"", "\"slop\"");
        e = assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.fromJson(unknown));
        assertTrue(e.getMessage().contains("slop"), e.getMessage());
    }

    @Test
    void invalidDecisionsAreRefusedNamingTheField() {
        assertThrows(IllegalArgumentException.class, () -> new BinaryDecision(2, 0.5, "none", 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BinaryDecision.threshold(1, 0.0));
        assertTrue(e.getMessage().contains("threshold must be in (0, 1), got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BinaryDecision(1, 0.5, "isotonic", 1, 0));
        assertTrue(e.getMessage().contains("calibration must be one of [none, platt]"), e.getMessage());
        FrozenNetwork net3 = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new double[3], Activation.SOFTMAX));
        e = assertThrows(IllegalArgumentException.class, () -> FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c"), net3,
                FrozenMetadata.multiclass("s", List.of("x", "y", "z")), BinaryDecision.threshold(1, 0.3)));
        assertTrue(e.getMessage().contains("exactly 2 class labels"), e.getMessage());
    }
}

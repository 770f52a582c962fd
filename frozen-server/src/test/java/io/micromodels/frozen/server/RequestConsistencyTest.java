package io.micromodels.frozen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micromodels.frozen.Activation;
import io.micromodels.frozen.FrozenLayer;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.FrozenNetwork;
import io.micromodels.frozen.plan.CategoricalStep;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.frozen.plan.NumericStep;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /predict} and {@code /health} as the command line's {@code predict} treats the same rows: extra keys ignored
 * and named, unseen categories named per row, numbers beyond the float range and non-JSON numbers refused naming the
 * field, and a two-class model reported as BINARY whatever its output layer.
 */
class RequestConsistencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Columns age (numeric, shift 40 scale 10) and colour (red, blue); a 2-unit softmax over [no, yes]. */
    private static FrozenMicromodel twoClassSoftmax() {
        CompiledPipeline pipeline = new CompiledPipeline(List.of("age", "colour"), 3,
                List.of(new NumericStep("age", 40, false, 40, 10), new CategoricalStep("colour", List.of("red", "blue"), "red", false)),
                new double[0]);
        // logits: no = 0; yes = z_age + 2 * red - blue
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{0, 1}, {0, 2}, {0, -1}}, new double[2],
                Activation.SOFTMAX));
        return FrozenMicromodel.of(pipeline, net, FrozenMetadata.multiclass("y", List.of("no", "yes")));
    }

    private static final PredictEndpoint ENDPOINT = new PredictEndpoint(twoClassSoftmax());

    private static JsonNode reply(String body, int status) throws Exception {
        PredictEndpoint.Reply r = ENDPOINT.predict(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(status, r.status(), r.text());
        return JSON.readTree(r.body());
    }

    @Test
    void healthReportsBinaryForATwoClassSoftmaxModel() throws Exception {
        JsonNode h = JSON.readTree(ENDPOINT.health());
        assertEquals("BINARY", h.get("task").asText(), h.toString());
        assertEquals(List.of("no", "yes"), List.of(h.get("classLabels").get(0).asText(), h.get("classLabels").get(1).asText()));
    }

    @Test
    void extraKeysAreIgnoredAndNamedAndUnseenCategoriesAreFlaggedPerRow() throws Exception {
        // age 50 -> z = 1; blue -> logit yes = 1 - 1 = 0, so p(yes) = 1/2
        JsonNode one = reply("{\"id\": \"c-17\", \"age\": 50, \"colour\": \"blue\", \"note\": {\"deep\": [1, 2]}}", 200);
        assertEquals(0.5, one.get("probabilities").get("yes").asDouble(), 1e-12);
        JsonNode w = one.get("warnings");
        assertEquals(2, w.size(), one.toString());
        assertEquals("id", w.get(0).get("field").asText());
        assertTrue(w.get(0).get("warning").asText().contains("not a model column; ignored"), w.toString());
        assertEquals("note", w.get(1).get("field").asText());

        // row 1 has an unseen colour: all zeros, so logit yes = z_age = 1 and p(yes) = 1 / (1 + e^-1)
        JsonNode many = reply("[{\"age\": 50, \"colour\": \"red\"}, {\"age\": 50, \"colour\": \"green\"}]", 200);
        assertFalse(many.get(0).has("warnings"), "a clean row carries no warnings: " + many);
        JsonNode unseen = many.get(1).get("warnings");
        assertEquals(1, unseen.size(), many.toString());
        assertEquals("colour", unseen.get(0).get("field").asText());
        assertEquals("green", unseen.get(0).get("value").asText());
        assertTrue(unseen.get(0).get("warning").asText().contains("unseen category"), unseen.toString());
        assertEquals(1 / (1 + Math.exp(-1)), many.get(1).get("probabilities").get("yes").asDouble(), 1e-12);
        assertEquals(1 / (1 + Math.exp(-3)), many.get(0).get("probabilities").get("yes").asDouble(), 1e-12);
    }

    @Test
    void numbersBeyondTheFloatRangeAndNonJsonNumbersNameTheField() throws Exception {
        JsonNode e = reply("{\"age\": 1e308, \"colour\": \"red\"}", 400);
        assertEquals("age", e.get("field").asText(), e.toString());
        assertTrue(e.get("error").asText().contains("field 'age': 1e308 is outside the float range"), e.toString());
        // the largest float is accepted by the parser (and then refused as far outside the training range, by column)
        e = reply("{\"age\": 3.4028235e38, \"colour\": \"red\"}", 400);
        assertTrue(e.get("error").asText().contains("column 'age'"), e.toString());
        for (String bad : new String[] {"NaN", "Infinity", "-Infinity", "01", "+1", ".5"}) {
            e = reply("[{\"age\": 41, \"colour\": \"red\"}, {\"colour\": \"red\", \"age\": " + bad + "}]", 400);
            String error = e.get("error").asText();
            assertEquals("age", e.path("field").asText(), bad + ": " + e);
            assertEquals(1, e.path("row").asInt(-1), bad + ": " + e);
            assertTrue(error.startsWith("row 1: field 'age': not a JSON value"), bad + ": " + error);
            assertFalse(error.contains("enable") || error.contains("JsonReadFeature") || error.contains("\n"), bad + ": " + error);
        }
    }
}

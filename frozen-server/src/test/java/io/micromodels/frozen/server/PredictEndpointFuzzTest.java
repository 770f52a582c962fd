package io.micromodels.frozen.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micromodels.frozen.Activation;
import io.micromodels.frozen.FrozenLayer;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.FrozenNetwork;
import io.micromodels.frozen.IdentityPipeline;

import java.io.IOException;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Coverage-guided fuzzing (Jazzer) of the server's request parsing, {@link PredictEndpoint#predict(byte[])}, on raw
 * body bytes. Invariants: it never throws; the status is 200 or 400; the body is JSON; a 400 body has an
 * {@code "error"} string; a 200 body holds only finite numbers (so never {@code "NaN"} probabilities).
 *
 * <p>Under {@code mvn test} it runs the seeds and past findings in
 * {@code src/test/resources/io/micromodels/frozen/server/PredictEndpointFuzzTestInputs/} (regression mode); with
 * {@code JAZZER_FUZZ=1} (the failsafe {@code fuzz-*} executions of {@code mvn verify}) it fuzzes for
 * {@code maxDuration}. The model: three columns into a 3-8-2 tanh/softmax network, output weights of 1e308 so that
 * sums of hidden units overflow to +/-inf or NaN and the server's last wall (non-finite outputs refused) is reached.
 */
class PredictEndpointFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PredictEndpoint ENDPOINT = new PredictEndpoint(model());

    static FrozenMicromodel model() {
        double[][] w1 = new double[3][8];
        double[] b1 = new double[8];
        double[][] w2 = new double[8][2];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 8; j++) w1[i][j] = ((i * 8 + j) % 5 - 2) * 1e3;
        for (int j = 0; j < 8; j++) {
            b1[j] = j - 4;
            w2[j][0] = (j % 3 - 1) * 1e308;
            w2[j][1] = (j % 2 - 0.5) * 1e308;
        }
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(w1, b1, Activation.TANH),
                FrozenLayer.dense(w2, new double[2], Activation.SOFTMAX));
        return FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c"), net, FrozenMetadata.binary("y", "no", "yes"));
    }

    @FuzzTest(maxDuration = "12s")
    void predictRepliesOrRefusesWithJson(byte[] body) throws IOException {
        PredictEndpoint.Reply reply;
        try {
            reply = ENDPOINT.predict(body);
        } catch (Throwable t) {
            throw new AssertionError("predict threw on a request body instead of replying 400", t);
        }
        JsonNode json;
        try {
            json = JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("reply is not JSON: " + reply.text(), e);
        }
        if (reply.status() == 400) {
            assertTrue(json.isObject() && json.path("error").isTextual(), reply.text());
        } else if (reply.status() == 200) {
            assertFinite(json, reply.text());
        } else {
            fail("status " + reply.status() + ": " + reply.text());
        }
    }

    private static void assertFinite(JsonNode node, String whole) {
        if (node.isNumber()) {
            assertTrue(Double.isFinite(node.doubleValue()), whole);
        } else if (node.isTextual()) {
            String t = node.textValue();
            assertTrue(!t.equals("NaN") && !t.contains("Infinity"), whole);
        } else if (node.isObject()) {
            // warnings echo the client's own keys and values (text), not numbers the model made
            for (Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("warnings")) assertFinite(e.getValue(), whole);
            }
        } else {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) assertFinite(it.next(), whole);
        }
    }
}

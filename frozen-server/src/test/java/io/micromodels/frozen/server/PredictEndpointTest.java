package io.micromodels.frozen.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PredictEndpoint} without HTTP: the cases the fuzzer found, stated plainly. */
class PredictEndpointTest {
    private final PredictEndpoint endpoint = new PredictEndpoint(FrozenServerTest.sigmoidBinary());

    /** Found by PredictEndpointFuzzTest: bytes Jackson took for UTF-32 made it throw instead of replying 400. */
    @Test
    void bodiesThatAreNotUtf8Are400() {
        byte[] utf32ish = {1, 0, 0, 0, 0, 0, 0, 0, '[', '[', '{', (byte) 0xff, (byte) 0xff, (byte) 0xff, '0'};
        PredictEndpoint.Reply r = endpoint.predict(utf32ish);
        assertEquals(400, r.status(), r.text());
        assertTrue(r.text().contains("not UTF-8 (bad byte at offset 11)"), r.text());
        byte[] utf16 = "{\"x0\": 1, \"x1\": 2}".getBytes(StandardCharsets.UTF_16);
        r = endpoint.predict(utf16);
        assertEquals(400, r.status(), r.text());
        // the same row in UTF-8 is scored
        assertEquals(200, endpoint.predict("{\"x0\": 1, \"x1\": 2}".getBytes(StandardCharsets.UTF_8)).status());
    }
}

package io.micromodels.spec;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Coverage-guided fuzzing (Jazzer) of the spec's strict JSON, {@link MicromodelSpec#fromJson}. Invariant: any text
 * (the input bytes as UTF-8) is either refused with an {@link IllegalArgumentException} carrying a message, or read into a spec that
 * round-trips exactly ({@code fromJson(toJson(s))} equals {@code s} and writes the same text); never another
 * exception.
 *
 * <p>Seeds and past findings: {@code src/test/resources/io/micromodels/spec/SpecJsonFuzzTestInputs/}. Fuzzed by
 * {@code mvn verify} (failsafe execution {@code fuzz-spec-json}).
 */
class SpecJsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void specRoundTripsOrIsRefused(byte[] bytes) {
        String json = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        MicromodelSpec spec;
        try {
            spec = MicromodelSpec.fromJson(json);
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
            return;
        }
        String written = spec.toJson();
        MicromodelSpec back = MicromodelSpec.fromJson(written);
        assertEquals(spec, back);
        assertEquals(written, back.toJson());
    }
}

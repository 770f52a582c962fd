package io.micromodels.frozen;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing (Jazzer) of the frozen model's public load entry points: {@link FrozenMicromodel#read}
 * (the JSON form) and {@link FrozenMicromodel#load} (a saved-model zip, entry {@value FrozenMicromodel#ZIP_ENTRY}).
 * Invariant: any input either loads a model or is refused with an {@link IOException} (a
 * {@link FrozenFormatException} for bad content); never another exception or error. A loaded model scores a row of
 * missing cells or refuses it with an {@link IllegalArgumentException}, and writes JSON that reads back equal.
 *
 * <p>Seeds and past findings: {@code src/test/resources/io/micromodels/frozen/FrozenLoadFuzzTestInputs/}. Fuzzed by
 * {@code mvn verify} (failsafe executions {@code fuzz-frozen-json}, {@code fuzz-frozen-zip}).
 */
class FrozenLoadFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void jsonLoadsOrIsRefused(byte[] bytes) throws IOException {
        FrozenMicromodel m;
        try {
            m = FrozenMicromodel.read(new ByteArrayInputStream(bytes));
        } catch (IOException expected) {
            return;
        }
        exercise(m);
    }

    @FuzzTest(maxDuration = "10s")
    void zipLoadsOrIsRefused(byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory("frozen-fuzz");
        Path zip = dir.resolve("model.zip");
        try {
            Files.write(zip, bytes);
            FrozenMicromodel m;
            try {
                m = FrozenMicromodel.load(zip);
            } catch (IOException expected) {
                return;
            }
            exercise(m);
        } finally {
            Files.deleteIfExists(zip);
            Files.deleteIfExists(dir);
        }
    }

    private static void exercise(FrozenMicromodel m) throws IOException {
        try {
            m.predict(new String[m.columns().size()]);
        } catch (IllegalArgumentException refused) {
            // e.g. a pipeline that does not impute missing cells
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.write(out);
        FrozenMicromodel back = FrozenMicromodel.read(new ByteArrayInputStream(out.toByteArray()));
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        back.write(again);
        assertEquals(out.toString(java.nio.charset.StandardCharsets.UTF_8), again.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}

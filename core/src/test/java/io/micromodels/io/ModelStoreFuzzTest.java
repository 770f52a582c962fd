package io.micromodels.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micromodels.train.TrainedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of the saved-model reader's public entry point, {@link ModelStore#load(Path)}, on
 * raw file bytes. Invariant: a file either loads or is refused with a {@link ModelFormatException} whose message
 * names the file; never another exception or error. It fuzzes the zip container and the JSON entries (spec,
 * pipeline, provenance, metrics); the seeds hold no {@code network.zip}, so the DL4J network entry is reached only
 * if the fuzzer builds one, and the crafted-payload tests of that entry live beside {@link ModelStore}'s own tests.
 *
 * <p>Seeds and past findings: {@code src/test/resources/io/micromodels/io/ModelStoreFuzzTestInputs/}. Fuzzed by
 * {@code mvn verify} (failsafe execution {@code fuzz-model-zip}).
 */
class ModelStoreFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void loadsOrRefusesNamingTheFile(byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory("model-fuzz");
        Path zip = dir.resolve("model.zip");
        try {
            Files.write(zip, bytes);
            try (TrainedModel model = ModelStore.load(zip)) {
                assertTrue(model.spec().parameterCount() > 0);
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(zip.toString()), String.valueOf(e.getMessage()));
            }
        } finally {
            Files.deleteIfExists(zip);
            Files.deleteIfExists(dir);
        }
    }
}

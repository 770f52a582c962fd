package io.micromodels.frozen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelManifestTest {
    @Test
    void roundTripsAndVerifiesAgainstKnownDigests() throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        ModelManifest m = ModelManifest.of(2, Map.of("a.json", abc));
        // FIPS 180-2 test vector for "abc"
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", m.sha256().get("a.json"));
        ModelManifest back = ModelManifest.parse(m.toBytes(), "m.zip");
        assertEquals(m, back);
        back.verify("a.json", abc, "m.zip");
        FrozenFormatException e = assertThrows(FrozenFormatException.class,
                () -> back.verify("a.json", "abd".getBytes(StandardCharsets.US_ASCII), "m.zip"));
        assertEquals("m.zip: entry 'a.json' does not match its SHA-256 in manifest.json (the file was altered or damaged)",
                e.getMessage());
        e = assertThrows(FrozenFormatException.class, () -> back.verify("b.json", abc, "m.zip"));
        assertEquals("m.zip: entry 'b.json' is not listed in manifest.json", e.getMessage());
    }

    @Test
    void unknownMissingAndIllFormedKeysAreErrors() {
        String ok = "\"format\": \"micromodels-model\", \"version\": 2, \"sha256\": {}";
        assertThrows(FrozenFormatException.class, () -> ModelManifest.parse(("{" + ok + ", \"x\": 1}").getBytes(StandardCharsets.UTF_8), "m"));
        assertThrows(FrozenFormatException.class, () -> ModelManifest.parse("{\"format\": \"micromodels-model\", \"version\": 2}".getBytes(StandardCharsets.UTF_8), "m"));
        FrozenFormatException e = assertThrows(FrozenFormatException.class, () -> ModelManifest.parse(
                "{\"format\": \"micromodels-model\", \"version\": 2, \"sha256\": {\"a\": \"xyz\"}}".getBytes(StandardCharsets.UTF_8), "m"));
        assertTrue(e.getMessage().contains("sha256 of 'a' must be 64 lower-case hex digits, got xyz"), e.getMessage());
    }
}

package io.micromodels.tune.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceConfigTest {

    static final String DEFAULT_JSON = """
            {"depth":{"min":1,"max":3,"log":false},"width":{"min":4,"max":128,"log":true},
             "activations":["relu","tanh","elu"],"dropRate":{"min":0.0,"max":0.5,"log":false},
             "l1":{"min":1e-7,"max":1e-2,"log":true},"l2":{"min":1e-7,"max":1e-2,"log":true},
             "learningRate":{"min":1e-4,"max":1e-1,"log":true},"batchSizes":[32,64,128,256]}""";

    @Test
    void defaultsAreTheDocumentedSpace() {
        assertEquals(SpaceConfig.defaults(), SpaceConfig.fromJson(DEFAULT_JSON));
    }

    @Test
    void roundTripsExactly() {
        SpaceConfig custom = new SpaceConfig(new IntRange(2, 5, false), new IntRange(3, 333, true),
                List.of(Activation.SIGMOID, Activation.LEAKYRELU), new Range(0.05, 0.35, false),
                new Range(0, 0.001, false), new Range(1.2345678901234e-6, 3e-3, true), new Range(0.000123, 0.0456, true),
                List.of(16, 100));
        assertEquals(custom, SpaceConfig.fromJson(custom.toJson()));
        assertEquals(custom.toJson(), SpaceConfig.fromJson(custom.toJson()).toJson());
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("space.json");
        Files.writeString(f, DEFAULT_JSON);
        assertEquals(SpaceConfig.defaults(), SpaceConfig.read(f));
        Files.writeString(f, DEFAULT_JSON.replace("{\"depth\"", "{\"depht\":2,\"depth\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpaceConfig.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'depht'"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.read(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void missingKeyIsNamed() {
        String json = DEFAULT_JSON.replace(",\"batchSizes\":[32,64,128,256]", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpaceConfig.fromJson(json));
        assertTrue(e.getMessage().contains("missing key 'batchSizes'"), e.getMessage());
        String noLog = DEFAULT_JSON.replace("\"learningRate\":{\"min\":1e-4,\"max\":1e-1,\"log\":true}",
                "\"learningRate\":{\"min\":1e-4,\"max\":1e-1}");
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> SpaceConfig.fromJson(noLog));
        assertTrue(e2.getMessage().contains("missing key 'log'") && e2.getMessage().contains("learningRate"), e2.getMessage());
    }

    @Test
    void rangeErrorsNameFieldRangeAndValue() {
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.fromJson(DEFAULT_JSON.replace("\"max\":1e-1", "\"max\":1.5")));
        assertTrue(lr.getMessage().contains("learningRate must be within (0, 1], got [1.0E-4, 1.5]"), lr.getMessage());
        IllegalArgumentException depth = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.fromJson(DEFAULT_JSON.replace("\"max\":3", "\"max\":30")));
        assertTrue(depth.getMessage().contains("depth must be within [1, 16], got [1, 30]"), depth.getMessage());
        IllegalArgumentException log = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.fromJson(DEFAULT_JSON.replace("\"l1\":{\"min\":1e-7", "\"l1\":{\"min\":0")));
        assertTrue(log.getMessage().contains("(at l1)") && log.getMessage().contains("min must be > 0 for a log range, got 0.0"),
                log.getMessage());
        IllegalArgumentException drop = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.fromJson(DEFAULT_JSON.replace("\"max\":0.5", "\"max\":1.0")));
        assertTrue(drop.getMessage().contains("dropRate must be within [0, 1), got [0.0, 1.0]"), drop.getMessage());
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.fromJson(DEFAULT_JSON.replace("\"elu\"", "\"swish\"")));
        assertTrue(act.getMessage().contains("swish"), act.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.fromJson(DEFAULT_JSON.replace("[32,64,128,256]", "[32,0]")));
        assertTrue(batch.getMessage().contains("batchSizes[1] must be within [1, 1048576], got 0"), batch.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> new IntRange(5, 2, false));
        assertEquals("min must be <= max, got min 5 > max 2", order.getMessage());
    }
}

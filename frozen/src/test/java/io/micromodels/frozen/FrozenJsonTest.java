package io.micromodels.frozen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrozenJsonTest {

    @BeforeAll
    static void registerTestPipeline() {
        FrozenPipelines.register(ScalePipeline.NAME, ScalePipeline.class);
    }

    static FrozenMicromodel binaryModel() {
        return FrozenMicromodel.of(IdentityPipeline.of("x0", "x1", "x2"),
                TestNets.random(3, Activation.RELU, Activation.SIGMOID, 3, 5, 1), FrozenMetadata.binary("y", "no", "yes"));
    }

    /** Weights chosen to stress number formatting: float32 values widened, subnormals, -0.0, extremes. */
    static FrozenMicromodel awkwardModel() {
        double[][] w = {{0.1f, -0.0, Double.MIN_VALUE, 1e-310}, {Math.PI, -1e300, Math.ulp(1.0), 1.0 / 3}};
        double[] b = {Math.nextUp(0.1), -Math.E, 123456789.123456789, 5e-324};
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(w, b, Activation.LEAKYRELU, 0.1f),
                FrozenLayer.dense(new double[][] {{1}, {2}, {3}, {4}}, new double[] {0}, Activation.IDENTITY));
        return FrozenMicromodel.of(new ScalePipeline(List.of("p", "q"), new double[] {1.5, -2}, new double[] {0.25, 3}), net,
                FrozenMetadata.regression("price", 1234.5, -0.75));
    }

    @Test
    void roundTripIsExact() throws IOException {
        Random rnd = new Random(4);
        FrozenMicromodel multi = FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c", "d"),
                TestNets.random(5, Activation.ELU, Activation.SOFTMAX, 4, 6, 3), FrozenMetadata.multiclass("species", List.of("x", "y", "z")));
        for (FrozenMicromodel m : List.of(binaryModel(), awkwardModel(), multi)) {
            String json = m.toJson();
            FrozenMicromodel back = FrozenMicromodel.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
            assertEquals(m, back);
            assertEquals(json, back.toJson(), "write(read(write(m))) == write(m)");
            for (int k = 0; k < m.network().layers().size(); k++) {
                FrozenLayer a = m.network().layers().get(k);
                FrozenLayer b = back.network().layers().get(k);
                for (int i = 0; i < a.nIn(); i++) {
                    for (int j = 0; j < a.nOut(); j++) {
                        assertEquals(Double.doubleToRawLongBits(a.weight(i, j)), Double.doubleToRawLongBits(b.weight(i, j)));
                    }
                }
                assertEquals(Double.doubleToRawLongBits(a.alpha()), Double.doubleToRawLongBits(b.alpha()));
            }
            double[] x = TestNets.randomRow(rnd, m.inputWidth());
            double[] p1 = new double[m.outputWidth()];
            double[] p2 = new double[m.outputWidth()];
            m.predictFeatures(x, p1);
            back.predictFeatures(x, p2);
            assertArrayEquals(p1, p2, 0.0);
        }
        // -0.0 must survive (Arrays.equals on double compares bit patterns, so equals() above covers it; be explicit)
        FrozenMicromodel back = FrozenMicromodel.fromJson(awkwardModel().toJson());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.network().layers().get(0).weight(0, 1)));
        assertEquals(Double.MIN_VALUE, back.network().layers().get(0).weight(0, 2));
    }

    @Test
    void documentedLayout() throws IOException {
        JsonNode tree = FrozenPipelines.mapper().readTree(binaryModel().toJson());
        assertEquals(List.of("format", "version", "task", "target", "classLabels", "outputNames", "targetScale", "targetShift",
                "pipeline", "network"), fieldNames(tree));
        assertEquals("micromodels-frozen", tree.get("format").asText());
        assertEquals(1, tree.get("version").asInt());
        assertEquals("BINARY", tree.get("task").asText());
        assertEquals("identity", tree.get("pipeline").get("name").asText());
        assertEquals(List.of("name", "columns"), fieldNames(tree.get("pipeline")));
        JsonNode layer = tree.get("network").get("layers").get(0);
        assertEquals(List.of("type", "nIn", "nOut", "activation", "alpha", "weights", "bias"), fieldNames(layer));
        assertEquals(3, layer.get("weights").size()); // [nIn][nOut]
        assertEquals(5, layer.get("weights").get(0).size());
        assertEquals("SIGMOID", tree.get("network").get("layers").get(1).get("activation").asText());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Reads a modified copy of the binary model's JSON and returns the error message. */
    private static String errorAfter(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode tree = (ObjectNode) FrozenPipelines.mapper().readTree(binaryModel().toJson());
        edit.accept(tree);
        String json = tree.toString();
        FrozenFormatException e = assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.fromJson(json));
        if (System.getenv("PRINT_ERRORS") != null) System.out.println("ERR " + e.getMessage());
        return e.getMessage();
    }

    private static ObjectNode layer0(ObjectNode root) {
        return (ObjectNode) root.get("network").get("layers").get(0);
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "expected «" + p + "» in: " + message);
    }

    @Test
    void unknownKeysAreErrorsNamingTheKey() throws IOException {
        assertMentions(errorAfter(t -> t.put("colour", "red")), "unknown key 'colour'", "top-level");
        assertMentions(errorAfter(t -> layer0(t).put("dropout", 0.5)), "unknown key 'dropout'", "network.layers[0]");
        assertMentions(errorAfter(t -> ((ObjectNode) t.get("network")).put("optimizer", "adam")), "unknown key 'optimizer'", "network");
        assertMentions(errorAfter(t -> ((ObjectNode) t.get("pipeline")).put("extra", 1)), "unknown key 'extra'", "pipeline");
    }

    @Test
    void missingKeysAreErrorsNamingTheKey() throws IOException {
        assertMentions(errorAfter(t -> t.remove("target")), "missing key 'target'");
        assertMentions(errorAfter(t -> t.remove("version")), "missing key 'version'");
        assertMentions(errorAfter(t -> t.remove("targetShift")), "missing key 'targetShift'");
        assertMentions(errorAfter(t -> layer0(t).remove("bias")), "missing key 'bias'", "network.layers[0]");
        assertMentions(errorAfter(t -> layer0(t).remove("alpha")), "missing key 'alpha'", "network.layers[0]");
        assertMentions(errorAfter(t -> ((ObjectNode) t.get("pipeline")).remove("columns")), "missing key 'columns'", "pipeline");
        assertMentions(errorAfter(t -> ((ObjectNode) t.get("pipeline")).remove("name")), "missing key 'name'", "pipeline");
        assertMentions(errorAfter(t -> t.putNull("target")), "'target'", "must not be null");
    }

    @Test
    void wrongTypesAndValuesAreErrorsNamingTheKey() throws IOException {
        assertMentions(errorAfter(t -> layer0(t).put("nIn", "3")), "network.layers[0].nIn");
        assertMentions(errorAfter(t -> layer0(t).put("nIn", 3.5)), "network.layers[0].nIn");
        assertMentions(errorAfter(t -> ((ArrayNode) layer0(t).get("weights").get(1)).set(2, new TextNode("0.5"))),
                "network.layers[0].weights[1][2]");
        assertMentions(errorAfter(t -> layer0(t).put("activation", "SWISH")), "network.layers[0].activation", "SWISH");
        assertMentions(errorAfter(t -> t.put("task", "CLUSTERING")), "task", "CLUSTERING");
        assertMentions(errorAfter(t -> ((ArrayNode) t.get("classLabels")).set(0, 7)), "classLabels[0]");
        assertMentions(errorAfter(t -> t.put("format", "onnx")), "'format'", "onnx");
        assertMentions(errorAfter(t -> t.put("version", 3)), "'version' 3");
        assertMentions(errorAfter(t -> ((ObjectNode) t.get("pipeline")).put("name", "nope")), "unknown pipeline type 'nope'", "identity");
        assertMentions(errorAfter(t -> layer0(t).put("type", "conv")), "network.layers[0]", "'type'", "conv");
    }

    @Test
    void inconsistentShapesAreErrorsNamingTheLayer() throws IOException {
        assertMentions(errorAfter(t -> layer0(t).put("nIn", 4)), "network.layers[0]", "3 rows, expected nIn = 4");
        assertMentions(errorAfter(t -> ((ArrayNode) layer0(t).get("weights").get(2)).remove(0)), "network.layers[0]", "row 2 has 4 values, expected nOut = 5");
        assertMentions(errorAfter(t -> ((ArrayNode) layer0(t).get("bias")).add(1.0)), "network.layers[0]", "'bias' has 6 values, expected nOut = 5");
        assertMentions(errorAfter(t -> ((ArrayNode) t.get("network").get("layers")).remove(1)), "BINARY network must end in");
        assertMentions(errorAfter(t -> ((ArrayNode) t.get("network").get("layers")).add(t.get("network").get("layers").get(0).deepCopy())),
                "layer 2", "expects input shape [3]", "layer 1", "outputs shape [1]");
        assertMentions(errorAfter(t -> ((ArrayNode) ((ObjectNode) t.get("pipeline")).get("columns")).add("x3")),
                "pipeline produces 4 features", "input width is 3");
    }

    @Test
    void malformedJsonIsAnError() {
        String json = binaryModel().toJson();
        for (String bad : new String[] {json.substring(0, json.length() / 2), json + " {}", "", "[]", "{\"format\": \"micromodels-frozen\", \"format\": 1}"}) {
            FrozenFormatException e = assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.fromJson(bad));
            assertTrue(e.getMessage().startsWith("<string>: "), e.getMessage());
        }
        assertMentions(assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.fromJson("{\"format\": \"micromodels-frozen\", \"format\": 1}"))
                .getMessage(), "Duplicate", "format");
    }

    @Test
    void unregisteredPipelineClassCannotBeWritten() {
        FrozenPipeline anonymous = new FrozenPipeline() {
            @Override
            public List<String> columns() {
                return List.of("a");
            }

            @Override
            public int width() {
                return 1;
            }

            @Override
            public void transform(String[] raw, double[] features) {
                features[0] = 0;
            }
        };
        FrozenMicromodel m = FrozenMicromodel.of(anonymous, TestNets.random(1, Activation.RELU, Activation.IDENTITY, 1, 1),
                FrozenMetadata.regression("y"));
        IOException e = assertThrows(IOException.class, () -> m.write(new ByteArrayOutputStream()));
        assertMentions(e.getMessage(), "not registered");
    }

    @Test
    void registryRejectsConflicts() {
        assertEquals(IdentityPipeline.class, FrozenPipelines.typeOf("identity"));
        assertEquals("identity", FrozenPipelines.nameOf(IdentityPipeline.class));
        FrozenPipelines.register("identity", IdentityPipeline.class); // idempotent
        assertMentions(assertThrows(IllegalArgumentException.class, () -> FrozenPipelines.register("identity", ScalePipeline.class)).getMessage(),
                "already registered");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> FrozenPipelines.register("other", IdentityPipeline.class)).getMessage(),
                "already registered as pipeline type 'identity'");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> FrozenPipelines.register("Bad Name", ScalePipeline.class)).getMessage(),
                "Bad Name");
    }

    @Test
    void zipLoading(@TempDir Path dir) throws IOException {
        FrozenMicromodel m = awkwardModel();
        Path zip = dir.resolve("model.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("configuration.json")); // what else a saved-model zip carries
            out.write("{}".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            m.writeZipEntry(out);
        }
        assertEquals(m, FrozenMicromodel.load(zip));

        Path saved = dir.resolve("saved.zip");
        m.saveZip(saved);
        assertEquals(m, FrozenMicromodel.load(saved));

        Path json = dir.resolve("model.json");
        Files.writeString(json, m.toJson());
        assertEquals(m, FrozenMicromodel.load(json));

        Path noEntry = dir.resolve("dl4j-only.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(noEntry))) {
            out.putNextEntry(new ZipEntry("coefficients.bin"));
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        assertMentions(assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.load(noEntry)).getMessage(),
                noEntry.toString(), "no entry 'frozen.json'");

        Path notZip = dir.resolve("garbage.zip");
        Files.write(notZip, "this is not a zip file at all".getBytes(StandardCharsets.UTF_8));
        assertMentions(assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.load(notZip)).getMessage(),
                notZip.toString(), "not a readable zip");

        Path badEntry = dir.resolve("bad-entry.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(badEntry))) {
            out.putNextEntry(new ZipEntry("frozen.json"));
            String text = m.toJson();
            out.write(text.substring(0, text.length() / 3).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertMentions(assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.load(badEntry)).getMessage(),
                badEntry + "!frozen.json", "malformed JSON");

        // Corrupt the compressed bytes of a valid zip's entry: a clear error naming file and entry, not a crash.
        byte[] bytes = Files.readAllBytes(saved);
        for (int i = 60; i < bytes.length - 200; i += 7) bytes[i] ^= 0x5A;
        Path corrupted = dir.resolve("corrupted.zip");
        Files.write(corrupted, bytes);
        FrozenFormatException e = assertThrows(FrozenFormatException.class, () -> FrozenMicromodel.load(corrupted));
        assertMentions(e.getMessage(), corrupted.toString());

        assertThrows(java.io.FileNotFoundException.class, () -> FrozenMicromodel.load(dir.resolve("absent.zip")));
    }
}

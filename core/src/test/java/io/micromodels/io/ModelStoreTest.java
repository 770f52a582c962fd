package io.micromodels.io;

import io.micromodels.train.Provenance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import io.micromodels.frozen.ModelManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    static PreparedData data;
    static TrainedModel model;

    @BeforeAll
    static void train() {
        data = Datasets.load("heart_disease_cleveland").prepare(7);
        MicromodelSpec spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(8).patience(0).seed(3).build();
        model = TrainedModel.train(data, spec, "dataset:heart_disease_cleveland");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void loadingGivesIdenticalPredictionsSpecPipelineProvenanceAndMetrics(@TempDir Path dir) {
        Path zip = dir.resolve("m.zip");
        ModelStore.save(model, zip, false);
        try (TrainedModel back = ModelStore.load(zip)) {
            double[][] a = model.predict(data.test().getFeatures());
            double[][] b = back.predict(data.test().getFeatures());
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 0.0, "row " + i);
            }
            assertEquals(model.spec(), back.spec());
            assertEquals(model.provenance(), back.provenance());
            assertEquals(model.testMetrics().values(), back.testMetrics().values());
            assertEquals(8, back.history().epochs().size(), "history.json: one report per epoch run");
            assertEquals(model.history(), back.history());
            assertEquals(model.pipeline().featureNames(), back.pipeline().featureNames());
            // the pipeline from the zip transforms raw rows exactly as the in-memory one
            var table = back.pipeline().readCsv(io.micromodels.TestPaths.dataset("heart_disease_cleveland.csv"), ',');
            assertEquals(model.pipeline().transform(table), back.pipeline().transform(table));
        }
    }

    @Test
    void provenanceRecordsWhatTheModelCameFrom() {
        Provenance p = model.provenance();
        assertEquals(model.spec(), p.spec());
        assertEquals(3, p.seed());
        assertEquals(data.sha256(), p.dataSha256());
        assertEquals(64, p.dataSha256().length());
        assertEquals("1.0.0-M2.1", p.libraries().get("deeplearning4j"));
        assertEquals("1.0.0-M2.1", p.libraries().get("nd4j"));
        assertEquals("cpu", p.backend().name());
        assertTrue(p.jvm().contains(System.getProperty("java.runtime.version")), p.jvm());
        assertEquals(8, p.epochsRun());
    }

    @Test
    void anExistingFileIsNeverOverwrittenUnlessAsked(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("m.zip");
        Files.writeString(zip, "precious");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ModelStore.save(model, zip, false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("precious", Files.readString(zip));
        ModelStore.save(model, zip, true);
        try (TrainedModel back = ModelStore.load(zip)) {
            assertEquals(model.spec(), back.spec());
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void truncatedCorruptedForeignAndIncompleteFilesGiveClearErrors(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.zip");
        ModelStore.save(model, good, false);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(truncated));
        assertTrue(e.getMessage().contains("truncated.zip") && e.getMessage().contains("truncated or corrupted"), e.getMessage());

        // flip bytes inside the parameters entry's data: the CRC or the manifest catches it
        Path corrupted = dir.resolve("corrupted.zip");
        byte[] bad = bytes.clone();
        long offset = dataOffset(good, ModelStore.PARAMETERS);
        for (int i = 0; i < 64; i++) {
            bad[(int) offset + 200 + i] ^= 0x5A;
        }
        Files.write(corrupted, bad);
        e = assertThrows(ModelFormatException.class, () -> ModelStore.load(corrupted));
        assertTrue(e.getMessage().contains("corrupted.zip"), e.getMessage());

        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "not a zip at all");
        e = assertThrows(ModelFormatException.class, () -> ModelStore.load(text));
        assertTrue(e.getMessage().contains("notes.zip") && e.getMessage().contains("not a readable zip"), e.getMessage());

        Path incomplete = dir.resolve("incomplete.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(incomplete))) {
            out.putNextEntry(new ZipEntry(ModelStore.PROVENANCE));
            out.write("{}".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        e = assertThrows(ModelFormatException.class, () -> ModelStore.load(incomplete));
        assertTrue(e.getMessage().contains("has no entry 'spec.json'"), e.getMessage());

        e = assertThrows(ModelFormatException.class, () -> ModelStore.load(dir.resolve("absent.zip")));
        assertTrue(e.getMessage().contains("absent.zip does not exist"), e.getMessage());
    }

    @Test
    void theZipHoldsAManifestTheConfigurationAndAnNpyParameterArray(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("m.zip");
        ModelStore.save(model, zip, false);
        Map<String, byte[]> entries = entries(zip);
        List<String> expected = new ArrayList<>(List.of(ModelStore.MANIFEST));
        expected.addAll(ModelStore.FORMAT_2);
        expected.remove(ModelStore.DECISION);   // written only when a binary model's decision is not the standard one
        assertEquals(expected, new ArrayList<>(entries.keySet()));
        ModelManifest manifest = ModelManifest.parse(entries.get(ModelStore.MANIFEST), "test");
        assertEquals(2, manifest.version());
        assertEquals(ModelStore.FORMAT_2.stream().filter(e -> !e.equals(ModelStore.DECISION)).sorted().toList(), new ArrayList<>(manifest.sha256().keySet()));
        // independent SHA-256 of one entry
        assertEquals(java.util.HexFormat.of().formatHex(sha256(entries.get(ModelStore.SPEC))),
                manifest.sha256().get(ModelStore.SPEC));
        // .npy layout by hand: magic, version 1.0, header length, header, little-endian float32 data
        byte[] npy = entries.get(ModelStore.PARAMETERS);
        assertEquals("\u0093NUMPY", new String(npy, 0, 6, StandardCharsets.ISO_8859_1));
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
        long n = model.spec().parameterCount();
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ",), }", header.strip());
        assertEquals(10 + headerLength + 4 * n, npy.length);
        float[] flat = model.network().params().toFloatVector();
        java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(npy, 10 + headerLength, (int) (4 * n)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            assertEquals(flat[i], data.getFloat(), "parameter " + i);
        }
        assertEquals(model.network().getLayerWiseConfigurations().toJson(),
                new String(entries.get(ModelStore.CONFIGURATION), StandardCharsets.UTF_8));
    }

    @Test
    void anEntryThatDoesNotMatchTheManifestIsRefused(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.zip");
        ModelStore.save(model, good, false);
        Map<String, byte[]> entries = entries(good);
        String metrics = new String(entries.get(ModelStore.METRICS), StandardCharsets.UTF_8);
        entries.put(ModelStore.METRICS, metrics.replaceFirst("0\\.", "0.9").getBytes(StandardCharsets.UTF_8));
        Path edited = write(dir.resolve("edited.zip"), entries);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(edited));
        assertEquals("model file " + edited + ": entry 'metrics.json' does not match its SHA-256 in manifest.json "
                + "(the file was altered or damaged)", e.getMessage());
        // the frozen loader checks its entry against the same manifest
        entries = entries(good);
        entries.put(ModelStore.FROZEN, (new String(entries.get(ModelStore.FROZEN), StandardCharsets.UTF_8) + " ")
                .getBytes(StandardCharsets.UTF_8));
        Path frozenEdited = write(dir.resolve("frozen-edited.zip"), entries);
        var fe = assertThrows(io.micromodels.frozen.FrozenFormatException.class,
                () -> io.micromodels.frozen.FrozenMicromodel.load(frozenEdited));
        assertTrue(fe.getMessage().contains("entry 'frozen.json' does not match its SHA-256"), fe.getMessage());
    }

    @Test
    void unknownEntriesAndForeignConfigurationsAreRefusedEvenWithAMatchingManifest(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.zip");
        ModelStore.save(model, good, false);
        Map<String, byte[]> entries = entries(good);
        entries.put("network/preprocessor.bin", Payloads.arrayList());
        Path extra = write(dir.resolve("extra.zip"), withManifest(entries));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(extra));
        assertTrue(e.getMessage().startsWith("model file " + extra + " holds an unknown entry 'network/preprocessor.bin'; "
                + "refusing it"), e.getMessage());

        entries = entries(good);
        String conf = new String(entries.get(ModelStore.CONFIGURATION), StandardCharsets.UTF_8);
        assertTrue(conf.contains("ActivationReLU"), "the default spec's hidden layers are ReLU");
        entries.put(ModelStore.CONFIGURATION, conf.replace("ActivationReLU", "ActivationTanH").getBytes(StandardCharsets.UTF_8));
        Path foreign = write(dir.resolve("foreign.zip"), withManifest(entries));
        e = assertThrows(ModelFormatException.class, () -> ModelStore.load(foreign));
        assertTrue(e.getMessage().contains("entry 'network/configuration.json' is not the network that spec.json describes"),
                e.getMessage());

        entries = entries(good);
        byte[] npy = entries.get(ModelStore.PARAMETERS);
        entries.put(ModelStore.PARAMETERS, java.util.Arrays.copyOf(npy, npy.length - 4));
        Path cut = write(dir.resolve("cut.zip"), withManifest(entries));
        e = assertThrows(ModelFormatException.class, () -> ModelStore.load(cut));
        assertTrue(e.getMessage().contains("entry 'network/parameters.npy' is unreadable: the .npy header declares "
                + model.spec().parameterCount() + " floats but " + (4 * model.spec().parameterCount() - 4)), e.getMessage());
    }

    @Test
    void aFormat1ModelLoadsWithoutUnpackingItsNetworkZip(@TempDir Path dir) throws IOException {
        Path old = writeFormat1(dir.resolve("old.zip"), null);
        try (TrainedModel back = ModelStore.load(old)) {
            double[][] a = model.predict(data.test().getFeatures());
            double[][] b = back.predict(data.test().getFeatures());
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 0.0, "row " + i);
            }
            assertEquals(model.spec(), back.spec());
            assertEquals(null, back.history(), "format 1 has no history");
        }
    }

    @Test
    void aFormat1ModelWithASerialisedPayloadIsRefusedBeforeAnythingIsDeserialised(@TempDir Path dir) throws IOException {
        for (byte[] payload : List.of(Payloads.hashSetBomb(), Payloads.arrayList())) {
            Path crafted = writeFormat1(dir.resolve("crafted.zip"), payload);
            // DL4J's ModelSerializer spun on the HashSet payload until killed; the timeout only guards the test
            ModelFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(ModelFormatException.class, () -> ModelStore.load(crafted)));
            assertEquals("model file " + crafted + ": entry 'network.zip' holds 'preprocessor.bin', which micromodels "
                    + "never wrote and will not deserialise; retrain the model with this version", e.getMessage());
            Files.delete(crafted);
        }
    }

    @Test
    void aFormat1ModelWhoseFrozenWeightsAreNotFloat32IsRefused(@TempDir Path dir) throws IOException {
        Path old = writeFormat1(dir.resolve("old.zip"), null);
        Map<String, byte[]> entries = entries(old);
        io.micromodels.frozen.FrozenMicromodel f = io.micromodels.frozen.FrozenMicromodel.read(
                new java.io.ByteArrayInputStream(entries.get(ModelStore.FROZEN)));
        var layers = new ArrayList<>(f.network().layers());
        var l0 = layers.get(0);
        double[][] w = l0.weights();
        w[0][0] = w[0][0] + Math.ulp((float) w[0][0]) / 4;   // between two floats
        layers.set(0, io.micromodels.frozen.FrozenLayer.dense(w, l0.bias(), l0.activation(), l0.alpha()));
        entries.put(ModelStore.FROZEN, io.micromodels.frozen.FrozenMicromodel.of(f.pipeline(),
                io.micromodels.frozen.FrozenNetwork.of(layers), f.metadata()).toJson().getBytes(StandardCharsets.UTF_8));
        Path edited = write(dir.resolve("edited.zip"), entries);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(edited));
        assertTrue(e.getMessage().contains("holds weights that are not float32 (layer 0 weight [0][0]"), e.getMessage());
    }

    @Test
    void aZipBombIsRefusedWithOneLineAndNoOutOfMemory(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.zip");
        ModelStore.save(model, good, false);
        Map<String, byte[]> entries = entries(good);
        Path bomb = dir.resolve("bomb.zip");
        long unpacked = 150L << 20;   // 150 MiB of zeros in place of the parameters, about 150 KB packed
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getKey().equals(ModelStore.PARAMETERS)) {
                    byte[] zeros = new byte[1 << 20];
                    for (long k = 0; k < unpacked; k += zeros.length) {
                        out.write(zeros);
                    }
                } else {
                    out.write(e.getValue());
                }
                out.closeEntry();
            }
        }
        assertTrue(Files.size(bomb) < 1 << 20, "packed " + Files.size(bomb));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(bomb));
        assertEquals("model file " + bomb + ": entry 'network/parameters.npy' unpacks to more than 134217728 bytes (a zip "
                + "bomb?); refusing it", e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A zip written as ModelStore format 1 did (DL4J ModelSerializer in network.zip), plus preprocessor.bin if given. */
    private static Path writeFormat1(Path zip, byte[] preprocessor) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(entries(writeFormat2(zip.resolveSibling("tmp-" + zip.getFileName()))));
        entries.remove(ModelStore.MANIFEST);
        entries.remove(ModelStore.CONFIGURATION);
        entries.remove(ModelStore.PARAMETERS);
        entries.remove(ModelStore.HISTORY);    // entries format 1 never had
        entries.remove(ModelStore.DECISION);
        ByteArrayOutputStream net = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model.network(), net, false);
        byte[] network = net.toByteArray();
        if (preprocessor != null) {
            Path inner = zip.resolveSibling("inner-" + zip.getFileName());
            Files.write(inner, network);
            Map<String, byte[]> innerEntries = entries(inner);
            innerEntries.put("preprocessor.bin", preprocessor);
            network = Files.readAllBytes(write(inner, innerEntries));
        }
        entries.put(ModelStore.NETWORK, network);
        return write(zip, entries);
    }

    private static Path writeFormat2(Path zip) {
        ModelStore.save(model, zip, true);
        return zip;
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile f = new ZipFile(zip.toFile())) {
            for (var en = f.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                out.put(e.getName(), f.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    private static Map<String, byte[]> withManifest(Map<String, byte[]> entries) {
        Map<String, byte[]> rest = new LinkedHashMap<>(entries);
        rest.remove(ModelStore.MANIFEST);
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(ModelStore.MANIFEST, ModelManifest.of(2, rest).toBytes());
        out.putAll(rest);
        return out;
    }

    private static Path write(Path zip, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return zip;
    }

    /** Byte offset of an entry's data: local header offset + 30 + name + extra lengths. */
    private static long dataOffset(Path zip, String name) throws IOException {
        byte[] all = Files.readAllBytes(zip);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 30 + n.length < all.length; i++) {
            if (all[i] == 0x50 && all[i + 1] == 0x4b && all[i + 2] == 3 && all[i + 3] == 4) {
                int nameLen = (all[i + 26] & 0xff) | (all[i + 27] & 0xff) << 8;
                int extraLen = (all[i + 28] & 0xff) | (all[i + 29] & 0xff) << 8;
                if (nameLen == n.length && java.util.Arrays.equals(java.util.Arrays.copyOfRange(all, i + 30, i + 30 + nameLen), n)) {
                    return i + 30L + nameLen + extraLen;
                }
            }
        }
        try (ZipFile f = new ZipFile(zip.toFile())) {
            throw new AssertionError("entry " + name + " not found among " + f.size() + " entries");
        }
    }
}

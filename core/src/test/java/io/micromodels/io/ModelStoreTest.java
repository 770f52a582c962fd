package io.micromodels.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
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

        // flip bytes inside the network entry's data: the CRC or the DL4J reader catches it
        Path corrupted = dir.resolve("corrupted.zip");
        byte[] bad = bytes.clone();
        long offset = dataOffset(good, ModelStore.NETWORK);
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

package io.micromodels.io;

import io.micromodels.data.PipelineJson;
import io.micromodels.json.StrictJson;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Metrics;
import io.micromodels.train.TrainedModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model zips written by the code of {@code main} at commit ed70ebc (before the data pipeline was split into parts and
 * the task kinds were made one type) still load, predict as they did, and their JSON entries read back to the same
 * bytes (metrics.json: but for its {@code kind}). The fixtures in {@code main-format2/}: {@code data.csv} (120 synthetic rows: numeric with NA, integer,
 * boolean, categorical with missing cells, date-time), a binary model (standardised, missing indicators), a
 * regression model (min-max) and a three-class model (piecewise-linear encoding), each with the predictions the
 * writing code made for every row of {@code data.csv}.
 */
class MainFormat2FixtureTest {
    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(MainFormat2FixtureTest.class.getResource("main-format2/" + name).toURI());
    }

    private static String entry(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return new String(z.getInputStream(z.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "regression", "multiclass"})
    void loadsAndPredictsAsWhenItWasWritten(String name) throws Exception {
        Path zip = fixture(name + ".zip");
        List<String> expected = Files.readAllLines(fixture(name + ".predictions.csv"));
        try (TrainedModel model = ModelStore.load(zip)) {
            double[][] p = model.predict(model.pipeline().readCsv(fixture("data.csv"), ','));
            assertEquals(expected.size(), p.length);
            for (int i = 0; i < p.length; i++) {
                String[] cells = expected.get(i).split(",");
                assertEquals(cells.length, p[i].length, "row " + i);
                for (int j = 0; j < cells.length; j++) {
                    double want = Double.parseDouble(cells[j]);
                    // float32 network outputs: other CPU kernels may differ in the last bits
                    assertEquals(want, p[i][j], 1e-5 * Math.max(1, Math.abs(want)), name + " row " + i + " output " + j);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "regression", "multiclass"})
    void jsonEntriesReadBackToTheSameBytes(String name) throws Exception {
        Path zip = fixture(name + ".zip");
        String pipeline = entry(zip, ModelStore.PIPELINE);
        assertEquals(pipeline, PipelineJson.toJson(PipelineJson.read(new ByteArrayInputStream(pipeline.getBytes(StandardCharsets.UTF_8)))));
        String spec = entry(zip, ModelStore.SPEC);
        assertEquals(spec, MicromodelSpec.fromJson(spec).toJson());
        String frozen = entry(zip, ModelStore.FROZEN);
        assertEquals(frozen, FrozenMicromodel.fromJson(frozen).toJson());
        // metrics.json said "classification" before the one task kind; it reads as binary (2 classes) or multiclass
        String metrics = entry(zip, ModelStore.METRICS);
        String kind = name.equals("regression") ? "regression" : name;
        assertEquals(metrics.replace("\"kind\" : \"classification\"", "\"kind\" : \"" + kind + "\""),
                StrictJson.write(Metrics.fromJson(metrics, ModelStore.METRICS)));
    }
}

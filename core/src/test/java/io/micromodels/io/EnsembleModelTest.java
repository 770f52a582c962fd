package io.micromodels.io;

import io.micromodels.population.Ensemble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.explain.Explainer;
import io.micromodels.explain.ShapExplainer;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Ensembles: N seeds trained as one population, averaged; saved as one zip that round-trips; the frozen form equals
 * the DL4J members' average; SHAP values of the ensemble are the average of its members' SHAP values.
 */
class EnsembleModelTest {

    static MicromodelSpec spec(PreparedData data, boolean regression) {
        Micromodel m = regression ? Micromodel.regressor() : Micromodel.classifier(2);
        return m.input(data.pipeline().width()).dense(8, Activation.TANH).dropout(0.1).dense(6, Activation.RELU)
                .adam(1e-2).seed(5).epochs(12).patience(4).batchSize(32).build();
    }

    /** The DL4J members' average output on the test split, {@code [n][outputs]} (network units: standardised for regression). */
    static double[][] dl4jAverage(TrainedModel model, DataSet test) {
        INDArray x = test.getFeatures().castTo(DataType.FLOAT);
        double[][] sum = null;
        for (var net : model.members()) {
            double[][] p = net.output(x, false).castTo(DataType.DOUBLE).toDoubleMatrix();
            if (sum == null) {
                sum = new double[p.length][p[0].length];
            }
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < p[i].length; j++) {
                    sum[i][j] += p[i][j] / model.members().size();
                }
            }
        }
        return sum;
    }

    @Test
    void frozenEnsembleEqualsTheDl4jMembersAverageAndTheZipRoundTrips(@TempDir Path tmp) throws Exception {
        for (String name : new String[] {"heart_disease_cleveland", "diabetes_progression"}) {
            PreparedData data = Datasets.load(name).prepare(42);
            boolean regression = name.startsWith("diabetes");
            try (TrainedModel model = Ensemble.train(data, spec(data, regression), 3, name)) {
                assertEquals(3, model.members().size());
                assertTrue(!Arrays.equals(model.members().get(0).params().toFloatVector(),
                        model.members().get(1).params().toFloatVector()), "members differ");
                FrozenMicromodel frozen = Freezer.freeze(model);
                assertEquals(3, frozen.members().size());
                double[][] avg = dl4jAverage(model, data.test());
                double[][] x = data.test().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
                int width = frozen.inputWidth();
                double[] flat = new double[x.length * width];
                for (int i = 0; i < x.length; i++) {
                    System.arraycopy(x[i], 0, flat, i * width, width);
                }
                double[] out = new double[x.length * frozen.outputWidth()];
                frozen.predictFeaturesBatch(flat, x.length, out);
                double scale = frozen.metadata().targetScale();
                double shift = frozen.metadata().targetShift();
                for (int i = 0; i < x.length; i++) {
                    if (regression) {
                        // compared in network units: DL4J computes in float32 (see FrozenNetwork's numerics)
                        assertEquals(avg[i][0], (out[i] - shift) / scale, 1e-5, name + " row " + i);
                    } else {
                        for (int j = 0; j < 2; j++) {
                            assertEquals(avg[i][j], out[i * 2 + j], 1e-6, name + " row " + i + " class " + j);
                        }
                    }
                }
                Path zip = tmp.resolve(name + ".zip");
                ModelStore.save(model, zip, false);
                try (TrainedModel back = ModelStore.load(zip)) {
                    assertEquals(3, back.members().size());
                    double[][] a = model.predict(data.test().getFeatures());
                    double[][] b = back.predict(data.test().getFeatures());
                    for (int i = 0; i < a.length; i++) {
                        assertArrayEquals(a[i], b[i], 0.0, "row " + i);
                    }
                    assertEquals(frozen, FrozenMicromodel.load(zip));
                    assertEquals(model.testMetrics().values(), back.testMetrics().values());
                }
                String info = new String(ModelStore.entry(zip, ModelStore.ENSEMBLE), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(info.contains("\"members\":3") || info.contains("\"members\" : 3"), info);
            }
        }
    }

    @Test
    void shapOfTheEnsembleIsTheAverageOfItsMembersShap() {
        PreparedData data = Datasets.load("heart_disease_cleveland").prepare(42);
        MicromodelSpec spec = spec(data, false);
        try (TrainedModel model = Ensemble.train(data, spec, 3, "heart")) {
            double[][] background = data.train().getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] row = data.test().getFeatures().getRow(3).castTo(DataType.DOUBLE).toDoubleVector();
            double[] ensemble = Explainer.shap(model, background).explain(row).values();
            double[] mean = new double[ensemble.length];
            for (int m = 0; m < 3; m++) {
                TrainedModel member = new TrainedModel(model.members().get(m), spec, data.pipeline(), null, model.provenance());
                ShapExplainer shap = Explainer.shap(member, background);
                double[] v = shap.explain(row).values();
                for (int j = 0; j < v.length; j++) {
                    mean[j] += v[j] / 3;
                }
            }
            for (int j = 0; j < mean.length; j++) {
                assertEquals(mean[j], ensemble[j], 1e-9, "feature " + j);
            }
            assertTrue(Arrays.stream(ensemble).anyMatch(v -> Math.abs(v) > 1e-3), "non-trivial explanation");
        }
    }

    @Test
    void theLoaderIsStrictAboutEntriesAndBadSizesAreNamed(@TempDir Path tmp) throws Exception {
        PreparedData data = Datasets.load("heart_disease_cleveland").prepare(42);
        MicromodelSpec spec = spec(data, false);
        assertEquals("ensemble must be in [1, 64] members, got 0",
                assertThrows(IllegalArgumentException.class, () -> Ensemble.train(data, spec, 0, "x")).getMessage());
        Path zip = tmp.resolve("e.zip");
        try (TrainedModel model = Ensemble.train(data, spec.withSeed(8), 2, "heart")) {
            ModelStore.save(model, zip, false);
        }
        Path extra = rewrite(zip, tmp.resolve("extra.zip"), e -> true, "notes.txt");
        ModelFormatException e1 = assertThrows(ModelFormatException.class, () -> ModelStore.load(extra));
        assertTrue(e1.getMessage().contains("unknown entry 'notes.txt'"), e1.getMessage());
        Path missing = rewrite(zip, tmp.resolve("missing.zip"), e -> !e.equals(ModelStore.memberEntry(1)), null);
        ModelFormatException e2 = assertThrows(ModelFormatException.class, () -> ModelStore.load(missing));
        assertTrue(e2.getMessage().contains("lacks the entry 'members/1/parameters.npy'"), e2.getMessage());
        Path noInfo = rewrite(zip, tmp.resolve("noinfo.zip"), e -> !e.equals(ModelStore.ENSEMBLE), null);
        ModelFormatException e3 = assertThrows(ModelFormatException.class, () -> ModelStore.load(noInfo));
        assertTrue(e3.getMessage().contains("unknown entry 'members/1/parameters.npy'"),
                e3.getMessage());
    }

    /** A copy of a zip keeping the entries {@code keep} accepts, plus an empty entry {@code add} (if not null). */
    static Path rewrite(Path from, Path to, Predicate<String> keep, String add) throws Exception {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream os = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!keep.test(entry.getName())) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream is = in.getInputStream(entry)) {
                    is.transferTo(out);
                }
                out.closeEntry();
            }
            if (add != null) {
                out.putNextEntry(new ZipEntry(add));
                out.closeEntry();
            }
        }
        return to;
    }
}

package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.TestPaths;
import io.micromodels.explain.ExplainReport;
import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code micromodels explain} on a model trained by {@code micromodels train}: it runs on the frozen form (a child JVM
 * loads no ND4J class) and its SHAP values and permutation importance equal those of the DL4J model's report.
 */
class ExplainFrozenTest {
    @TempDir
    static Path dir;
    static Path zip;
    static Path data;

    @BeforeAll
    static void trainWithTheCommandLine() throws Exception {
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, io.micromodels.spec.Micromodel.classifier(2).input(22)
                .dense(8, io.micromodels.frozen.Activation.RELU).epochs(5).patience(0).seed(3).build().toJson());
        Path run = dir.resolve("run");
        CliTest.Run t = CliTest.run("train", "--dataset", "heart_disease_cleveland", "--spec", spec.toString(), "--normalization", "standardize",
                "--out", run.toString(), "--no-report", "--quiet");
        assertEquals(0, t.code(), t.err());
        zip = run.resolve("model.zip");
        List<String> lines = Files.readAllLines(TestPaths.dataset("heart_disease_cleveland.csv"));
        data = dir.resolve("heart40.csv");
        Files.write(data, lines.subList(0, 41));
    }

    @Test
    void explainEqualsTheDl4jModelsReport() throws Exception {
        Path out = dir.resolve("explained");
        CliTest.Run r = CliTest.run("explain", "--model", zip.toString(), "--data", data.toString(), "--rows", "0,7,39",
                "--background", "15", "--repeats", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        ExplainReport reference;
        try (TrainedModel m = ModelStore.load(zip)) {
            reference = ExplainReport.run(m, data, null, ',', ExplainReport.Options.DEFAULTS.withRows(List.of(0, 7, 39))
                    .withBackground(15).withRepeats(2), null);
        }
        assertTrue(r.out().contains("explaining " + reference.outputName() + " of"), r.out());
        List<String> shap = Files.readAllLines(out.resolve("shap_values.csv"), StandardCharsets.UTF_8);
        assertEquals(4, shap.size());
        for (int k = 0; k < 3; k++) {
            String[] f = shap.get(k + 1).split(",");
            assertEquals(String.valueOf(reference.rows().get(k)), f[0]);
            assertEquals(reference.shap().get(k).baseValue(), Double.parseDouble(f[1]), 1e-7);
            double[] v = reference.shap().get(k).values();
            for (int g = 0; g < v.length; g++) {
                assertEquals(v[g], Double.parseDouble(f[2 + g]), 1e-7, "row " + f[0] + " feature " + g);
            }
        }
        List<String> importance = Files.readAllLines(out.resolve("importance.csv"), StandardCharsets.UTF_8);
        for (int g = 0; g < reference.groups().size(); g++) {
            String[] f = importance.get(g + 1).split(",");
            assertEquals(reference.groups().name(g), f[0]);
            assertEquals(reference.permutation().mean()[g], Double.parseDouble(f[1]), 1e-7, f[0]);
        }
    }

    @Test
    void childProcessExplainsWithoutLoadingNd4j() throws Exception {
        Path classLog = dir.resolve("explain-classes.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(javaBin, "-Xlog:class+load=info:file=" + classLog, "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), "io.micromodels.cli.Main", "explain", "--model", zip.toString(),
                "--data", data.toString(), "--rows", "0,1", "--background", "10", "--repeats", "1",
                "--out", dir.resolve("child").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), all);
        assertTrue(all.contains("wrote ") && all.contains("shap_values.csv"), all);
        assertFalse(all.toLowerCase(Locale.ROOT).contains("nd4j"), "an ND4J log line appeared:\n" + all);
        ClassLoadLog.assertFrozenOnly(classLog, "io.micromodels.frozen.FrozenMicromodel");
    }
}

package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, in-process: train, predict, and every kind of bad input. */
class CliTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static Path csv(Path dir, String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void trainThenPredictOnACsvAndNeverOverwrite(@TempDir Path dir) throws IOException {
        Path data = io.micromodels.TestPaths.dataset("breast_cancer_wdbc.csv");
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, io.micromodels.spec.Micromodel.classifier(2).input(30)
                .dense(8, io.micromodels.frozen.Activation.RELU).epochs(5).patience(0).seed(1).build().toJson());
        Path out = dir.resolve("run");
        Run t = run("train", "--data", data.toString(), "--target", "malignant", "--spec", spec.toString(), "--normalization", "standardize",
                "--out", out.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("auc"), t.out());
        Path model = out.resolve("model.zip");
        assertTrue(Files.isRegularFile(model));
        assertTrue(Files.readString(out.resolve("report.html")).contains("Model report: model.zip"), "train writes report.html");
        Path reportDir = dir.resolve("report");
        Run rep = run("report", "--model", model.toString(), "--data", data.toString(), "--out", reportDir.toString());
        assertEquals(0, rep.code(), rep.err());
        String page = Files.readString(reportDir.resolve("report.html"));
        assertTrue(page.contains("\"roc\":{") && !page.contains("src=\"http"), "a self-contained page with a ROC curve");
        Run repAgain = run("report", "--model", model.toString(), "--out", reportDir.toString());
        assertEquals(2, repAgain.code());
        assertTrue(repAgain.err().contains("already exists"), repAgain.err());
        assertEquals(page, Files.readString(reportDir.resolve("report.html")));

        Path preds = dir.resolve("preds.csv");
        Run p = run("predict", "--model", model.toString(), "--data", data.toString(), "--out", preds.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(preds);
        assertEquals(570, lines.size());
        assertEquals("row,p_0,p_1,predicted", lines.get(0));

        // the second run refuses: the predictions file exists, the input is never an output, the run folder is full
        String before = Files.readString(preds);
        Run again = run("predict", "--model", model.toString(), "--data", data.toString(), "--out", preds.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(before, Files.readString(preds));
        Path copy = Files.copy(data, dir.resolve("input.csv"));
        Run onto = run("predict", "--model", model.toString(), "--data", copy.toString(), "--out", copy.toString(), "--force");
        assertEquals(2, onto.code());
        assertTrue(onto.err().contains("is also an input"), onto.err());
        assertEquals(Files.readString(data), Files.readString(copy));
        Run full = run("train", "--data", data.toString(), "--target", "malignant", "--out", out.toString());
        assertEquals(2, full.code());
        assertTrue(full.err().contains("not empty"), full.err());
    }

    @Test
    void missingFileAndMissingTargetAreNamed(@TempDir Path dir) throws IOException {
        Run missing = run("train", "--data", dir.resolve("nope.csv").toString(), "--target", "y", "--out", dir.resolve("o").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.csv") && missing.err().contains("not found"), missing.err());

        Path f = csv(dir, "a.csv", "x1,x2,label", "1,2,a", "3,4,b", "5,6,a", "7,8,b");
        Run noTarget = run("train", "--data", f.toString(), "--target", "class", "--out", dir.resolve("o2").toString());
        assertEquals(2, noTarget.code());
        assertTrue(noTarget.err().contains("'class' not found") && noTarget.err().contains("x1, x2, label"), noTarget.err());
        assertFalse(Files.exists(dir.resolve("o2")), "nothing written when the input is bad");
    }

    @Test
    void aStrayWordInANumericColumnIsNamedOrTreatedAsMissingOnRequest(@TempDir Path dir) throws IOException {
        StringBuilder rows = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 60; i++) {
            rows.append(i == 23 ? "abc" : String.valueOf(i * 0.5)).append(',').append(i % 7).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path dirty = dir.resolve("dirty.csv");
        Files.writeString(dirty, rows.toString());
        Run r = run("train", "--data", dirty.toString(), "--target", "y", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("dirty.csv: column 'x1'") && r.err().contains("line 25 'abc'") && r.err().contains("--bad-cells missing"), r.err());

        r = run("train", "--data", dirty.toString(), "--target", "y", "--bad-cells", "ignore", "--out", dir.resolve("o2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--bad-cells must be 'error' or 'missing', got 'ignore'"), r.err());
        assertFalse(Files.exists(dir.resolve("o2")));

        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, io.micromodels.spec.Micromodel.classifier(2).input(2)
                .dense(4, io.micromodels.frozen.Activation.RELU).epochs(2).patience(0).seed(1).build().toJson());
        r = run("train", "--data", dirty.toString(), "--target", "y", "--bad-cells", "missing", "--spec", spec.toString(), "--normalization", "standardize",
                "--quiet", "--out", dir.resolve("o3").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: column 'x1': 1 cell that is not a number treated as missing (line 25)"), r.err());

        // tune reads the same data flags, checked before anything is written
        r = run("tune", "--data", dirty.toString(), "--target", "y", "--bad-cells", "ignore", "--out", dir.resolve("o4").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--bad-cells must be 'error' or 'missing', got 'ignore'"), r.err());
        assertFalse(Files.exists(dir.resolve("o4")));
    }

    @Test
    void normalizationIsChosenOnTheCommandLineAndSavedInTheModel(@TempDir Path dir) throws IOException {
        StringBuilder rows = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 80; i++) {
            rows.append(i * 0.5).append(',').append(i % 7).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, rows.toString());
        Run r = run("train", "--data", csv.toString(), "--target", "y", "--normalization", "log", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--normalization must be one of standardize, min_max, none, quantile, piecewise_linear, got 'log'"), r.err());
        assertFalse(Files.exists(dir.resolve("o")));

        r = run("train", "--data", csv.toString(), "--target", "y", "--normalization", "piecewise_linear", "--quiet",
                "--out", dir.resolve("o2").toString());
        assertEquals(0, r.code(), r.err());
        try (io.micromodels.train.TrainedModel m = io.micromodels.io.ModelStore.load(dir.resolve("o2").resolve("model.zip"))) {
            assertEquals(io.micromodels.data.Normalization.PIECEWISE_LINEAR, m.pipeline().normalization());
            assertTrue(m.pipeline().featureNames().contains("x1:ple_16"), m.pipeline().featureNames().toString());
        }
    }

    @Test
    void nonNumericRegressionTargetInfiniteFeatureAndEmptyFileAreNamed(@TempDir Path dir) throws IOException {
        StringBuilder rows = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 40; i++) {
            rows.append(i).append(',').append(i % 7).append(',').append(i == 17 ? "lots" : String.valueOf(i * 1.5)).append('\n');
        }
        Path text = dir.resolve("text-target.csv");
        Files.writeString(text, rows.toString());
        Run r = run("train", "--data", text.toString(), "--target", "y", "--task", "regression", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("text-target.csv") && r.err().contains("lots") && r.err().contains("19"), r.err());

        Path inf = dir.resolve("inf.csv");
        Files.writeString(inf, rows.toString().replace("lots", "3").replace("\n5,5,", "\nInfinity,5,"));
        r = run("train", "--data", inf.toString(), "--target", "y", "--out", dir.resolve("o3").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("inf.csv") && r.err().contains("x1") && r.err().contains("Infinity"), r.err());

        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        r = run("train", "--data", empty.toString(), "--target", "y", "--out", dir.resolve("o4").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("empty.csv") && r.err().toLowerCase().contains("empty"), r.err());

        Path header = csv(dir, "header.csv", "x1,x2,y");
        r = run("train", "--data", header.toString(), "--target", "y", "--out", dir.resolve("o5").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("header.csv"), r.err());
    }

    @Test
    void badSpecFileAndBadBackendAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"inputs\": 3, \"colour\": \"red\"}");
        Run r = run("train", "--dataset", "heart_disease_cleveland", "--spec", spec.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("spec.json") && r.err().contains("unknown key 'colour'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = run("--backend", "tpu", "train", "--dataset", "heart_disease_cleveland", "--out", dir.resolve("o2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--backend must be one of [cpu, cuda, auto], got 'tpu'"), r.err());
        r = run("--backend", "cuda", "train", "--dataset", "heart_disease_cleveland", "--out", dir.resolve("o3").toString());
        assertEquals(2, r.code());
        // the message does not depend on which test loaded ND4J first in this JVM, only on the build and machine
        switch (io.micromodels.backend.Backend.probeCuda(CliTest.class.getClassLoader()).state()) {
            case ABSENT -> assertTrue(r.err().contains("CUDA build is absent"), r.err());
            case UNUSABLE -> assertTrue(r.err().contains("no usable GPU"), r.err());
            case USABLE -> assertTrue(r.err().contains("already loaded cpu"), r.err());
        }
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void badQualityFlagsAreOneLineErrorsNamingTheFlag(@TempDir Path dir) {
        String[][] cases = {
            {"--metric", "recall", "--metric must be one of [auc, pr_auc, log_loss, accuracy, f1, rmse, mae], got 'recall'"},
            {"--class-weight", "auto", "--class-weight must be one of [none, balanced], got 'auto'"},
            {"--threshold", "1.5", "--threshold must be auto or a number in (0, 1), got 1.5"},
            {"--threshold", "0", "--threshold must be auto or a number in (0, 1), got 0"},
            {"--threshold", "half", "--threshold must be auto or a number in (0, 1), got 'half'"},
            {"--calibrate", "isotonic", "--calibrate must be one of [none, platt], got 'isotonic'"},
            {"--metric", "rmse", "--metric 'rmse' does not fit a binary task; use one of [auc, pr_auc, log_loss, accuracy, f1]"},
            {"--positive-class", "maybe", "--positive-class 'maybe': "},
        };
        int i = 0;
        for (String[] c : cases) {
            for (String command : new String[] {"train", "tune"}) {
                Run r = run(command, "--dataset", "heart_disease_cleveland", c[0], c[1], "--out", dir.resolve("o" + i++).toString());
                assertEquals(2, r.code(), command + " " + c[0] + " " + c[1] + ": " + r.err());
                assertTrue(r.err().contains(c[2]), r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
            }
        }
        Run r = run("train", "--dataset", "diabetes_progression", "--class-weight", "balanced", "--out", dir.resolve("r").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--class-weight balanced needs a classification task"), r.err());
        r = run("train", "--dataset", "heart_disease_cleveland", "--positive-class", "maybe", "--out", dir.resolve("p").toString());
        assertTrue(r.err().contains("(classes: "), "names the labels seen: " + r.err());
    }
}

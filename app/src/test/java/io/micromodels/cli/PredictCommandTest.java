package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.TestPaths;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.io.ModelStore;
import io.micromodels.spec.Micromodel;
import io.micromodels.train.TrainedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code micromodels predict} on the frozen form, through the command line: the same numbers as the DL4J model,
 * {@code --id-column} copied through, test metrics checked against the written predictions (pairwise AUC, accuracy,
 * RMSE, MAE computed here), unseen categories located, one-line errors; and a child JVM that never loads ND4J.
 */
class PredictCommandTest {
    @TempDir
    static Path dir;
    static Path zip;
    static Path regressionZip;

    @BeforeAll
    static void saveModels() {
        PreparedData data = Datasets.load("german_credit").prepare(42);
        var spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(2).patience(0).build();
        try (TrainedModel model = TrainedModel.train(data, spec, "german_credit")) {
            zip = dir.resolve("model.zip");
            ModelStore.save(model, zip, false);
        }
        PreparedData reg = Datasets.load("diabetes_progression").prepare(7);
        var regSpec = Micromodel.from(TrainedModel.defaultSpec(reg)).epochs(3).patience(0).build();
        try (TrainedModel model = TrainedModel.train(reg, regSpec, "diabetes_progression")) {
            regressionZip = dir.resolve("regression.zip");
            ModelStore.save(model, regressionZip, false);
        }
    }

    /** german_credit.csv with a leading column {@code id} = "g" + line number (an extra column, ignored by the model). */
    private static Path withIds(String name) throws Exception {
        List<String> lines = Files.readAllLines(TestPaths.dataset("german_credit.csv"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        out.add("id," + lines.get(0));
        for (int i = 1; i < lines.size(); i++) out.add("g" + (i + 1) + "," + lines.get(i));
        Path f = dir.resolve(name);
        Files.write(f, out);
        return f;
    }

    @Test
    void predictsLikeTheTrainedModelCopiesIdsAndPrintsMetrics() throws Exception {
        Path data = withIds("ids.csv");
        Path preds = dir.resolve("preds.csv");
        CliTest.Run r = CliTest.run("predict", "--model", zip.toString(), "--data", data.toString(), "--out", preds.toString(),
                "--id-column", "id", "--id-column", "purpose");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(preds);
        assertEquals(1001, lines.size());
        assertEquals("row,id,purpose,p_bad,p_good,predicted", lines.get(0));
        assertTrue(r.out().contains("(column row: the 0-based data row, the header not counted)"), r.out());
        // the target is read for metrics only; the id column is copied; neither is a model input, only class is unnamed
        assertTrue(r.out().contains("note: column class of " + data + " is not a model input and ignored\n"), r.out());

        // the DL4J model scores the same rows (its own reader and pipeline) to the printed precision
        Table table = Table.read(data, ',');
        double[][] expected;
        List<String> classes;
        int[] expectedLabel;
        try (TrainedModel m = ModelStore.load(zip)) {
            expected = m.predict(table);
            classes = m.pipeline().task().classes();
            expectedLabel = new int[expected.length];
            for (int i = 0; i < expected.length; i++) expectedLabel[i] = m.predictedClass(expected[i]);
        }
        assertEquals(List.of("bad", "good"), classes);
        int target = table.indexOf("class");
        Matcher m = Pattern.compile("test metrics on 1000 rows with a known 'class': accuracy ([0-9.]+), auc ([0-9.]+)( \\(positive class (bad|good)\\))?\n")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        String positive = m.group(4) == null ? "good" : m.group(4); // either class gives the same AUC
        int score = 3 + classes.indexOf(positive);
        int hits = 0;
        List<double[]> pos = new ArrayList<>();
        List<double[]> neg = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(String.valueOf(i), f[0], "row is the 0-based data row");
            assertEquals("g" + (i + 2), f[1]);
            assertEquals(table.cell(i, table.indexOf("purpose")), f[2]);
            for (int c = 0; c < 2; c++) {
                assertEquals(expected[i][c], Double.parseDouble(f[3 + c]), 1e-5, "row " + (i + 1));
            }
            assertEquals(classes.get(expectedLabel[i]), f[5], "row " + (i + 1));
            String truth = table.cell(i, target);
            if (truth.equals(f[5])) hits++;
            (truth.equals(positive) ? pos : neg).add(new double[] {Double.parseDouble(f[score])});
        }
        // AUC by counting pairs (ties one half), independent of the rank-sum code
        double pairs = 0;
        for (double[] a : pos) {
            for (double[] b : neg) pairs += a[0] > b[0] ? 1 : a[0] == b[0] ? 0.5 : 0;
        }
        double auc = pairs / ((double) pos.size() * neg.size());
        assertEquals(hits / 1000.0, Double.parseDouble(m.group(1)), 1e-4);
        assertEquals(auc, Double.parseDouble(m.group(2)), 2e-4); // printed probabilities are rounded to 6 digits
    }

    @Test
    void multiclassMetricsAreAccuracyAndMacroF1OfTheWrittenLabels() throws Exception {
        StringBuilder rows = new StringBuilder("x1,x2,y\n");
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 150; i++) {
            double x = rnd.nextDouble() * 3;
            rows.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", x, rnd.nextGaussian(), x < 1 ? "lo" : x < 2 ? "mid" : "hi"));
        }
        Path csv = dir.resolve("three.csv");
        Files.writeString(csv, rows.toString());
        Path spec = dir.resolve("three-spec.json");
        Files.writeString(spec, Micromodel.classifier(3).input(2).dense(8, io.micromodels.frozen.Activation.RELU)
                .epochs(20).patience(0).seed(1).build().toJson());
        CliTest.Run t = CliTest.run("train", "--data", csv.toString(), "--target", "y", "--spec", spec.toString(), "--normalization", "standardize",
                "--out", dir.resolve("three-run").toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        Path preds = dir.resolve("three-preds.csv");
        CliTest.Run r = CliTest.run("predict", "--model", dir.resolve("three-run/model.zip").toString(), "--data", csv.toString(),
                "--out", preds.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(preds);
        assertEquals("row,p_hi,p_lo,p_mid,predicted", lines.get(0));
        List<String> truth = rows.toString().lines().skip(1).map(l -> l.substring(l.lastIndexOf(',') + 1)).toList();
        List<String> classes = List.of("hi", "lo", "mid");
        int hits = 0;
        double f1Sum = 0;
        int present = 0;
        for (String c : classes) {
            int tp = 0;
            int trueC = 0;
            int predC = 0;
            for (int i = 0; i < truth.size(); i++) {
                String pred = lines.get(i + 1).substring(lines.get(i + 1).lastIndexOf(',') + 1);
                if (truth.get(i).equals(c)) trueC++;
                if (pred.equals(c)) predC++;
                if (truth.get(i).equals(c) && pred.equals(c)) tp++;
            }
            hits += tp;
            if (trueC + predC > 0) {
                present++;
                double precision = predC == 0 ? 0 : (double) tp / predC;
                double recall = (double) tp / trueC;
                f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            }
        }
        Matcher m = Pattern.compile("test metrics on 150 rows with a known 'y': accuracy ([0-9.]+), macro F1 ([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(hits / 150.0, Double.parseDouble(m.group(1)), 1e-4);
        assertEquals(f1Sum / present, Double.parseDouble(m.group(2)), 1e-4);
    }

    @Test
    void regressionMetricsMatchTheWrittenPredictions() throws Exception {
        Path data = TestPaths.dataset("diabetes_progression.csv");
        Path preds = dir.resolve("reg.csv");
        CliTest.Run r = CliTest.run("predict", "--model", regressionZip.toString(), "--data", data.toString(), "--out", preds.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(preds);
        Table table = Table.read(data, ',');
        String target;
        double[][] expected;
        try (TrainedModel m = ModelStore.load(regressionZip)) {
            target = m.pipeline().task().target();
            expected = m.predict(table);
        }
        assertEquals("row," + target, lines.get(0));
        int t = table.indexOf(target);
        double se = 0;
        double ae = 0;
        int n = table.rowCount();
        for (int i = 0; i < n; i++) {
            double pred = Double.parseDouble(lines.get(i + 1).split(",")[1]);
            assertEquals(expected[i][0], pred, 1e-5 * Math.max(1, Math.abs(expected[i][0])));
            double d = Double.parseDouble(table.cell(i, t)) - pred;
            se += d * d;
            ae += Math.abs(d);
        }
        Matcher m = Pattern.compile("test metrics on " + n + " rows with a numeric '" + target + "': rmse ([0-9.eE+-]+), mae ([0-9.eE+-]+)")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(Math.sqrt(se / n), Double.parseDouble(m.group(1)), 1e-4 * Math.sqrt(se / n));
        assertEquals(ae / n, Double.parseDouble(m.group(2)), 1e-4 * ae / n);
    }

    @Test
    void badIdColumnMissingInputAndUnseenCategoriesAreNamed() throws Exception {
        Path data = withIds("ids2.csv");
        Path preds = dir.resolve("never.csv");
        CliTest.Run r = CliTest.run("predict", "--model", zip.toString(), "--data", data.toString(), "--out", preds.toString(),
                "--id-column", "customer");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--id-column 'customer' is not a column of " + data), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(preds));

        Path noAge = CliTest.csv(dir, "noage.csv", "duration,class", "6,good");
        r = CliTest.run("predict", "--model", zip.toString(), "--data", noAge.toString(), "--out", preds.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("noage.csv: missing input columns checking_status, credit_history"), r.err());
        assertFalse(Files.exists(preds));

        // a word in a numeric column: file, line and column named, nothing written
        List<String> g = Files.readAllLines(TestPaths.dataset("german_credit.csv"));
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, List.of(g.get(0), g.get(1), g.get(2).replaceFirst(",\\d+,", ",six,")));
        r = CliTest.run("predict", "--model", zip.toString(), "--data", bad.toString(), "--out", preds.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.csv: line 3: ") && r.err().contains("'duration'") && r.err().contains("'six'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(preds));

        // file lines 3 and 4 (data rows 1 and 2, 0-based) carry a purpose never seen in training; no target, no metrics
        List<String> lines = Files.readAllLines(TestPaths.dataset("german_credit.csv"));
        String header = lines.get(0).replace(",class", "");
        List<String> rows = new ArrayList<>(List.of(header));
        for (int i = 1; i <= 4; i++) {
            String row = lines.get(i).substring(0, lines.get(i).lastIndexOf(','));
            rows.add(i == 2 || i == 3 ? row.replace(",radio/tv,", ",spaceship,").replace(",education,", ",spaceship,")
                    .replace(",furniture/equipment,", ",spaceship,").replace(",new car,", ",spaceship,") : row);
        }
        Path unseen = dir.resolve("unseen.csv");
        Files.write(unseen, rows);
        r = CliTest.run("predict", "--model", zip.toString(), "--data", unseen.toString(), "--out", preds.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 4 predictions to " + preds), r.out());
        assertTrue(r.out().contains("warning: 2 unseen categorical values (not in training, encoded as all zeros) in 2 rows: "
                + "row 1 purpose='spaceship', row 2 purpose='spaceship'\n"), r.out());
        assertFalse(r.out().contains("not a model input"), "every column of unseen.csv is an input: " + r.out());
        assertFalse(r.out().contains("test metrics"), r.out());
    }

    @Test
    void childProcessPredictsWithoutLoadingNd4j() throws Exception {
        Path classLog = dir.resolve("predict-classes.log");
        Path preds = dir.resolve("child.csv");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(javaBin, "-Xlog:class+load=info:file=" + classLog, "-cp", System.getProperty("java.class.path"),
                "io.micromodels.cli.Main", "predict", "--model", zip.toString(), "--data",
                TestPaths.dataset("german_credit.csv").toString(), "--out", preds.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), all);
        assertTrue(all.contains("wrote 1000 predictions"), all);
        assertFalse(all.toLowerCase(Locale.ROOT).contains("nd4j"), "an ND4J log line appeared:\n" + all);
        assertEquals(1001, Files.readAllLines(preds).size());
        ClassLoadLog.assertFrozenOnly(classLog, "io.micromodels.frozen.FrozenMicromodel");
    }
}

package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.io.ModelStore;
import io.micromodels.spec.Micromodel;
import io.micromodels.train.TrainedModel;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code micromodels explain} end to end on a small slice of the heart disease data. */
class ExplainCommandTest {

    @TempDir
    static Path tmp;
    static Path model;
    static Path data;
    static Path unlabelled;
    static final int ROWS = 30;

    @BeforeAll
    static void trainAndSave() throws Exception {
        PreparedData heart = Datasets.load("heart_disease_cleveland").prepare(42);
        try (TrainedModel m = TrainedModel.train(heart,
                Micromodel.from(TrainedModel.defaultSpec(heart)).epochs(10).patience(0).build(), "heart")) {
            model = tmp.resolve("model.zip");
            ModelStore.save(m, model, false);
        }
        List<String> lines = Files.readAllLines(io.micromodels.TestPaths.dataset("heart_disease_cleveland.csv"));
        data = tmp.resolve("heart30.csv");
        Files.write(data, lines.subList(0, ROWS + 1));
        // the same rows without the target column "disease" (the last one)
        List<String> cut = new ArrayList<>();
        for (String l : lines.subList(0, ROWS + 1)) cut.add(l.substring(0, l.lastIndexOf(',')));
        unlabelled = tmp.resolve("heart30-unlabelled.csv");
        Files.write(unlabelled, cut);
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesCsvAndPlotsAndRefusesToOverwrite() throws Exception {
        Path dir = tmp.resolve("explained");
        Run r = run("explain", "--model", model.toString(), "--data", data.toString(), "--rows", "0,3,3,7-8",
                "--background", "20", "--out", dir.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("explaining P(disease = 1)"), r.out());
        assertTrue(r.out().contains("permutation importance: AUC on the 30 rows"), r.out());
        assertTrue(r.out().contains("global importance"), r.out());

        // shap_values.csv: row, base value, one column per original feature, output; local accuracy holds
        List<String> shap = Files.readAllLines(dir.resolve("shap_values.csv"), StandardCharsets.UTF_8);
        String[] header = shap.get(0).split(",");
        assertEquals("row", header[0]);
        assertEquals("base_value", header[1]);
        assertEquals("output", header[header.length - 1]);
        assertEquals(13 + 3, header.length, shap.get(0));
        assertEquals(List.of("0", "3", "7", "8"), shap.subList(1, shap.size()).stream().map(l -> l.split(",")[0]).toList());
        for (String line : shap.subList(1, shap.size())) {
            String[] v = line.split(",");
            double sum = 0;
            for (int i = 1; i < v.length - 1; i++) sum += Double.parseDouble(v[i]);
            assertEquals(Double.parseDouble(v[v.length - 1]), sum, 1e-6, line);
        }

        // feature_values.csv: the raw cells of the explained rows
        List<String> raw = Files.readAllLines(data);
        List<String> fv = Files.readAllLines(dir.resolve("feature_values.csv"));
        assertEquals("row," + String.join(",", List.of(header).subList(2, header.length - 1)), fv.get(0));
        String[] row3 = raw.get(3 + 1).split(",", -1);
        String[] fv3 = fv.get(2).split(",", -1);
        assertEquals("3", fv3[0]);
        assertEquals(row3[0], fv3[1], "age of row 3");

        List<String> importance = Files.readAllLines(dir.resolve("importance.csv"));
        assertEquals("feature,permutation_mean,permutation_std,mean_abs_shap", importance.get(0));
        assertEquals(14, importance.size());

        for (String png : List.of("permutation_importance.png", "shap_importance.png", "shap_summary.png",
                "waterfall_row_0.png", "waterfall_row_3.png", "waterfall_row_7.png", "waterfall_row_8.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertNotNull(img, png);
            assertEquals(1000, img.getWidth(), png);
        }

        // a second run into the same folder is refused and changes nothing
        FileTime before = Files.getLastModifiedTime(dir.resolve("shap_values.csv"));
        Run again = run("explain", "--model", model.toString(), "--data", data.toString(), "--rows", "1",
                "--out", dir.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists and is not empty") && again.err().contains("--force"), again.err());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("shap_values.csv")));
        assertFalse(Files.exists(dir.resolve("waterfall_row_1.png")));
    }

    @Test
    void rowOutOfRangeIsAClearError() {
        Path dir = tmp.resolve("never");
        Run r = run("explain", "--model", model.toString(), "--data", data.toString(), "--rows", "2," + ROWS,
                "--out", dir.toString());
        assertEquals(2, r.code());
        assertEquals("error: --rows: row 30 is out of range: " + data + " has 30 data rows (rows are 0-based, so 0 to 29)",
                r.err().strip());
        assertFalse(Files.exists(dir), "nothing is written on a bad --rows");

        r = run("explain", "--model", model.toString(), "--data", data.toString(), "--rows", "x1", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'x1' is not a row number"), r.err());
    }

    @Test
    void withoutTheTargetColumnPermutationIsSkipped() throws Exception {
        Path dir = tmp.resolve("unlabelled");
        Run r = run("explain", "--model", model.toString(), "--data", unlabelled.toString(), "--all",
                "--background", "10", "--out", dir.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("has no target column 'disease', so permutation importance is skipped"), r.out());
        assertTrue(r.out().contains("explained 30/30 rows"), r.out());
        assertFalse(Files.exists(dir.resolve("permutation_importance.png")));
        assertTrue(Files.exists(dir.resolve("shap_summary.png")));
        assertEquals(ROWS + 1, Files.readAllLines(dir.resolve("shap_values.csv")).size());
        long waterfalls;
        try (var s = Files.list(dir)) {
            waterfalls = s.filter(p -> p.getFileName().toString().startsWith("waterfall_row_")).count();
        }
        assertEquals(ExplainCommand.MAX_WATERFALLS, waterfalls);
    }

    @Test
    void unknownClassIsAClearError() {
        Run r = run("explain", "--model", model.toString(), "--data", data.toString(), "--rows", "0", "--class", "maybe",
                "--out", tmp.resolve("nope").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: --class: unknown class 'maybe'") && r.err().contains("classes: 0, 1"), r.err());
    }
}

package io.micromodels.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.TestPaths;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.spec.Micromodel;
import io.micromodels.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explain report as a library call, on a model of the heart disease data and its first 30 rows. */
class ExplainReportTest {

    @TempDir
    static Path tmp;
    static TrainedModel model;
    static Table labelled;
    static Table unlabelled;

    @BeforeAll
    static void train() throws Exception {
        PreparedData heart = Datasets.load("heart_disease_cleveland").prepare(42);
        model = TrainedModel.train(heart, Micromodel.from(TrainedModel.defaultSpec(heart)).epochs(10).patience(0).build(),
                "heart");
        List<String> lines = Files.readAllLines(TestPaths.dataset("heart_disease_cleveland.csv")).subList(0, 31);
        labelled = Table.parse(String.join("\n", lines) + "\n", "heart30.csv", ',');
        List<String> cut = new ArrayList<>();
        for (String l : lines) cut.add(l.substring(0, l.lastIndexOf(',')));   // without the target "disease"
        unlabelled = Table.parse(String.join("\n", cut) + "\n", "heart30-unlabelled.csv", ',');
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void optionsAreValidatedNamingTheOption() {
        ExplainReport.Options d = ExplainReport.Options.DEFAULTS;
        ExplainReport.OptionException e = assertThrows(ExplainReport.OptionException.class, () -> d.withBackground(0));
        assertEquals("background", e.option());
        assertEquals("background must be in [1, 10000], got 0", e.getMessage());
        e = assertThrows(ExplainReport.OptionException.class, () -> d.withRepeats(1001));
        assertEquals("repeats must be in [1, 1000], got 1001", e.getMessage());
        e = assertThrows(ExplainReport.OptionException.class, () -> d.withRows(List.of(2, -1)));
        assertEquals("rows", e.option());
        e = assertThrows(ExplainReport.OptionException.class,
                () -> new ExplainReport.Options(List.of(1), true, null, 100, BackgroundOptions.Method.RANDOM, 5, 42));
        assertEquals("all", e.option());
        assertEquals(List.of(3, 1, 7), d.withRows(List.of(3, 1, 3, 7, 1)).rows(), "order kept, duplicates dropped");
    }

    @Test
    void rowsAreTheGivenOnesAllOrASeededSample() {
        ExplainReport.Options d = ExplainReport.Options.DEFAULTS;
        assertEquals(List.of(4, 0), ExplainReport.chooseRows(d.withRows(List.of(4, 0)), 5, "x.csv"));
        ExplainReport.OptionException e = assertThrows(ExplainReport.OptionException.class,
                () -> ExplainReport.chooseRows(d.withRows(List.of(2, 30)), 30, "x.csv"));
        assertEquals("rows: row 30 is out of range: x.csv has 30 data rows (rows are 0-based, so 0 to 29)", e.getMessage());
        assertEquals(150, ExplainReport.chooseRows(d, 150, "x.csv").size(), "all rows when fewer than the sample");
        assertEquals(1000, ExplainReport.chooseRows(d.withAll(), 1000, "x.csv").size());

        List<Integer> sample = ExplainReport.chooseRows(d, 1000, "x.csv");
        assertEquals(ExplainReport.DEFAULT_SAMPLE, sample.size());
        assertEquals(ExplainReport.DEFAULT_SAMPLE, new HashSet<>(sample).size(), "distinct rows");
        for (int k = 1; k < sample.size(); k++) assertTrue(sample.get(k - 1) < sample.get(k), "in row order");
        assertTrue(sample.get(0) >= 0 && sample.get(sample.size() - 1) < 1000);
        assertEquals(sample, ExplainReport.chooseRows(d, 1000, "x.csv"), "seeded");
        assertNotEquals(sample, ExplainReport.chooseRows(d.withSeed(43), 1000, "x.csv"), "another seed, another sample");
        // a uniform sample of 200 of 1000 rows has mean about 499.5 (sd of the mean about 20)
        double mean = sample.stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertTrue(Math.abs(mean - 499.5) < 100, "mean row " + mean);
    }

    @Test
    void explainsTheChosenRowsAsTheModelPredictsThem() throws Exception {
        List<String> progress = new ArrayList<>();
        ExplainReport report = ExplainReport.run(model, labelled, null,
                ExplainReport.Options.DEFAULTS.withRows(List.of(0, 3, 7, 8)).withBackground(20), progress::add);
        assertEquals(List.of(0, 3, 7, 8), report.rows());
        assertEquals(30, report.dataRows());
        assertEquals(20, report.backgroundSize());
        assertTrue(report.outputName().startsWith("P(disease = "), report.outputName());
        assertTrue(progress.get(0).startsWith("explaining P(disease = "), progress.toString());

        // outputs are the model's own probabilities of the positive class; the SHAP values add up to them
        double[][] p = model.predict(labelled);
        int positive = model.pipeline().task().positiveClass();
        for (int k = 0; k < report.rows().size(); k++) {
            ShapExplanation e = report.shap().get(k);
            assertEquals(p[report.rows().get(k)][positive], e.output(), 1e-5, "row " + report.rows().get(k));
            double sum = e.baseValue();
            for (double v : e.values()) sum += v;
            assertEquals(e.output(), sum, 1e-9, "additivity");
        }

        // permutation importance over all 30 rows, and the order it gives
        PermutationImportance pi = report.permutation();
        assertNotNull(pi);
        assertNull(report.permutationSkipped());
        List<Integer> order = report.importanceOrder();
        for (int k = 1; k < order.size(); k++) {
            assertTrue(pi.mean()[order.get(k - 1)] >= pi.mean()[order.get(k)]);
        }

        // the CSV files hold the same numbers and the raw cells
        Path dir = tmp.resolve("report");
        List<Path> files = report.writeCsv(dir);
        assertEquals(ExplainReport.CSV_FILES, files.stream().map(f -> f.getFileName().toString()).toList());
        List<String> shap = Files.readAllLines(dir.resolve("shap_values.csv"));
        assertEquals(1 + 4, shap.size());
        String[] line = shap.get(2).split(",");
        assertEquals("3", line[0]);
        ShapExplanation e3 = report.shap().get(1);
        assertEquals(e3.baseValue(), Double.parseDouble(line[1]), 1e-7 * Math.abs(e3.baseValue()));
        assertEquals(e3.output(), Double.parseDouble(line[line.length - 1]), 1e-7 * Math.abs(e3.output()));
        List<String> fv = Files.readAllLines(dir.resolve("feature_values.csv"));
        int age = labelled.indexOf("age");
        int ageColumn = List.of(fv.get(0).split(",")).indexOf("age");
        assertEquals(labelled.row(7)[age], fv.get(3).split(",")[ageColumn], "age of row 7");
        List<String> imp = Files.readAllLines(dir.resolve("importance.csv"));
        assertEquals(1 + report.groups().size(), imp.size());
    }

    @Test
    void withoutTheTargetPermutationImportanceIsSkippedAndAnUnknownClassNamesTheOption() {
        ExplainReport report = ExplainReport.run(model, unlabelled, labelled,
                ExplainReport.Options.DEFAULTS.withRows(List.of(1)).withBackground(10), null);
        assertNull(report.permutation());
        assertTrue(report.permutationSkipped().contains("no target column 'disease'"), report.permutationSkipped());
        assertEquals(List.of(1), report.rows());

        ExplainReport.OptionException e = assertThrows(ExplainReport.OptionException.class, () -> ExplainReport.run(
                model, labelled, null, ExplainReport.Options.DEFAULTS.withClassLabel("maybe"), null));
        assertEquals("class", e.option());
        assertTrue(e.getMessage().startsWith("class: unknown class 'maybe'"), e.getMessage());
    }
}

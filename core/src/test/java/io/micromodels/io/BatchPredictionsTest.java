package io.micromodels.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.TestPaths;
import io.micromodels.data.DataException;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.spec.Micromodel;
import io.micromodels.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch predictions of the frozen form against the DL4J model they come from, on the first 60 German credit rows. */
class BatchPredictionsTest {

    @TempDir
    static Path tmp;
    static TrainedModel model;
    static FrozenMicromodel frozen;
    static Table table;

    @BeforeAll
    static void train() throws Exception {
        PreparedData credit = Datasets.load("german_credit").prepare(42);
        model = TrainedModel.train(credit, Micromodel.from(TrainedModel.defaultSpec(credit)).epochs(10).patience(0).build(),
                "german_credit");
        frozen = Freezer.freeze(model);
        List<String> lines = Files.readAllLines(TestPaths.dataset("german_credit.csv")).subList(0, 61);
        table = Table.parse(String.join("\n", lines) + "\n", "credit60.csv", ',');
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void outputsAreTheTrainedModelsProbabilitiesInTrainingClassOrder() {
        BatchPredictions p = BatchPredictions.score(frozen, table);
        double[][] dl4j = model.predict(table);                     // [60][2], the training's class order
        List<String> classes = model.pipeline().task().classes();
        assertEquals(60, p.rows());
        assertEquals(classes.stream().map(c -> "p_" + c).toList(), p.outputColumns());
        for (int i = 0; i < 60; i++) {
            double[] o = p.outputs(i);
            for (int c = 0; c < 2; c++) assertEquals(dl4j[i][c], o[c], 1e-5, "row " + i + " class " + c);
            String argmax = classes.get(o[1] > o[0] ? 1 : 0);
            assertEquals(argmax, p.predicted(i), "row " + i);   // no decision: the most probable class
        }
        assertEquals(0, p.unseenCategories());
    }

    @Test
    void metricsAgainstTheTargetColumnMatchCountsAndPairs() {
        BatchPredictions p = BatchPredictions.score(frozen, table);
        int target = table.indexOf("class");
        List<String> classes = model.pipeline().task().classes();
        int positive = model.pipeline().task().positiveClass();
        int correct = 0;
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (p.predicted(i).equals(table.cell(i, target))) correct++;
            double score = p.outputs(i)[positive];
            (table.cell(i, target).equals(classes.get(positive)) ? pos : neg).add(score);
        }
        double pairs = 0;   // AUC as the share of (positive, negative) pairs ranked right, ties half
        for (double a : pos) for (double b : neg) pairs += a > b ? 1 : a == b ? 0.5 : 0;
        BatchPredictions.TargetMetrics m = p.targetMetrics().orElseThrow();
        assertEquals(60, m.rows());
        assertEquals(0, m.skipped());
        assertEquals(correct / 60.0, m.values().get("accuracy"), 1e-12);
        assertEquals(pairs / (pos.size() * (double) neg.size()), m.values().get("auc"), 1e-12);
        assertTrue(m.describe().startsWith("test metrics on 60 rows with a known 'class': accuracy "), m.describe());
    }

    @Test
    void writesRowsIdsOutputsAndTheClassAndNamesMissingColumns() throws Exception {
        BatchPredictions p = BatchPredictions.score(frozen, table);
        Path out = tmp.resolve("preds.csv");
        p.writeCsv(out, false, List.of("age"));
        List<String> lines = Files.readAllLines(out);
        assertEquals(61, lines.size());
        assertEquals("row,age," + String.join(",", p.outputColumns()) + ",predicted", lines.get(0));
        String[] first = lines.get(1).split(",");
        assertEquals("0", first[0], "row is the 0-based data row");
        assertEquals(table.cell(0, table.indexOf("age")), first[1]);
        assertEquals(p.outputs(0)[0], Double.parseDouble(first[2]), 1e-5 * p.outputs(0)[0]);
        assertEquals(p.predicted(0), first[4]);
        assertThrows(java.io.UncheckedIOException.class, () -> p.writeCsv(out, false, List.of()), "no silent replace");

        List<String> header = new ArrayList<>(table.header());
        header.remove("duration");
        header.remove("age");
        DataException e = assertThrows(DataException.class, () -> BatchPredictions.score(frozen,
                Table.of("cut.csv", header, List.of())));
        assertTrue(e.getMessage().startsWith("cut.csv: missing input columns duration, age (expected "), e.getMessage());
    }

    @Test
    void countsUnseenCategoricalValuesPerRow() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) rows.add(table.row(i).clone());
        int purpose = table.indexOf("purpose");
        rows.get(1)[purpose] = "space travel";
        rows.get(3)[purpose] = "time travel";
        BatchPredictions p = BatchPredictions.score(frozen, Table.of("unseen.csv", table.header(), rows));
        assertTrue(p.countsUnseen());
        assertEquals(2, p.unseenCategories());
        assertEquals(List.of(1, 3), p.unseenRows(), "0-based data rows");
        assertEquals(List.of(new BatchPredictions.UnseenCategory(1, "purpose", "space travel"),
                new BatchPredictions.UnseenCategory(3, "purpose", "time travel")), p.unseenCells());
        assertTrue(p.ignoredColumns().contains("class") && !p.ignoredColumns().contains("purpose"), p.ignoredColumns().toString());
    }
}

package io.micromodels.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.TaskKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data report's warnings, on tables small enough to count by hand. */
class DataWarningsTest {

    private static final int[] TEN_CLASSES = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};

    private static DataWarnings.Column numeric(String name, ColumnKind kind, double... x) {
        String[] cells = new String[x.length];
        for (int i = 0; i < x.length; i++) {
            cells[i] = Double.isNaN(x[i]) ? "" : (kind == ColumnKind.INTEGER ? String.valueOf((long) x[i]) : String.valueOf(x[i]));
        }
        return new DataWarnings.Column(name, kind, cells, x);
    }

    private static DataWarnings.Column text(String name, String... cells) {
        return new DataWarnings.Column(name, ColumnKind.CATEGORICAL, cells, null);
    }

    @Test
    void aucCountsPairsWithTiesAsHalf() {
        // positives score {1, 3}, negatives {1, 2}: pairs (1,1) = 1/2, (1,2) = 0, (3,1) = 1, (3,2) = 1 -> 2.5 / 4
        assertEquals(0.625, DataWarnings.auc(new double[] {1, 1, 2, 3}, new int[] {0, 1, 0, 1}, 1), 1e-12);
        // positives at ranks 2, 4, 6, 8, 10 of 1..10: (30 - 15) / 25
        assertEquals(0.6, DataWarnings.auc(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, 1), 1e-12);
    }

    @Test
    void idLikeColumnsAreUniquePerRowOrMonotoneIntegers() {
        List<String> w = DataWarnings.check(List.of(
                text("code", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
                numeric("batch", ColumnKind.INTEGER, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8),          // non-decreasing, 8 values
                numeric("age", ColumnKind.INTEGER, 30, 41, 30, 52, 41, 30, 60, 52, 41, 30),  // neither
                numeric("price", ColumnKind.NUMERIC, 1.5, 2.5, 0.5, 3.5, 4.5, 1.25, 2.25, 0.75, 3.25, 4.25)), // floats: unique is normal
                TaskKind.BINARY, new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, 1, null);
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).contains("'code' looks like an ID: its value differs in every one of the 10 used rows"), w.get(0));
        assertTrue(w.get(1).contains("'batch' looks like an ID: its integers increase with the row number"), w.get(1));
    }

    @Test
    void aColumnThatAloneSeparatesTheTargetIsNamedWithItsAuc() {
        // 'leak': every negative below every positive, AUC 1; 'weak': one swap of ten, 24/25 = 0.96 is not above 0.98
        List<String> w = DataWarnings.check(List.of(
                numeric("leak", ColumnKind.NUMERIC, 0.1, 0.2, 0.3, 0.4, 0.5, 1.1, 1.2, 1.3, 1.4, 1.5),
                numeric("weak", ColumnKind.NUMERIC, 0.1, 0.2, 0.3, 0.4, 1.15, 0.5, 1.2, 1.3, 1.4, 1.5),
                text("colour", "red", "red", "red", "red", "red", "blue", "blue", "blue", "blue", "blue"),
                text("size", "s", "s", "m", "m", "l", "s", "m", "l", "l", "s")),
                TaskKind.BINARY, TEN_CLASSES, 1, null);
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).contains("'leak' alone separates the target (single-column ROC AUC 1.000 > 0.98)"), w.get(0));
        assertTrue(w.get(1).contains("'colour' alone separates the target"), w.get(1));
        assertEquals(24.0 / 25, DataWarnings.auc(new double[] {0.1, 0.2, 0.3, 0.4, 1.15, 0.5, 1.2, 1.3, 1.4, 1.5}, TEN_CLASSES, 1), 1e-12);
    }

    @Test
    void bigTablesAreCheckedOnAnEveryKthRowSample() {
        int n = 250_001;   // k = 3: rows 0, 3, 6, ... (83,334 of them)
        int[] classes = new int[n];
        double[] leak = new double[n];
        double[] half = new double[n];
        for (int i = 0; i < n; i++) {
            classes[i] = i % 2;
            leak[i] = classes[i] + 0.001 * (i % 7);     // separates: AUC 1
            half[i] = (i / 2) % 2;                      // independent of the class on every row and on the sample
        }
        List<String> w = DataWarnings.check(List.of(numeric("leak", ColumnKind.NUMERIC, leak), numeric("half", ColumnKind.NUMERIC, half)),
                TaskKind.BINARY, classes, 1, null);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("'leak' alone separates the target (single-column ROC AUC 1.000"), w.get(0));
    }

    @Test
    void regressionUsesRSquared() {
        double[] y = {1, 3, 2, 5, 4, 7, 6, 9, 8, 10};
        double[] exact = new double[10];
        for (int i = 0; i < 10; i++) {
            exact[i] = 2 * y[i] + 1;   // R² = 1
        }
        List<String> w = DataWarnings.check(List.of(numeric("twice", ColumnKind.NUMERIC, exact),
                        numeric("noise", ColumnKind.NUMERIC, 5, 1, 4, 2, 3, 5, 1, 4, 2, 3)),
                TaskKind.REGRESSION, null, -1, y);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("'twice' alone explains the target (R² 1.000 > 0.98)"), w.get(0));
        // R² of y on x = (0, 0, 1, 1): group means 2 and 4 of y = (1, 3, 3, 5): between SS 4, total SS 8 -> 0.5
        assertEquals(0.5, DataWarnings.pearsonR2(new double[] {0, 0, 1, 1}, new double[] {1, 3, 3, 5}), 1e-12);
        assertEquals(0.5, DataWarnings.categoryR2(new String[] {"a", "a", "b", "b"}, new double[] {1, 3, 3, 5}), 1e-12);
    }

    @Test
    void constantAndEmptyColumnsAreNamedThroughThePipeline() {
        StringBuilder csv = new StringBuilder("x,same,empty,y\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i % 5 * 1.5).append(",k,,").append(i % 2 == 0 ? "no" : "yes").append('\n');
        }
        PreparedData d = DataPipeline.prepare(csv.toString().getBytes(StandardCharsets.UTF_8), "t.csv", DataOptions.of("y"));
        String report = d.report().toString();
        assertTrue(report.contains("warning: column 'empty' is empty (every cell missing): dropped"), report);
        assertTrue(report.contains("warning: column 'same' is constant ('k' in every used row)"), report);
        // 20 rows of 5 distinct (x, y) pairs... x = i % 5 * 1.5 and y = i % 2: pairs repeat every 10 rows -> 10 duplicates
        assertEquals(10, d.report().duplicateRows());
        assertTrue(report.contains("duplicates: 10 rows equal in every column to an earlier row were dropped"), report);
    }

    @Test
    void keepDuplicatesKeepsThem() {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 4).append(',').append(i % 2 == 0 ? "no" : "yes").append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(4, DataPipeline.prepare(bytes, "t.csv", DataOptions.of("y")).report().rowsUsed());
        PreparedData kept = DataPipeline.prepare(bytes, "t.csv", DataOptions.builder("y").keepDuplicates(true).build());
        assertEquals(40, kept.report().rowsUsed());
        assertEquals(0, kept.report().duplicateRows());
    }

    @Test
    void theTwoTargetSummariesAreLabelledWithTheirRows() {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i).append(',').append(i * 0.5 + (i % 3)).append('\n');
        }
        csv.append("0,0.0\n0,0.0\n"); // the first row twice more: 2 duplicates
        String r = DataPipeline.prepare(csv.toString().getBytes(StandardCharsets.UTF_8), "t.csv", DataOptions.of("y"))
                .report().toString();
        assertTrue(r.contains("target over the 30 rows used: mean"), r);
        assertTrue(r.contains("columns over all 32 rows read (before removing duplicates and missing targets):"), r);
    }
}

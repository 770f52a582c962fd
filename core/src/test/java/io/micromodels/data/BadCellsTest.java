package io.micromodels.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadCellsTest {

    /** The classification CSV of {@link Synthetic} with the x cell of the given rows (0-based) replaced. */
    private static String withX(String csv, String value, int... rows) {
        List<String[]> r = Synthetic.rows(csv);
        StringBuilder sb = new StringBuilder(csv.substring(0, csv.indexOf('\n') + 1));
        for (int i = 0; i < r.size(); i++) {
            String[] row = r.get(i);
            for (int k : rows) {
                if (k == i) {
                    row[1] = value;
                }
            }
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void aStrayWordInANumericColumnIsAnErrorNamingFileLineColumnAndCell() {
        String csv = withX(Synthetic.classification(300, 3), "abc", 10, 20, 30, 40, 50, 60, 70);
        DataException e = assertThrows(DataException.class, () -> Synthetic.prepare(csv, DataOptions.of("y")));
        String m = e.getMessage();
        // Row i (0-based) is on line i + 2.
        assertTrue(m.startsWith(Synthetic.SOURCE + ": column 'x'"), m);
        assertTrue(m.contains("7 cells are not a number: line 12 'abc', line 22 'abc', line 32 'abc', line 42 'abc', line 52 'abc', ... (2 more)"), m);
        assertTrue(m.contains("--bad-cells missing"), m);
        assertEquals(1, m.lines().count(), m);
    }

    @Test
    void missingPolicyGivesExactlyTheResultOfEmptyCellsAndWarnsOncePerColumn() {
        String clean = Synthetic.classification(300, 4);
        String dirty = withX(clean, "abc", 10, 20);
        String blank = withX(clean, "", 10, 20);
        DataOptions options = DataOptions.builder("y").badCells(BadCellPolicy.MISSING).missingIndicators(true).build();
        PreparedData d = Synthetic.prepare(dirty, options);
        PreparedData b = Synthetic.prepare(blank, DataOptions.builder("y").missingIndicators(true).build());
        assertEquals(ColumnKind.NUMERIC, d.pipeline().columnKinds().get("x"));
        assertEquals(PipelineJson.toJson(b.pipeline()), PipelineJson.toJson(d.pipeline()));
        assertEquals(b.train().getFeatures(), d.train().getFeatures());
        assertEquals(b.test().getFeatures(), d.test().getFeatures());
        List<String> warnings = d.report().notes().stream().filter(n -> n.startsWith("warning: column 'x'")).toList();
        assertEquals(List.of("warning: column 'x': 2 cells that are not a number treated as missing (lines 12, 22)"), warnings);
    }

    @Test
    void columnsWithManyWordsOrFewNumbersStayCategorical() {
        // 6% words: not almost numeric.
        int[] many = new int[18];
        for (int i = 0; i < many.length; i++) {
            many[i] = 3 + 16 * i;
        }
        String csv = withX(Synthetic.classification(300, 5), "abc", many);
        assertEquals(ColumnKind.CATEGORICAL, Synthetic.prepare(csv, DataOptions.of("y")).pipeline().columnKinds().get("x"));
        // 19 numbers and one word: too few numbers to call it numeric.
        StringBuilder small = new StringBuilder("x,y\n");
        for (int i = 0; i < 20; i++) {
            small.append(i == 7 ? "abc" : Integer.toString(i)).append(',').append(i % 2 == 0 ? "A" : "B").append('\n');
        }
        assertEquals(ColumnKind.CATEGORICAL, Synthetic.prepare(small.toString(), DataOptions.of("y")).pipeline().columnKinds().get("x"));
        // 20 numbers and one word: numeric, so the word is a bad cell.
        small.append("20,A\n");
        assertThrows(DataException.class, () -> Synthetic.prepare(small.toString(), DataOptions.of("y")));
    }

    @Test
    void aColumnForcedNumericTreatsEveryWordAsABadCell() {
        String csv = withX(Synthetic.classification(300, 6), "abc", many(40));
        DataOptions forced = DataOptions.builder("y").columnKind("x", ColumnKind.NUMERIC).badCells(BadCellPolicy.MISSING).build();
        PreparedData d = Synthetic.prepare(csv, forced);
        assertEquals(ColumnKind.NUMERIC, d.pipeline().columnKinds().get("x"));
        assertTrue(d.report().notes().stream().anyMatch(n -> n.startsWith("warning: column 'x': 40 cells")), d.report().notes().toString());
        // Without the option (40 of 300 is far above 5%) the column is categorical.
        assertEquals(ColumnKind.CATEGORICAL, Synthetic.prepare(csv, DataOptions.of("y")).pipeline().columnKinds().get("x"));
    }

    @Test
    void findReportsRowsInOrder() {
        String csv = withX(Synthetic.classification(100, 7), "n.a.", 90, 5);
        Table t = Table.parse(csv, "t.csv", ',');
        List<BadCells.Column> found = BadCells.find(t, List.of("id", "x", "c", "flag"), DataOptions.of("y"));
        assertEquals(1, found.size());
        assertEquals("x", found.get(0).name());
        assertArrayEquals(new int[] {5, 90}, found.get(0).rows());
    }

    private static int[] many(int k) {
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = 1 + 7 * i;
        }
        return out;
    }
}

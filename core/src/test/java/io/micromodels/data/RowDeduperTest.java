package io.micromodels.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hashed row and cell comparisons against Java's own sets of strings on random tables. */
class RowDeduperTest {

    private static final String[] CELLS = {"", "a", "ab", "b", " a", "a ", "\ta", "ab,", "1", "1.0", "é", "a\"b", "x y"};

    private static List<String[]> randomRows(Random r, int n, int cols) {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i > 0 && r.nextInt(5) == 0) {
                rows.add(rows.get(r.nextInt(rows.size())).clone());
                continue;
            }
            String[] row = new String[cols];
            for (int c = 0; c < cols; c++) {
                row[c] = CELLS[r.nextInt(CELLS.length)];
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void duplicatesMatchASetOfRows() {
        Random r = new Random(3);
        for (int cols : new int[] {1, 2, 5}) {
            List<String[]> rows = randomRows(r, 3000, cols);
            // "a","b" and "ab","" have the same characters: only the cell boundaries tell them apart.
            rows.add(cols == 2 ? new String[] {"a", "b"} : rows.get(0));
            rows.add(cols == 2 ? new String[] {"ab", ""} : rows.get(1));
            Table t = Table.of("t", header(cols), rows);
            Set<List<String>> seen = new HashSet<>();
            boolean[] expected = new boolean[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                expected[i] = !seen.add(Arrays.asList(rows.get(i)));
            }
            assertArrayEquals(expected, RowDeduper.duplicates(t.cells()));
        }
    }

    @Test
    void distinctStrippedMatchesASetOfStrippedStrings() {
        Random r = new Random(4);
        List<String[]> rows = randomRows(r, 5000, 3);
        Table t = Table.of("t", header(3), rows);
        for (int c = 0; c < 3; c++) {
            int[] some = new int[rows.size()];
            int k = 0;
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < rows.size(); i++) {
                if (i % 3 != 0) {
                    some[k++] = i;
                    expected.add(rows.get(i)[c].strip());
                }
            }
            assertEquals(expected.size(), RowDeduper.distinctStripped(t.cells(), c, some, k));
        }
    }

    private static List<String> header(int cols) {
        List<String> h = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            h.add("c" + c);
        }
        return h;
    }
}

package io.micromodels.data;

import io.micromodels.frozen.plan.Cells;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the cells that are not numbers in almost numeric columns and applies {@link DataOptions#badCells()}: an error
 * naming them, or a table where they are missing plus one warning per column.
 *
 * <p>A feature column is checked when no kind or date-time pattern is set for it and at least
 * {@value #NUMERIC_SHARE_PERCENT}% of its non-missing cells and at least {@value #MIN_NUMBERS} cells are numeric text
 * ({@link Cells#isNumeric}), or when its kind is set to NUMERIC or INTEGER (then every non-number is bad). A column
 * with more non-numbers than that is left to schema inference (categorical, boolean or date-time).
 */
final class BadCells {
    /** Share of numeric cells, in percent, above which a column is almost numeric. */
    static final int NUMERIC_SHARE_PERCENT = 95;
    /** Fewest numeric cells for a column to be almost numeric (so a 3-row column with 1 stray word stays categorical). */
    static final int MIN_NUMBERS = 20;
    /** Bad cells quoted in messages. */
    static final int SHOWN = 5;

    private BadCells() {
    }

    /** The bad cells of one column: row indices (0-based, ascending). */
    record Column(String name, int col, int[] rows, int numbers, int nonMissing) {
    }

    /**
     * Checks the feature columns of a table.
     *
     * @return the table itself when no column has bad cells; with {@link BadCellPolicy#MISSING} a table where the bad
     *         cells are empty (missing), with one note per column added to {@code notes}
     * @throws DataException with {@link BadCellPolicy#ERROR} when some almost numeric column has bad cells
     */
    static Table apply(Table table, List<String> features, DataOptions options, List<String> notes) {
        List<Column> found = find(table, features, options);
        if (found.isEmpty()) {
            return table;
        }
        if (options.badCells() == BadCellPolicy.ERROR) {
            Column first = found.get(0);
            StringBuilder sb = new StringBuilder(table.source()).append(": column '").append(first.name()).append("' is numeric in ")
                    .append(first.numbers()).append(" of ").append(first.nonMissing()).append(" cells, but ")
                    .append(count(first.rows().length, "cell")).append(' ').append(first.rows().length == 1 ? "is" : "are")
                    .append(" not a number: ").append(sample(table, first));
            if (found.size() > 1) {
                sb.append("; also ");
                for (int i = 1; i < found.size(); i++) {
                    Column c = found.get(i);
                    sb.append(i > 1 ? ", " : "").append('\'').append(c.name()).append("' (").append(count(c.rows().length, "cell"))
                            .append(", first at line ").append(table.line(c.rows()[0])).append(')');
                }
            }
            sb.append(". Fix the file, or treat such cells as missing with --bad-cells missing (DataOptions.badCells MISSING)");
            throw new DataException(sb.toString());
        }
        Map<Integer, int[]> blanks = new LinkedHashMap<>();
        for (Column c : found) {
            blanks.put(c.col(), c.rows());
            notes.add("warning: column '" + c.name() + "': " + count(c.rows().length, "cell") + " that " + (c.rows().length == 1 ? "is" : "are")
                    + " not a number treated as missing (" + lines(table, c) + ")");
        }
        return table.withMissing(blanks);
    }

    /** The almost numeric feature columns that have bad cells, in the given order. */
    static List<Column> find(Table table, List<String> features, DataOptions options) {
        List<Column> out = new ArrayList<>();
        int n = table.rowCount();
        for (String name : features) {
            if (options.dateTimePatterns().containsKey(name)) {
                continue;
            }
            ColumnKind forced = options.columnKinds().get(name);
            if (forced != null && !forced.isNumeric()) {
                continue;
            }
            int col = table.indexOf(name);
            // Bail out as soon as the bad cells cannot be within the allowed share of the non-missing cells.
            long allowed = forced != null ? Long.MAX_VALUE : (long) n * (100 - NUMERIC_SHARE_PERCENT) / 100;
            int[] bad = new int[16];
            int nBad = 0;
            int numbers = 0;
            int nonMissing = 0;
            for (int r = 0; r < n && nBad <= allowed; r++) {
                String v = table.cell(r, col);
                if (Cells.isMissing(v)) {
                    continue;
                }
                nonMissing++;
                if (Cells.isNumeric(v)) {
                    numbers++;
                } else {
                    if (nBad == bad.length) {
                        bad = Arrays.copyOf(bad, nBad * 2);
                    }
                    bad[nBad++] = r;
                }
            }
            if (nBad == 0 || nBad > allowed) {
                continue;
            }
            boolean almostNumeric = forced != null
                    || numbers >= MIN_NUMBERS && (long) numbers * 100 >= (long) NUMERIC_SHARE_PERCENT * nonMissing;
            if (almostNumeric) {
                out.add(new Column(name, col, Arrays.copyOf(bad, nBad), numbers, nonMissing));
            }
        }
        return out;
    }

    private static String sample(Table table, Column c) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(SHOWN, c.rows().length);
        for (int i = 0; i < shown; i++) {
            int r = c.rows()[i];
            sb.append(i > 0 ? ", " : "").append("line ").append(table.line(r)).append(" '").append(table.cell(r, c.col())).append('\'');
        }
        if (c.rows().length > shown) {
            sb.append(", ... (").append(c.rows().length - shown).append(" more)");
        }
        return sb.toString();
    }

    private static String lines(Table table, Column c) {
        StringBuilder sb = new StringBuilder(c.rows().length == 1 ? "line " : "lines ");
        int shown = Math.min(SHOWN, c.rows().length);
        for (int i = 0; i < shown; i++) {
            sb.append(i > 0 ? ", " : "").append(table.line(c.rows()[i]));
        }
        if (c.rows().length > shown) {
            sb.append(", ...");
        }
        return sb.toString();
    }

    private static String count(int k, String noun) {
        return k + " " + noun + (k == 1 ? "" : "s");
    }
}

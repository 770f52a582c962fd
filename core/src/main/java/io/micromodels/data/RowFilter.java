package io.micromodels.data;

import io.micromodels.frozen.plan.Cells;

/**
 * Step 2 of {@link DataPipeline#prepare}: the rows used. Removes exact duplicate rows ({@link RowDeduper}), rows with
 * a missing target (duplicates are kept with {@link DataOptions#keepDuplicates()}) and, with {@link MissingPolicy#DROP_ROWS}, rows with a missing feature cell; counts each.
 */
final class RowFilter {
    private RowFilter() {
    }

    /**
     * The rows kept and what was removed.
     *
     * @param rows             table row indices kept, ascending; later steps index them by position ("kept position")
     * @param read             rows in the table
     * @param duplicates       exact duplicates of an earlier row
     * @param missingTarget    rows whose target cell is missing
     * @param missingValueRows rows dropped for a missing feature cell ({@link MissingPolicy#DROP_ROWS})
     */
    record Kept(int[] rows, int read, int duplicates, int missingTarget, int missingValueRows) {
        /** Table row indices of kept positions {@code positions}. */
        int[] tableRows(int[] positions) {
            int[] out = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                out[i] = rows[positions[i]];
            }
            return out;
        }
    }

    /**
     * @param infoCols the feature columns' indices (checked for missing cells under {@link MissingPolicy#DROP_ROWS})
     * @throws DataException when no row is left, with the counts
     */
    static Kept filter(Table table, int targetCol, int[] infoCols, DataOptions options) {
        int rowsRead = table.rowCount();
        boolean[] duplicate = options.keepDuplicates() ? new boolean[rowsRead] : RowDeduper.duplicates(table.cells());
        int[] kept = new int[rowsRead];
        int n = 0;
        int duplicates = 0;
        int missingTarget = 0;
        for (int r = 0; r < rowsRead; r++) {
            if (duplicate[r]) {
                duplicates++;
                continue;
            }
            if (Cells.isMissing(table.cell(r, targetCol))) {
                missingTarget++;
                continue;
            }
            kept[n++] = r;
        }
        int missingValueRows = 0;
        if (options.missingPolicy() == MissingPolicy.DROP_ROWS) {
            int complete = 0;
            for (int i = 0; i < n; i++) {
                int r = kept[i];
                boolean any = false;
                for (int c : infoCols) {
                    if (Cells.isMissing(table.cell(r, c))) {
                        any = true;
                        break;
                    }
                }
                if (any) {
                    missingValueRows++;
                } else {
                    kept[complete++] = r;
                }
            }
            n = complete;
        }
        if (n == 0) {
            throw new DataException(table.source() + ": no usable rows left (" + rowsRead + " read, " + duplicates + " duplicate, "
                    + missingTarget + " with a missing target, " + missingValueRows + " with missing values)");
        }
        return new Kept(java.util.Arrays.copyOf(kept, n), rowsRead, duplicates, missingTarget, missingValueRows);
    }
}

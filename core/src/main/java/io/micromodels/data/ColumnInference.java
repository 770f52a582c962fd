package io.micromodels.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 1 of {@link DataPipeline#prepare}: option checks and the feature columns. Checks that the target and every
 * column an option names exist (errors list the available columns) and that feature options do not name the target
 * or a dropped column; drops the {@code dropColumns}; applies the bad-cell policy ({@link BadCells}); infers each
 * feature column's kind ({@link SchemaInference}), parsing numeric columns once; drops all-missing columns.
 */
final class ColumnInference {
    private ColumnInference() {
    }

    /**
     * The feature columns of a parsed table.
     *
     * @param table     the table after the bad-cell policy (the input table when it changed nothing)
     * @param targetCol the target's column index in {@code table}
     * @param infos     the feature columns left, with their kinds, in header order
     * @param infoCols  {@code infoCols[j]} is the column index of {@code infos.get(j)} in {@code table}
     * @param numbers   per table column: the parsed numbers ([rowCount], NaN = missing) of a numeric feature column, else null
     */
    record Columns(Table table, int targetCol, List<ColumnInfo> infos, int[] infoCols, double[][] numbers) {
    }

    static Columns infer(Table parsed, DataOptions options, PrepareLog log) {
        int targetCol = parsed.require(options.target(), "target");
        for (String d : options.dropColumns()) {
            parsed.require(d, "dropColumns");
        }
        for (String c : options.columnKinds().keySet()) {
            checkFeatureOption(parsed, options, c, "columnKinds");
        }
        for (String c : options.dateTimePatterns().keySet()) {
            checkFeatureOption(parsed, options, c, "dateTimePatterns");
        }
        if (options.timeColumn() != null) {
            checkFeatureOption(parsed, options, options.timeColumn(), "timeColumn");
        }
        List<String> featureNames = new ArrayList<>();
        for (String h : parsed.header()) {
            if (h.equals(options.target())) {
                continue;
            }
            if (options.dropColumns().contains(h)) {
                log.dropped.put(h, "dropped by option (dropColumns)");
            } else {
                featureNames.add(h);
            }
        }
        Table table = BadCells.apply(parsed, featureNames, options, log.notes);
        // Numeric columns are parsed once, here; later steps read numbers[c] (NaN = missing) instead of the text.
        double[][] numbers = new double[parsed.header().size()][];
        SchemaInference.Result inferred = SchemaInference.inferAll(table, featureNames, options.columnKinds(), options.dateTimePatterns(), numbers);
        for (String m : inferred.allMissing()) {
            log.dropped.put(m, "every cell is missing");
        }
        List<ColumnInfo> infos = new ArrayList<>(inferred.columns());
        if (options.timeColumn() != null && inferred.allMissing().contains(options.timeColumn())) {
            throw new DataException(parsed.source() + ": time column '" + options.timeColumn() + "' has no value at all");
        }
        int[] infoCols = new int[infos.size()];
        for (int j = 0; j < infos.size(); j++) {
            infoCols[j] = table.indexOf(infos.get(j).name());
        }
        return new Columns(table, targetCol, infos, infoCols, numbers);
    }

    private static void checkFeatureOption(Table table, DataOptions options, String column, String option) {
        table.require(column, option);
        if (column.equals(options.target()) || options.dropColumns().contains(column)) {
            throw new DataException(table.source() + ": " + option + " names column '" + column + "', which is the target or a dropped column");
        }
    }
}

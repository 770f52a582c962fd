package io.micromodels.data;

import io.micromodels.data.DataReport.ClassCount;
import io.micromodels.data.DataReport.ColumnSummary;
import io.micromodels.data.DataReport.TargetSummary;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.plan.Cells;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 9 of {@link DataPipeline#prepare}: the {@link DataReport} — row counts, imputed cells, the split, class balance
 * per split or the target's summary, a summary of every column of the file (feature, target or dropped, with why),
 * unseen categories in validation and test, and the notes of the earlier steps.
 */
final class ReportBuilder {
    private ReportBuilder() {
    }

    /**
     * @param sha      SHA-256 of the file's bytes
     * @param columns  step 1's result
     * @param kept     step 2's result
     * @param target   step 3's result
     * @param split    step 4's result
     * @param unseenValidation categorical cells of the validation split not seen in training
     * @param unseenTest       the same for the test split
     */
    static DataReport report(String sha, ColumnInference.Columns columns, RowFilter.Kept kept, TaskInference.Target target,
                             Splitter.Split split, FittedPipeline pipeline, DataOptions options, PrepareLog log,
                             long unseenValidation, long unseenTest) {
        Table table = columns.table();
        double[][] numbers = columns.numbers();
        TaskInfo task = target.task();
        long imputed = 0;
        for (int c : SplitFeatures.columnMap(table, pipeline.inputColumns())) {
            double[] values = numbers[c];
            for (int r : kept.rows()) {
                if (values != null ? Double.isNaN(values[r]) : Cells.isMissing(table.cell(r, c))) {
                    imputed++;
                }
            }
        }
        List<ClassCount> classCounts = new ArrayList<>();
        if (task.kind() != TaskKind.REGRESSION) {
            int k = task.classes().size();
            int[][] counts = new int[4][k];
            for (int s = 0; s < 3; s++) {
                for (int i : split.positions()[s]) {
                    counts[s][target.classes()[i]]++;
                    counts[3][target.classes()[i]]++;
                }
            }
            for (int c = 0; c < k; c++) {
                classCounts.add(new ClassCount(task.classes().get(c), counts[3][c], counts[0][c], counts[1][c], counts[2][c]));
            }
        }
        TargetSummary targetSummary = null;
        if (task.kind() == TaskKind.REGRESSION) {
            double[] s = stats(target.values());
            targetSummary = new TargetSummary(s[0], s[1], s[2], s[3]);
        }
        List<ColumnSummary> summaries = summarise(table, options.target(), pipeline, columns.infos(), log.dropped, numbers);
        return new DataReport(table.source(), sha, kept.read(), table.header().size(), kept.duplicates(), kept.missingTarget(),
                kept.missingValueRows(), kept.rows().length, imputed, split.description(), split.train().length,
                split.validation().length, split.test().length, pipeline.width(), task, classCounts, targetSummary, summaries,
                log.dropped, unseenValidation, unseenTest, log.notes);
    }

    /** {mean, population std, min, max}. */
    static double[] stats(double[] v) {
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            mean += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(ss / v.length), min, max};
    }

    private static List<ColumnSummary> summarise(Table table, String target, FittedPipeline pipeline, List<ColumnInfo> infos,
                                                 Map<String, String> dropped, double[][] numbers) {
        Map<String, ColumnKind> kinds = new HashMap<>();
        for (ColumnInfo c : infos) {
            kinds.put(c.name(), c.kind());
        }
        List<ColumnSummary> out = new ArrayList<>();
        int nRows = table.rowCount();
        int[] present = new int[nRows];
        for (int c = 0; c < table.header().size(); c++) {
            String name = table.header().get(c);
            int missing = 0;
            int nPresent = 0;
            boolean numeric = true;
            double[] values = new double[16];
            int nValues = 0;
            boolean integer = true;
            double[] parsed = numbers[c];
            for (int r = 0; r < nRows && parsed != null; r++) {
                // A parsed numeric column: no text needed (integer-ness matters only for columns without a kind).
                if (Double.isNaN(parsed[r])) {
                    missing++;
                } else {
                    present[nPresent++] = r;
                    if (nValues == values.length) {
                        values = Arrays.copyOf(values, nValues * 2);
                    }
                    values[nValues++] = parsed[r];
                }
            }
            for (int r = 0; r < nRows && parsed == null; r++) {
                String v = table.cell(r, c);
                if (Cells.isMissing(v)) {
                    missing++;
                    continue;
                }
                present[nPresent++] = r;
                if (numeric) {
                    String s = v.strip();
                    try {
                        double x = Cells.number(s);
                        if (nValues == values.length) {
                            values = Arrays.copyOf(values, nValues * 2);
                        }
                        values[nValues++] = x;
                        integer &= s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0;
                    } catch (NumberFormatException e) {
                        numeric = false;
                    }
                }
            }
            int distinct = RowDeduper.distinctStripped(table.cells(), c, present, nPresent);
            String role = name.equals(target) ? "target" : pipeline.inputColumns().contains(name) ? "feature" : "dropped";
            ColumnKind kind = kinds.get(name);
            if (kind == null && distinct > 0) {
                kind = numeric ? (integer ? ColumnKind.INTEGER : ColumnKind.NUMERIC) : ColumnKind.CATEGORICAL;
            }
            Double mean = null;
            Double std = null;
            Double min = null;
            Double max = null;
            if (numeric && nValues > 0 && (kind == null || kind.isNumeric())) {
                double[] s = stats(Arrays.copyOf(values, nValues));
                mean = s[0];
                std = s[1];
                min = s[2];
                max = s[3];
            }
            out.add(new ColumnSummary(name, role, kind, missing, distinct, mean, std, min, max));
        }
        return out;
    }
}

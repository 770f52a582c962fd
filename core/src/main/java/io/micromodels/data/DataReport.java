package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What preparing a dataset did: rows read, removed and why, cells imputed, the split, the task with its class balance
 * (or target summary), a per-column summary of the rows read, dropped columns with reasons, and notes.
 * {@link #toString()} prints a readable table (the CLI's {@code train} command shows it).
 *
 * @param source               file or resource name
 * @param sha256               SHA-256 of the raw CSV bytes
 * @param rowsRead             data rows in the file
 * @param columnsRead          columns in the header
 * @param duplicateRows        exact duplicate rows removed (all columns equal to an earlier row)
 * @param missingTargetRows    rows removed because the target cell was missing
 * @param missingValueRows     rows removed for missing feature cells ({@link MissingPolicy#DROP_ROWS})
 * @param rowsUsed             rows split into train/validation/test
 * @param imputedCells         missing feature cells filled in the rows used (median/mode; zeros for date-times)
 * @param split                how the rows were split, e.g. "stratified random (seed 42)" or "time-ordered by date"
 * @param trainRows            rows in the training split
 * @param validationRows       rows in the validation split
 * @param testRows             rows in the test split
 * @param width                features after preprocessing
 * @param task                 the task
 * @param classes              per class: counts overall and per split (empty for regression)
 * @param target               regression target summary over the rows used (null for classification)
 * @param columns              per-column summary of the rows read, in file order
 * @param droppedColumns       column → why it is not a feature (the target is not listed)
 * @param unseenValidation     categorical cells in the validation split whose level did not occur in training
 * @param unseenTest           the same for the test split
 * @param notes                anything else worth knowing (imputation fallbacks, feature selection scores)
 */
public record DataReport(String source, String sha256, int rowsRead, int columnsRead, int duplicateRows, int missingTargetRows,
                         int missingValueRows, int rowsUsed, long imputedCells, String split, int trainRows,
                         int validationRows, int testRows, int width, TaskInfo task, List<ClassCount> classes,
                         TargetSummary target, List<ColumnSummary> columns, Map<String, String> droppedColumns,
                         long unseenValidation, long unseenTest, List<String> notes) {

    public DataReport {
        Objects.requireNonNull(task, "task");
        classes = List.copyOf(classes);
        columns = List.copyOf(columns);
        droppedColumns = Collections.unmodifiableMap(new LinkedHashMap<>(droppedColumns));
        notes = List.copyOf(notes);
    }

    /**
     * One class's row counts.
     *
     * @param label      class label
     * @param total      rows used with this label
     * @param train      in the training split
     * @param validation in the validation split
     * @param test       in the test split
     */
    public record ClassCount(String label, int total, int train, int validation, int test) {
    }

    /** Summary of a regression target over the rows used (population std). */
    public record TargetSummary(double mean, double std, double min, double max) {
    }

    /**
     * One column of the file, over all rows read.
     *
     * @param name     column name
     * @param role     {@code feature}, {@code target} or {@code dropped}
     * @param kind     inferred kind (null for an all-missing column or the target of a classification)
     * @param missing  missing cells
     * @param distinct distinct non-missing values
     * @param mean     numeric columns: mean of the values, else null
     * @param std      numeric columns: population std, else null
     * @param min      numeric columns: minimum, else null
     * @param max      numeric columns: maximum, else null
     */
    public record ColumnSummary(String name, String role, ColumnKind kind, int missing, int distinct,
                                Double mean, Double std, Double min, Double max) {
    }

    /** Total missing cells in the file over all columns. */
    public int missingCells() {
        return columns.stream().mapToInt(ColumnSummary::missing).sum();
    }

    /** The class balance as label → rows used. Empty for regression. */
    public Map<String, Integer> classBalance() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (ClassCount c : classes) {
            m.put(c.label(), c.total());
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("Data report: ").append(source).append('\n');
        sb.append(String.format(Locale.ROOT, "  rows read %d (%d columns, %d missing cells); removed: %d duplicate, %d missing target, %d missing values; used %d%n",
                rowsRead, columnsRead, missingCells(), duplicateRows, missingTargetRows, missingValueRows, rowsUsed));
        if (duplicateRows > 0) {
            sb.append(String.format(Locale.ROOT, "  duplicates: %d rows equal in every column to an earlier row were dropped, so that "
                    + "no copy sits in both training and test (keep them with --keep-duplicates when identical rows are "
                    + "different cases)%n", duplicateRows));
        }
        sb.append(String.format(Locale.ROOT, "  imputed cells %d; split %s: train %d / validation %d / test %d; features %d%n",
                imputedCells, split, trainRows, validationRows, testRows, width));
        sb.append("  task ").append(task.kind()).append(", target ").append(task.target());
        if (task.kind() == TaskKind.BINARY) {
            sb.append(", positive class ").append(task.classes().get(task.positiveClass()));
        }
        sb.append('\n');
        if (!classes.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "  %-20s %8s %7s %8s %10s %6s%n", "class", "rows", "share", "train", "validation", "test"));
            for (ClassCount c : classes) {
                sb.append(String.format(Locale.ROOT, "  %-20s %8d %6.1f%% %8d %10d %6d%n", clip(c.label(), 20), c.total(),
                        rowsUsed == 0 ? 0.0 : 100.0 * c.total() / rowsUsed, c.train(), c.validation(), c.test()));
            }
        }
        if (target != null) {
            sb.append(String.format(Locale.ROOT, "  target over the %d rows used: mean %s, std %s, min %s, max %s%n", rowsUsed,
                    num(target.mean()), num(target.std()), num(target.min()), num(target.max())));
        }
        sb.append(String.format(Locale.ROOT, "  columns over all %d rows read (before removing duplicates and missing targets):%n", rowsRead));
        sb.append(String.format(Locale.ROOT, "  %-24s %-8s %-11s %7s %8s %11s %11s %11s %11s%n", "column", "role", "kind", "missing",
                "distinct", "mean", "std", "min", "max"));
        for (ColumnSummary c : columns) {
            sb.append(String.format(Locale.ROOT, "  %-24s %-8s %-11s %7d %8d %11s %11s %11s %11s%n", clip(c.name(), 24), c.role(),
                    c.kind() == null ? "-" : c.kind().name(), c.missing(), c.distinct(), num(c.mean()), num(c.std()), num(c.min()), num(c.max())));
        }
        if (!droppedColumns.isEmpty()) {
            sb.append("  dropped columns:\n");
            droppedColumns.forEach((k, v) -> sb.append("    ").append(k).append(": ").append(v).append('\n'));
        }
        if (unseenValidation + unseenTest > 0) {
            sb.append(String.format(Locale.ROOT, "  unseen categories (not in training): validation %d, test %d (encoded as all zeros)%n",
                    unseenValidation, unseenTest));
        }
        List<String> all = new ArrayList<>(notes);
        for (String n : all) {
            sb.append(n.startsWith("warning: ") ? "  " : "  note: ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String num(Double v) {
        if (v == null) {
            return "";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

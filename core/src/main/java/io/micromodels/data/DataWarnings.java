package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.plan.Cells;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Part of step 9 of {@link DataPipeline#prepare}: warnings about feature columns that are probably a mistake, each a
 * {@code "warning: ..."} line of the data report. Computed over the used rows (after removing duplicates and rows
 * with a missing target), in file order:
 * <ul>
 *   <li><b>empty</b>: every cell missing; <b>constant</b>: one value in every used row (both are dropped);</li>
 *   <li><b>ID-like</b>: an integer or categorical column whose value differs in every used row, or an integer column
 *       never decreasing (or never increasing) with the row number, with more distinct values than half the rows (from {@value #MIN_ROWS} used rows on);</li>
 *   <li><b>separates the target alone</b>: binary tasks, the column's single-feature ROC AUC (the values themselves
 *       for a numeric column, each category's share of the positive class for a categorical one; max(AUC, 1 - AUC))
 *       is above {@value #SEPARATION}; regression, R² of the target on the column (squared Pearson correlation for a
 *       numeric column, the share of variance explained by category means for a categorical one) above
 *       {@value #SEPARATION}. Categorical columns with more levels than half the rows are left to the ID-like check;
 *       multiclass targets are not checked.</li>
 * </ul>
 * On more than {@value #SEPARATION_ROWS} used rows the separation check reads a deterministic sample (every k-th row).
 */
public final class DataWarnings {
    /** The single-column AUC or R² above which a column is said to separate the target alone. */
    public static final double SEPARATION = 0.98;
    /** Fewest used rows for the ID-like and separation checks. */
    public static final int MIN_ROWS = 10;
    /**
     * Most rows the separation check reads: above this, every k-th used row (k = ceil(n / this)), a deterministic
     * sample; the AUC or R² of 100,000 rows is within about 0.005 of the whole file's, well inside the warning's margin.
     */
    public static final int SEPARATION_ROWS = 100_000;

    private DataWarnings() {
    }

    /**
     * One feature column over the used rows.
     *
     * @param name    column name
     * @param kind    its inferred kind
     * @param cells   raw cells, one per used row (missing = empty or a missing token), or null when {@code numbers} is given
     * @param numbers parsed values of a numeric column (NaN = missing), one per used row, or null; when given, the
     *                checks read the numbers rather than the cells
     */
    public record Column(String name, ColumnKind kind, String[] cells, double[] numbers) {
    }

    /**
     * The warnings for some columns.
     *
     * @param task    the task kind
     * @param classes per used row, the class index (classification), else null
     * @param positive the positive class index (binary)
     * @param values  per used row, the target (regression), else null
     */
    public static List<String> check(List<Column> columns, TaskKind task, int[] allClasses, int positive, double[] allValues) {
        List<String> out = new ArrayList<>();
        for (Column column : columns) {
            Column c = column;
            int[] classes = allClasses;
            double[] values = allValues;
            boolean byNumber = c.numbers() != null;
            int n = byNumber ? c.numbers().length : c.cells().length;
            int present = 0;
            String first = null;
            double firstNumber = Double.NaN;
            boolean constant = true;
            for (int i = 0; i < n; i++) {
                if (byNumber) {
                    double x = c.numbers()[i];
                    if (!Double.isNaN(x)) {
                        if (present++ == 0) {
                            firstNumber = x;
                        } else {
                            constant &= x == firstNumber;
                        }
                    }
                } else if (!Cells.isMissing(c.cells()[i])) {
                    String v = c.cells()[i].strip();
                    if (present++ == 0) {
                        first = v;
                    } else {
                        constant &= v.equals(first);
                    }
                }
            }
            if (present == 0) {
                out.add("warning: column '" + c.name() + "' is empty (every cell missing): dropped");
                continue;
            }
            if (constant && present == n) {
                String value = byNumber ? (firstNumber == Math.rint(firstNumber) && Math.abs(firstNumber) < 1e15
                        ? String.valueOf((long) firstNumber) : String.valueOf(firstNumber)) : first;
                out.add("warning: column '" + c.name() + "' is constant ('" + value
                        + "' in every used row): it carries no information: dropped");
                continue;
            }
            if (n < MIN_ROWS) {
                continue;
            }
            boolean idKind = c.kind() == ColumnKind.INTEGER || c.kind() == ColumnKind.CATEGORICAL;
            if (idKind && present == n && allDistinct(c)) {
                out.add("warning: column '" + c.name() + "' looks like an ID: its value differs in every one of the " + n
                        + " used rows; drop it (--drop) unless it carries meaning");
                continue;
            }
            if (c.kind() == ColumnKind.INTEGER && byNumber && monotone(c.numbers())) {
                out.add("warning: column '" + c.name() + "' looks like an ID: its integers " + (c.numbers()[0] < c.numbers()[n - 1]
                        ? "increase" : "decrease") + " with the row number in all " + n + " used rows; drop it (--drop) "
                        + "unless it carries meaning (a time column is better given as --time-column)");
                continue;
            }
            if (c.kind() == ColumnKind.DATETIME) {
                continue;
            }
            boolean numeric = c.kind().isNumeric() && byNumber;
            if (!numeric && c.cells() == null) {
                continue;
            }
            if (n > SEPARATION_ROWS) {
                int step = (n + SEPARATION_ROWS - 1) / SEPARATION_ROWS;
                c = new Column(c.name(), c.kind(), c.cells() == null ? null : every(c.cells(), step),
                        c.numbers() == null ? null : every(c.numbers(), step));
                classes = classes == null ? null : every(classes, step);
                values = values == null ? null : every(values, step);
            }
            if (task == TaskKind.BINARY && classes != null) {
                double auc = numeric ? auc(c.numbers(), classes, positive) : categoryAuc(c.cells(), classes, positive);
                if (!Double.isNaN(auc) && Math.max(auc, 1 - auc) > SEPARATION) {
                    out.add(String.format(Locale.ROOT, "warning: column '%s' alone separates the target (single-column ROC AUC "
                            + "%.3f > %.2f): a leak of the answer (drop it with --drop) or a trivial problem", c.name(),
                            Math.max(auc, 1 - auc), SEPARATION));
                }
            } else if (task == TaskKind.REGRESSION && values != null) {
                double r2 = numeric ? pearsonR2(c.numbers(), values) : categoryR2(c.cells(), values);
                if (!Double.isNaN(r2) && r2 > SEPARATION) {
                    out.add(String.format(Locale.ROOT, "warning: column '%s' alone explains the target (R² %.3f > %.2f): a "
                            + "leak of the answer (drop it with --drop) or a trivial problem", c.name(), r2, SEPARATION));
                }
            }
        }
        return out;
    }

    private static String[] every(String[] a, int step) {
        String[] out = new String[(a.length + step - 1) / step];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i * step];
        }
        return out;
    }

    private static double[] every(double[] a, int step) {
        double[] out = new double[(a.length + step - 1) / step];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i * step];
        }
        return out;
    }

    private static int[] every(int[] a, int step) {
        int[] out = new int[(a.length + step - 1) / step];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i * step];
        }
        return out;
    }

    /** Whether every value differs (no missing value assumed); stops at the first repeat. */
    private static boolean allDistinct(Column c) {
        if (c.numbers() != null) {
            // most columns repeat a value early: look at the first rows before sorting them all
            Set<Double> head = new HashSet<>();
            for (int i = 0; i < Math.min(2000, c.numbers().length); i++) {
                if (!head.add(c.numbers()[i])) {
                    return false;
                }
            }
            double[] sorted = c.numbers().clone();
            Arrays.sort(sorted);
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i] == sorted[i - 1]) {
                    return false;
                }
            }
            return true;
        }
        Set<String> seen = new HashSet<>();
        for (String v : c.cells()) {
            if (!seen.add(v.strip())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Never decreasing (or never increasing) in row order, no missing value, and more distinct values than half the
     * rows: a row counter or a batch number rather than a measurement.
     */
    static boolean monotone(double[] x) {
        boolean up = true;
        boolean down = true;
        int distinct = 1;
        for (int i = 1; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(x[i - 1])) {
                return false;
            }
            up &= x[i] >= x[i - 1];
            down &= x[i] <= x[i - 1];
            if (x[i] != x[i - 1]) {
                distinct++;
            }
        }
        return (up || down) && distinct * 2 > x.length;
    }

    /**
     * ROC AUC of a score for the positive class (Mann-Whitney, ties counted half), over rows where the score is
     * present; NaN when a class is absent.
     */
    static double auc(double[] score, int[] classes, int positive) {
        int nPos = 0;
        int nNeg = 0;
        for (int i = 0; i < score.length; i++) {
            if (!Double.isNaN(score[i])) {
                if (classes[i] == positive) {
                    nPos++;
                } else {
                    nNeg++;
                }
            }
        }
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        double[] pos = new double[nPos];
        double[] neg = new double[nNeg];
        int p = 0;
        int q = 0;
        for (int i = 0; i < score.length; i++) {
            if (!Double.isNaN(score[i])) {
                if (classes[i] == positive) {
                    pos[p++] = score[i];
                } else {
                    neg[q++] = score[i];
                }
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // for each positive: negatives below it count 1, equal to it 1/2
        double wins = 0;
        int below = 0;
        int upTo = 0;
        for (double x : pos) {
            while (below < nNeg && neg[below] < x) {
                below++;
            }
            upTo = Math.max(upTo, below);
            while (upTo < nNeg && neg[upTo] == x) {
                upTo++;
            }
            wins += below + 0.5 * (upTo - below);
        }
        return wins / ((double) nPos * nNeg);
    }

    /** AUC of each category's positive share (missing is a category of its own); NaN with too many levels. */
    static double categoryAuc(String[] cells, int[] classes, int positive) {
        Map<String, int[]> counts = new HashMap<>();
        for (int i = 0; i < cells.length; i++) {
            int[] c = counts.computeIfAbsent(key(cells[i]), x -> new int[2]);
            c[0]++;
            if (classes[i] == positive) {
                c[1]++;
            }
        }
        if (counts.size() < 2 || counts.size() > cells.length / 2) {
            return Double.NaN;
        }
        double[] score = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            int[] c = counts.get(key(cells[i]));
            score[i] = (double) c[1] / c[0];
        }
        return auc(score, classes, positive);
    }

    /** Squared Pearson correlation over rows where x is present; NaN when either is constant. */
    static double pearsonR2(double[] x, double[] y) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i])) {
                sx += x[i];
                sy += y[i];
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i])) {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
                syy += (y[i] - my) * (y[i] - my);
            }
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return sxy * sxy / (sxx * syy);
    }

    /** Between-category share of the target's variance (eta²); NaN with too many levels or a constant target. */
    static double categoryR2(String[] cells, double[] y) {
        Map<String, double[]> sums = new HashMap<>();
        double total = 0;
        for (int i = 0; i < cells.length; i++) {
            double[] s = sums.computeIfAbsent(key(cells[i]), x -> new double[2]);
            s[0]++;
            s[1] += y[i];
            total += y[i];
        }
        if (sums.size() < 2 || sums.size() > cells.length / 2) {
            return Double.NaN;
        }
        double mean = total / cells.length;
        double ssTotal = 0;
        double ssWithin = 0;
        for (int i = 0; i < cells.length; i++) {
            double[] s = sums.get(key(cells[i]));
            double groupMean = s[1] / s[0];
            ssTotal += (y[i] - mean) * (y[i] - mean);
            ssWithin += (y[i] - groupMean) * (y[i] - groupMean);
        }
        return ssTotal == 0 ? Double.NaN : 1 - ssWithin / ssTotal;
    }

    private static String key(String cell) {
        return Cells.isMissing(cell) ? "\u0000missing" : cell.strip();
    }

    /** The warnings of a prepared table: the feature columns over the used rows, plus the columns dropped as empty. */
    static List<String> warnings(Table table, double[][] numbers, ColumnInference.Columns columns, RowFilter.Kept kept,
                                 TaskInference.Target target, java.util.Map<String, String> dropped) {
        int[] rows = kept.rows();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : dropped.entrySet()) {
            if (e.getValue().equals("every cell is missing")) {
                out.add("warning: column '" + e.getKey() + "' is empty (every cell missing): dropped");
            }
        }
        TaskInfo task = target.task();
        for (int j = 0; j < columns.infos().size(); j++) {
            ColumnInfo info = columns.infos().get(j);
            int c = columns.infoCols()[j];
            // numeric columns are read as numbers only (no string per cell)
            double[] parsed = numbers[c] == null ? null : new double[rows.length];
            String[] cells = parsed != null ? null : new String[rows.length];
            for (int i = 0; i < rows.length; i++) {
                if (parsed != null) {
                    parsed[i] = numbers[c][rows[i]];
                } else {
                    cells[i] = table.cell(rows[i], c);
                }
            }
            // one column at a time: a million-row file holds one column's copy, not all of them
            out.addAll(check(List.of(new Column(info.name(), info.kind(), cells, parsed)), task.kind(), target.classes(),
                    task.kind() == TaskKind.BINARY ? task.positiveClass() : -1, target.values()));
        }
        return out;
    }
}

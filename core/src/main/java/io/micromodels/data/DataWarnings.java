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
 *       strictly increasing (or decreasing) with the row number (from {@value #MIN_ROWS} used rows on);</li>
 *   <li><b>separates the target alone</b>: binary tasks, the column's single-feature ROC AUC (the values themselves
 *       for a numeric column, each category's share of the positive class for a categorical one; max(AUC, 1 - AUC))
 *       is above {@value #SEPARATION}; regression, R² of the target on the column (squared Pearson correlation for a
 *       numeric column, the share of variance explained by category means for a categorical one) above
 *       {@value #SEPARATION}. Categorical columns with more levels than half the rows are left to the ID-like check;
 *       multiclass targets are not checked.</li>
 * </ul>
 */
public final class DataWarnings {
    /** The single-column AUC or R² above which a column is said to separate the target alone. */
    public static final double SEPARATION = 0.98;
    /** Fewest used rows for the ID-like and separation checks. */
    public static final int MIN_ROWS = 10;

    private DataWarnings() {
    }

    /**
     * One feature column over the used rows.
     *
     * @param name    column name
     * @param kind    its inferred kind
     * @param cells   raw cells, one per used row (missing = empty or a missing token)
     * @param numbers parsed values of a numeric column (NaN = missing), one per used row, or null
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
    public static List<String> check(List<Column> columns, TaskKind task, int[] classes, int positive, double[] values) {
        List<String> out = new ArrayList<>();
        for (Column c : columns) {
            int n = c.cells().length;
            int present = 0;
            Set<String> distinct = new HashSet<>();
            for (String v : c.cells()) {
                if (!Cells.isMissing(v)) {
                    present++;
                    distinct.add(v.strip());
                }
            }
            if (present == 0) {
                out.add("warning: column '" + c.name() + "' is empty (every cell missing): dropped");
                continue;
            }
            if (distinct.size() == 1 && present == n) {
                out.add("warning: column '" + c.name() + "' is constant ('" + distinct.iterator().next()
                        + "' in every used row): it carries no information: dropped");
                continue;
            }
            if (n < MIN_ROWS) {
                continue;
            }
            boolean idKind = c.kind() == ColumnKind.INTEGER || c.kind() == ColumnKind.CATEGORICAL;
            if (idKind && present == n && distinct.size() == n) {
                out.add("warning: column '" + c.name() + "' looks like an ID: its value differs in every one of the " + n
                        + " used rows; drop it (--drop) unless it carries meaning");
                continue;
            }
            if (c.kind() == ColumnKind.INTEGER && c.numbers() != null && monotone(c.numbers())) {
                out.add("warning: column '" + c.name() + "' looks like an ID: its integers " + (c.numbers()[0] < c.numbers()[n - 1]
                        ? "increase" : "decrease") + " with the row number in all " + n + " used rows; drop it (--drop) "
                        + "unless it carries meaning (a time column is better given as --time-column)");
                continue;
            }
            if (c.kind() == ColumnKind.DATETIME) {
                continue;
            }
            if (task == TaskKind.BINARY && classes != null) {
                double auc = c.kind().isNumeric() && c.numbers() != null ? auc(c.numbers(), classes, positive)
                        : categoryAuc(c.cells(), classes, positive);
                if (!Double.isNaN(auc) && Math.max(auc, 1 - auc) > SEPARATION) {
                    out.add(String.format(Locale.ROOT, "warning: column '%s' alone separates the target (single-column ROC AUC "
                            + "%.3f > %.2f): a leak of the answer (drop it with --drop) or a trivial problem", c.name(),
                            Math.max(auc, 1 - auc), SEPARATION));
                }
            } else if (task == TaskKind.REGRESSION && values != null) {
                double r2 = c.kind().isNumeric() && c.numbers() != null ? pearsonR2(c.numbers(), values)
                        : categoryR2(c.cells(), values);
                if (!Double.isNaN(r2) && r2 > SEPARATION) {
                    out.add(String.format(Locale.ROOT, "warning: column '%s' alone explains the target (R² %.3f > %.2f): a "
                            + "leak of the answer (drop it with --drop) or a trivial problem", c.name(), r2, SEPARATION));
                }
            }
        }
        return out;
    }

    /** Strictly increasing or strictly decreasing, no missing value. */
    static boolean monotone(double[] x) {
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(x[i - 1])) {
                return false;
            }
            up &= x[i] > x[i - 1];
            down &= x[i] < x[i - 1];
        }
        return up || down;
    }

    /**
     * ROC AUC of a score for the positive class (Mann-Whitney, ties counted half), over rows where the score is
     * present; NaN when a class is absent.
     */
    static double auc(double[] score, int[] classes, int positive) {
        int n = 0;
        for (double s : score) {
            if (!Double.isNaN(s)) {
                n++;
            }
        }
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        int k = 0;
        for (int i = 0; i < score.length; i++) {
            if (!Double.isNaN(score[i])) {
                s[k] = score[i];
                pos[k++] = classes[i] == positive;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        double rankSum = 0;
        long nPos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && s[order[j]] == s[order[i]]) {
                j++;
            }
            double rank = (i + 1 + j) / 2.0; // mean of the 1-based ranks i+1..j
            for (int t = i; t < j; t++) {
                if (pos[order[t]]) {
                    rankSum += rank;
                    nPos++;
                }
            }
            i = j;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (rankSum - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
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
            String[] cells = new String[rows.length];
            double[] parsed = numbers[c] == null ? null : new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                cells[i] = table.cell(rows[i], c);
                if (parsed != null) {
                    parsed[i] = numbers[c][rows[i]];
                }
            }
            // one column at a time: a million-row file holds one column's copy, not all of them
            out.addAll(check(List.of(new Column(info.name(), info.kind(), cells, parsed)), task.kind(), target.classes(),
                    task.kind() == TaskKind.BINARY ? task.positiveClass() : -1, target.values()));
        }
        return out;
    }
}

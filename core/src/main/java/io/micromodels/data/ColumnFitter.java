package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.DateTimeStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step 5 of {@link DataPipeline#prepare}: each feature column fitted on the training split alone — imputation value
 * (median of a numeric column, mode of a boolean or categorical one), categorical levels (sorted), whether it gets a
 * missing indicator — then near-constant columns dropped ({@link DataOptions#nearConstantThreshold()}; a missing cell
 * counts as a value). A column with no value in the training split is dropped; a categorical column with more than 20
 * levels and more levels than half the training rows gets a note (probably an identifier). With
 * {@link DataOptions#dateTrend()}, a date-time column's trend scaling: mean and population std (ddof 0; 1 when the
 * training dates are all equal) of its non-missing training values in fractional years since 1970
 * ({@link DateTimeStep#years(String, java.time.format.DateTimeFormatter, boolean)}), kept in the spec's {@code mean, std}.
 */
final class ColumnFitter {
    private ColumnFitter() {
    }

    /**
     * The fitted columns, unscaled, in {@code infos} order.
     *
     * @param infoCols  the table column of each of {@code infos}
     * @param trainRows table row indices of the training split
     * @param numbers   per table column: parsed numbers (NaN = missing) or null
     * @throws DataException when no feature column is left (naming the dropped columns and why)
     */
    static List<ColumnSpec> fit(Table table, List<ColumnInfo> infos, int[] infoCols, int[] trainRows, double[][] numbers,
                                DataOptions options, PrepareLog log) {
        List<ColumnSpec> specs = new ArrayList<>();
        for (int j = 0; j < infos.size(); j++) {
            ColumnSpec cs = fitColumn(infos.get(j), table, infoCols[j], trainRows, options, log.notes, numbers[infoCols[j]]);
            if (cs == null) {
                log.dropped.put(infos.get(j).name(), "no value in the training split");
            } else {
                specs.add(cs);
                if (cs.levels().size() > 20 && cs.levels().size() > trainRows.length / 2) {
                    log.notes.add("categorical column '" + cs.name() + "' has " + cs.levels().size() + " distinct values in "
                            + trainRows.length + " training rows (" + cs.levels().size() + " one-hot features): if it is an identifier, drop it (dropColumns)");
                }
            }
        }
        // Near-constant columns (missing counted as a value).
        List<ColumnSpec> afterConstant = new ArrayList<>();
        for (ColumnSpec cs : specs) {
            String why = nearConstant(table, trainRows, table.indexOf(cs.name()), options.nearConstantThreshold());
            if (why != null) {
                log.dropped.put(cs.name(), why);
            } else {
                afterConstant.add(cs);
            }
        }
        if (afterConstant.isEmpty()) {
            throw new DataException(table.source() + ": no feature column left after dropping " + String.join(", ", log.dropped.keySet())
                    + " (see the data report reasons: " + log.dropped + ")");
        }
        return afterConstant;
    }

    /**
     * Imputation value, levels and indicator of one column from the training rows; null when it has no value there.
     *
     * @param parsed the column's parsed values (NaN = missing) when it is numeric, else null
     */
    private static ColumnSpec fitColumn(ColumnInfo info, Table table, int col, int[] trainRows, DataOptions options, List<String> notes,
                                        double[] parsed) {
        int missing = 0;
        List<String> values = new ArrayList<>();
        double[] numbers = info.kind().isNumeric() ? new double[trainRows.length] : null;
        int count = 0;
        for (int r : trainRows) {
            if (numbers != null && parsed != null) {
                if (Double.isNaN(parsed[r])) {
                    missing++;
                } else {
                    numbers[count++] = parsed[r];
                }
                continue;
            }
            String cell = table.cell(r, col);
            if (Cells.isMissing(cell)) {
                missing++;
            } else if (numbers != null) {
                numbers[count++] = Cells.number(cell); // number() strips, as for the other kinds below
            } else {
                values.add(cell.strip());
            }
        }
        boolean indicator = options.missingIndicators() && missing > 0;
        String name = info.name();
        switch (info.kind()) {
            case NUMERIC, INTEGER -> {
                if (count == 0) {
                    return null;
                }
                return new ColumnSpec(name, info.kind(), null, List.of(), List.of(), indicator, median(Arrays.copyOf(numbers, count)), null, List.of(), null, null, null, null, List.of());
            }
            case BOOLEAN -> {
                if (values.isEmpty()) {
                    return null;
                }
                int trues = 0;
                for (String s : values) {
                    if (info.trueTokens().contains(s.toLowerCase(Locale.ROOT))) {
                        trues++;
                    }
                }
                double mode = trues > values.size() - trues ? 1.0 : 0.0;
                return new ColumnSpec(name, info.kind(), null, info.trueTokens(), info.falseTokens(), indicator, mode, null, List.of(), null, null, null, null, List.of());
            }
            case CATEGORICAL -> {
                if (values.isEmpty()) {
                    return null;
                }
                HashMap<String, Integer> hashed = new HashMap<>();
                for (String s : values) {
                    hashed.merge(s, 1, Integer::sum);
                }
                TreeMap<String, Integer> counts = new TreeMap<>(hashed);
                String mode = mode(counts);
                return new ColumnSpec(name, info.kind(), null, List.of(), List.of(), indicator, null, mode,
                        new ArrayList<>(counts.keySet()), null, null, null, null, List.of());
            }
            case DATETIME -> {
                if (missing > 0) {
                    notes.add("date-time column '" + name + "': missing cells give all-zero cyclical features");
                }
                double[] trend = options.dateTrend() ? trend(info, table, col, trendRows(table, col, trainRows)) : null;
                return new ColumnSpec(name, info.kind(), info.pattern(), List.of(), List.of(), indicator, null, null, List.of(),
                        trend == null ? null : trend[0], trend == null ? null : trend[1],
                        trend == null ? null : trend[2], trend == null ? null : trend[3], List.of());
            }
            default -> throw new IllegalStateException(info.kind().toString());
        }
    }

    private static int[] trendRows(Table table, int col, int[] trainRows) {
        return Arrays.stream(trainRows).filter(r -> !Cells.isMissing(table.cell(r, col))).toArray();
    }

    /**
     * [mean, population std, min, max] of the fractional years of the given (non-missing) rows; std 1 when they are all
     * equal. The trend is clipped to [min, max] before standardising (see {@link DateTimeStep}).
     */
    private static double[] trend(ColumnInfo info, Table table, int col, int[] rows) {
        java.time.format.DateTimeFormatter f = DateTimeStep.formatter(info.pattern());
        if (rows.length == 0) {
            return new double[]{0.0, 1.0, 0.0, 0.0};
        }
        double[] y = new double[rows.length];
        double sum = 0;
        for (int i = 0; i < rows.length; i++) {
            try {
                y[i] = DateTimeStep.years(table.cell(rows[i], col), f, info.hasTime());
            } catch (java.time.format.DateTimeParseException e) {
                throw new DataException(table.source() + ": column '" + info.name() + "': '" + table.cell(rows[i], col)
                        + "' does not match the date-time pattern " + info.pattern());
            }
            sum += y[i];
        }
        double mean = sum / rows.length;
        double ss = 0;
        for (double v : y) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / rows.length);
        double min = Arrays.stream(y).min().orElseThrow();
        double max = Arrays.stream(y).max().orElseThrow();
        return new double[]{mean, std > 0 ? std : 1.0, min, max};
    }

    /** Median: the middle value, or the mean of the two middle values. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    /** Most frequent key; ties → the first in the map's (sorted) order. */
    static String mode(Map<String, Integer> counts) {
        String best = null;
        int bestCount = -1;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    private static String nearConstant(Table table, int[] trainRows, int col, double threshold) {
        String top = null;
        int topCount = 0;
        if (threshold == 1.0) {
            // Only a constant column is dropped: stop at the first value that differs from the first one.
            String first = valueKey(table.cell(trainRows[0], col));
            for (int r : trainRows) {
                if (!valueKey(table.cell(r, col)).equals(first)) {
                    return null;
                }
            }
            topCount = trainRows.length;
            top = MISSING_KEY.equals(first) ? null : first;
        } else if (threshold > 0.5) {
            // Only a value held by more than half the rows can reach the threshold: find the one candidate by
            // majority vote (Boyer-Moore), then count it, instead of counting every distinct value.
            String candidate = null;
            int votes = 0;
            for (int r : trainRows) {
                String v = valueKey(table.cell(r, col));
                if (votes == 0) {
                    candidate = v;
                    votes = 1;
                } else {
                    votes += v.equals(candidate) ? 1 : -1;
                }
            }
            for (int r : trainRows) {
                if (valueKey(table.cell(r, col)).equals(candidate)) {
                    topCount++;
                }
            }
            top = MISSING_KEY.equals(candidate) ? null : candidate;
        } else {
            Map<String, Integer> counts = new HashMap<>();
            for (int r : trainRows) {
                String v = valueKey(table.cell(r, col));
                int c = counts.merge(v, 1, Integer::sum);
                if (c > topCount) {
                    topCount = c;
                    top = MISSING_KEY.equals(v) ? null : v;
                }
            }
        }
        double share = (double) topCount / trainRows.length;
        if (share >= threshold) {
            return String.format(Locale.ROOT, "%s: %.1f%% of training rows are %s (threshold %.1f%%)",
                    share == 1.0 ? "constant" : "near-constant", 100 * share, top == null ? "missing" : "'" + top + "'", 100 * threshold);
        }
        return null;
    }

    private static final String MISSING_KEY = "\u0000missing";

    /** A cell as the near-constant check counts it: stripped, or one key for every missing cell. */
    private static String valueKey(String cell) {
        return Cells.isMissing(cell) ? MISSING_KEY : cell.strip();
    }

}

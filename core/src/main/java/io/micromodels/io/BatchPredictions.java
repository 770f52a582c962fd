package io.micromodels.io;

import io.micromodels.files.AtomicFiles;
import io.micromodels.data.DataException;
import io.micromodels.data.Table;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.train.PlainMetrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The predictions of a model's frozen form for every row of a table, as {@code micromodels predict} writes them:
 * one row of outputs per data row (class probabilities in the training's class order, or the regression outputs),
 * the predicted class, the unseen categorical values met, and metrics against the target column when the table has
 * it. Runs on the frozen form only: no DL4J network, no ND4J.
 *
 * <pre>{@code
 * FrozenMicromodel model = FrozenMicromodel.load(Path.of("runs/train-1/model.zip"));
 * BatchPredictions p = BatchPredictions.score(model, Table.read(Path.of("new.csv"), ','));
 * p.writeCsv(Path.of("preds.csv"), false, List.of("id"));    // row,id,p_bad,p_good,predicted
 * p.targetMetrics().ifPresent(m -> System.out.println(m.describe()));
 * }</pre>
 */
public final class BatchPredictions {

    /** Metrics against the target column: {@code values} holds accuracy, auc, macro_f1 (classifiers) or rmse, mae. */
    public record TargetMetrics(String target, int rows, int skipped, Map<String, Double> values, String note) {
        /** Copies {@code values}. */
        public TargetMetrics {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** One line, e.g. {@code test metrics on 30 rows with a known 'disease': accuracy 0.8000, auc 0.8800}. */
        public String describe() {
            if (rows == 0) {
                return note;
            }
            String left = skipped == 0 ? "" : " (" + skipped + " row" + (skipped == 1 ? "" : "s")
                    + " left out: target missing or not usable)";
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "test metrics on %d rows with a %s '%s'%s:",
                    rows, values.containsKey("rmse") ? "numeric" : "known", target, left));
            String sep = " ";
            for (Map.Entry<String, Double> e : values.entrySet()) {
                String name = e.getKey().equals("macro_f1") ? "macro F1" : e.getKey();
                double v = e.getValue();
                s.append(sep).append(e.getKey().equals("auc") && Double.isNaN(v) ? "auc undefined (one class only)"
                        : String.format(Locale.ROOT, e.getKey().startsWith("r") || e.getKey().equals("mae")
                        ? "%s %.6g" : "%s %.4f", name, v));
                sep = ", ";
            }
            if (!note.isEmpty()) {
                s.append(' ').append(note);
            }
            return s.toString();
        }
    }

    private final FrozenMicromodel model;
    private final Table table;
    private final double[][] outputs;
    private final int[] labels;
    private final List<String> columns;
    private final long unseen;
    private final List<Integer> unseenRows;
    private final List<UnseenCategory> unseenCells;
    private final List<String> ignoredColumns;
    private final boolean countsUnseen;

    /** Unseen categorical cells kept by {@link #unseenCells()} at most (the count and the rows are complete). */
    public static final int MAX_UNSEEN_LISTED = 1000;

    /** A categorical cell whose level was not seen in training: its 0-based data row, its column and its text. */
    public record UnseenCategory(int row, String column, String value) {
    }

    private BatchPredictions(FrozenMicromodel model, Table table, double[][] outputs, int[] labels, List<String> columns,
                             long unseen, List<Integer> unseenRows, List<UnseenCategory> unseenCells,
                             List<String> ignoredColumns, boolean countsUnseen) {
        this.model = model;
        this.table = table;
        this.outputs = outputs;
        this.labels = labels;
        this.columns = List.copyOf(columns);
        this.unseen = unseen;
        this.unseenRows = List.copyOf(unseenRows);
        this.unseenCells = List.copyOf(unseenCells);
        this.ignoredColumns = List.copyOf(ignoredColumns);
        this.countsUnseen = countsUnseen;
    }

    /**
     * Scores every row of {@code table} (columns matched by name; the target and other columns are ignored).
     *
     * @throws DataException naming the table for missing input columns (listed), or its line for a cell the model
     *                       cannot read
     */
    public static BatchPredictions score(FrozenMicromodel model, Table table) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(table, "table");
        FrozenMetadata md = model.metadata();
        int[] map = columnMap(model.columns(), table.header(), table.source());
        int n = table.rowCount();
        int width = model.outputWidth();
        boolean classifier = md.task().isClassification();
        double[][] p = new double[n][width];
        int[] label = new int[n];
        String[] raw = new String[map.length];
        CompiledPipeline compiled = model.pipeline() instanceof CompiledPipeline c ? c : null;
        long unseen = 0;
        List<Integer> unseenRows = new ArrayList<>();
        List<UnseenCategory> unseenCells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < map.length; j++) raw[j] = table.cell(i, map[j]);
            try {
                model.predict(raw, p[i]);
            } catch (IllegalArgumentException e) {
                throw new DataException(table.source() + ": line " + table.line(i) + ": " + e.getMessage(), e);
            }
            if (compiled != null) {
                List<Integer> cols = compiled.unseenColumns(raw);
                if (!cols.isEmpty()) {
                    unseen += cols.size();
                    unseenRows.add(i);
                    for (int c : cols) {
                        if (unseenCells.size() < MAX_UNSEEN_LISTED) {
                            unseenCells.add(new UnseenCategory(i, model.columns().get(c), raw[c]));
                        }
                    }
                }
            }
            if (classifier) label[i] = model.labelIndex(p[i], 0);
        }
        // outputs in the training's class order (the frozen form keeps a binary model as [negative, positive])
        List<String> columns = new ArrayList<>();
        double[][] ordered = p;
        if (classifier) {
            List<String> order = classOrder(md.classLabels());
            int[] column = new int[width];
            for (int c = 0; c < width; c++) {
                column[c] = md.classLabels().indexOf(order.get(c));
                columns.add("p_" + order.get(c));
            }
            ordered = new double[n][width];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < width; c++) ordered[i][c] = p[i][column[c]];
            }
        } else {
            columns.addAll(md.outputNames());
        }
        List<String> ignored = new ArrayList<>();
        for (String h : table.header()) {
            if (!model.columns().contains(h)) ignored.add(h);
        }
        return new BatchPredictions(model, table, ordered, classifier ? label : null, columns, unseen, unseenRows,
                unseenCells, ignored, compiled != null);
    }

    /** Class labels in the order training lists them (DataPipeline): by text, or by value when every label is a number. */
    public static List<String> classOrder(List<String> labels) {
        List<String> order = new ArrayList<>(labels);
        order.sort(null);
        if (order.stream().allMatch(Cells::isNumeric)) {
            order.sort(Comparator.comparingDouble(l -> Double.parseDouble(l.strip())));
        }
        return order;
    }

    /** Index in {@code header} of each input column; a one-line error naming {@code source} and the missing ones. */
    public static int[] columnMap(List<String> inputs, List<String> header, String source) {
        int[] map = new int[inputs.size()];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < map.length; j++) {
            map[j] = header.indexOf(inputs.get(j));
            if (map[j] < 0) missing.add(inputs.get(j));
        }
        if (!missing.isEmpty()) {
            throw new DataException(source + ": missing input column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + " (expected " + String.join(", ", inputs) + "; found "
                    + String.join(", ", header) + ")");
        }
        return map;
    }

    /** Rows scored. */
    public int rows() {
        return outputs.length;
    }

    /** Names of the output columns: {@code p_<class>} in the training's class order, or the regression outputs. */
    public List<String> outputColumns() {
        return columns;
    }

    /** The outputs of data row {@code i} (0-based) in {@link #outputColumns()} order, shape [outputColumns]. */
    public double[] outputs(int i) {
        return outputs[i].clone();
    }

    /** The predicted class of data row {@code i} (after the model's decision, if any), or null for regression. */
    public String predicted(int i) {
        return labels == null ? null : model.metadata().classLabels().get(labels[i]);
    }

    /** Whether the model's pipeline counts unseen categorical values (compiled pipelines do). */
    public boolean countsUnseen() {
        return countsUnseen;
    }

    /** Categorical cells whose level was not seen in training (encoded as all zeros). */
    public long unseenCategories() {
        return unseen;
    }

    /** The data rows (0-based, the header not counted) that held an unseen categorical value. */
    public List<Integer> unseenRows() {
        return unseenRows;
    }

    /** The first {@value #MAX_UNSEEN_LISTED} unseen categorical cells, in row then column order. */
    public List<UnseenCategory> unseenCells() {
        return unseenCells;
    }

    /**
     * The table's columns the model does not read (the target, ID columns, anything extra), in table order: they are
     * ignored, as {@code serve} ignores extra keys.
     */
    public List<String> ignoredColumns() {
        return ignoredColumns;
    }

    /**
     * Writes {@code row,<id columns>,<output columns>[,predicted]} ({@code row} 0-based over the data rows), through a temporary file and
     * a rename; an existing {@code out} is replaced only with {@code force}.
     *
     * @throws DataException when an id column is not a column of the table (naming the columns there are)
     */
    public void writeCsv(Path out, boolean force, List<String> idColumns) {
        List<String> header = table.header();
        int[] ids = new int[idColumns.size()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = header.indexOf(idColumns.get(k));
            if (ids[k] < 0) {
                throw new DataException("id column '" + idColumns.get(k) + "' is not a column of " + table.source()
                        + " (columns: " + String.join(", ", header) + ")");
            }
        }
        List<String> names = new ArrayList<>();
        for (String id : idColumns) names.add(quote(id));
        for (String c : columns) names.add(quote(c));
        boolean classifier = labels != null;
        try {
            AtomicFiles.write(out, force, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                w.write("row," + String.join(",", names) + (classifier ? ",predicted" : ""));
                w.newLine();
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < outputs.length; i++) {
                    line.setLength(0);
                    line.append(i);
                    for (int id : ids) line.append(',').append(quote(table.cell(i, id)));
                    for (double v : outputs[i]) line.append(',').append(String.format(Locale.ROOT, "%.6g", v));
                    if (classifier) line.append(',').append(quote(predicted(i)));
                    w.write(line.toString());
                    w.newLine();
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Metrics against the target column, when the table has it and rows: rows whose target is missing or an unknown
     * class (not a number, for regression) are left out and counted.
     */
    public java.util.Optional<TargetMetrics> targetMetrics() {
        FrozenMetadata md = model.metadata();
        int target = table.header().indexOf(md.target());
        int n = outputs.length;
        if (target < 0 || n == 0) {
            return java.util.Optional.empty();
        }
        Map<String, Double> values = new LinkedHashMap<>();
        int skipped = 0;
        if (md.task().isClassification()) {
            List<String> classes = md.classLabels();
            // the outputs are in training order; the metrics work on the frozen form's class indices
            List<String> order = classOrder(classes);
            int[] y = new int[n];
            int[] pred = new int[n];
            double[][] prob = new double[n][];
            int k = 0;
            for (int i = 0; i < n; i++) {
                String cell = table.cell(i, target);
                int c = cell == null ? -1 : classes.indexOf(cell.strip());
                if (c < 0) {
                    skipped++;
                    continue;
                }
                y[k] = c;
                pred[k] = labels[i];
                double[] frozenOrder = new double[classes.size()];
                for (int j = 0; j < classes.size(); j++) frozenOrder[classes.indexOf(order.get(j))] = outputs[i][j];
                prob[k++] = frozenOrder;
            }
            if (k == 0) {
                return java.util.Optional.of(new TargetMetrics(md.target(), 0, skipped, Map.of(),
                        "no test metrics: no row of column '" + md.target() + "' holds a known class ("
                                + String.join(", ", classes) + ")"));
            }
            y = Arrays.copyOf(y, k);
            pred = Arrays.copyOf(pred, k);
            values.put("accuracy", PlainMetrics.accuracy(y, pred));
            String note = "";
            if (classes.size() == 2) {
                // the frozen form knows the positive class of a sigmoid model ([negative, positive]) or one with a
                // decision; a two-class softmax model's is not recorded, but the AUC is the same for either class
                boolean known = model.decision().isPresent() || md.task() == TaskKind.BINARY;
                int positive = model.decision().map(d -> d.positive()).orElse(1);
                double[] score = new double[k];
                for (int i = 0; i < k; i++) score[i] = prob[i][positive];
                double auc = PlainMetrics.rocAuc(y, score, positive);
                values.put("auc", auc);
                if (known && !Double.isNaN(auc)) note = "(positive class " + classes.get(positive) + ")";
            } else {
                values.put("macro_f1", PlainMetrics.macroF1(y, pred, classes.size()));
            }
            return java.util.Optional.of(new TargetMetrics(md.target(), k, skipped, values, note));
        }
        if (model.outputWidth() != 1) {
            return java.util.Optional.of(new TargetMetrics(md.target(), 0, 0, Map.of(), "no test metrics: the model has "
                    + model.outputWidth() + " outputs and the file one target column"));
        }
        double[] y = new double[n];
        double[] f = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            String cell = table.cell(i, target);
            double v;
            try {
                v = cell == null || cell.isBlank() ? Double.NaN : Double.parseDouble(cell.strip());
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!Double.isFinite(v)) {
                skipped++;
                continue;
            }
            y[k] = v;
            f[k++] = outputs[i][0];
        }
        if (k == 0) {
            return java.util.Optional.of(new TargetMetrics(md.target(), 0, skipped, Map.of(),
                    "no test metrics: no row of column '" + md.target() + "' holds a number"));
        }
        y = Arrays.copyOf(y, k);
        f = Arrays.copyOf(f, k);
        values.put("rmse", PlainMetrics.rmse(y, f));
        values.put("mae", PlainMetrics.mae(y, f));
        return java.util.Optional.of(new TargetMetrics(md.target(), k, skipped, values, ""));
    }

    /** A CSV cell: quoted when it holds a comma, a quote or a line break; null is empty. */
    public static String quote(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

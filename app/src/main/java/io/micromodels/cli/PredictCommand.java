package io.micromodels.cli;

import io.micromodels.data.DataException;
import io.micromodels.data.Table;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.io.AtomicFiles;
import io.micromodels.train.PlainMetrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels predict}: scores a CSV with a saved model and writes one prediction row per input row.
 *
 * <p>Only the model's frozen form (the zip entry {@value FrozenMicromodel#ZIP_ENTRY}) is read, as {@code serve} does:
 * no DL4J network is restored and ND4J is never initialised, so a cold start takes about a second. Ensembles and a
 * two-class model's decision (threshold, calibration) are part of the frozen form.
 *
 * <pre>
 * ./micromodels predict --model runs/credit/model.zip --data new.csv --out preds.csv [--id-column id ...]
 * </pre>
 * Output: {@code row,<id columns>,<one column per output>,predicted}; {@code row} is 1-based over data rows.
 * When the target column is in {@code --data}, test metrics are printed.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Score a CSV with a saved model; writes row, any --id-column values, class probabilities and",
            "the predicted class (or the prediction). Prints test metrics when the target column is present.",
            "Reads only the model's frozen form: no ND4J start-up."})
final class PredictCommand implements Runnable {

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--model", required = true, paramLabel = "M.zip", description = "A model saved by train or quickstart.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv", description = "Rows to score (the target column may be absent).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "preds.csv", description = "Where to write predictions (never the input).")
    Path out;

    @Option(names = "--sep", paramLabel = "CHAR", description = "Field separator of --data (default ',').")
    String separator;

    @Option(names = "--id-column", paramLabel = "COL",
            description = "Copy this column of --data into the output, after row (repeatable, in the order given).")
    List<String> idColumns = new ArrayList<>();

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        char sep = separator == null ? ',' : Separator.parse(separator);
        for (String id : idColumns) {
            if (id.isBlank()) throw new CliException("--id-column must name a column, got '" + id + "'");
        }
        Outputs.outputFile(out, force, data, model);
        FrozenMicromodel m = ServeCommand.loadFrozen(model);
        FrozenMetadata md = m.metadata();
        Table table = Table.read(data, sep);
        List<String> header = table.header();
        int[] map = columnMap(m.columns(), header, table.source());
        int[] ids = new int[idColumns.size()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = header.indexOf(idColumns.get(k));
            if (ids[k] < 0) {
                throw new CliException("--id-column '" + idColumns.get(k) + "' is not a column of " + data
                        + " (columns: " + String.join(", ", header) + ")");
            }
        }
        int n = table.rowCount();
        int width = m.outputWidth();
        boolean classifier = md.task().isClassification();
        double[][] p = new double[n][width];
        int[] label = new int[n];
        String[] raw = new String[map.length];
        CompiledPipeline compiled = m.pipeline() instanceof CompiledPipeline c ? c : null;
        long unseen = 0;
        List<Integer> unseenRows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < map.length; j++) raw[j] = table.cell(i, map[j]);
            try {
                m.predict(raw, p[i]);
            } catch (IllegalArgumentException e) {
                throw new DataException(table.source() + ": line " + table.line(i) + ": " + e.getMessage(), e);
            }
            if (compiled != null) {
                int added = compiled.unseenCategories(raw);
                if (added > 0) {
                    unseen += added;
                    unseenRows.add(i + 1);
                }
            }
            if (classifier) label[i] = m.labelIndex(p[i], 0);
        }
        List<String> names = new ArrayList<>();
        for (String id : idColumns) names.add(quote(id));
        // probability columns in the training's class order (the frozen form keeps a binary model as [negative, positive])
        int[] column = new int[width];
        for (int c = 0; c < width; c++) column[c] = c;
        if (classifier) {
            List<String> order = classOrder(md.classLabels());
            for (int c = 0; c < width; c++) {
                column[c] = md.classLabels().indexOf(order.get(c));
                names.add(quote("p_" + order.get(c)));
            }
        } else {
            for (String c : md.outputNames()) names.add(quote(c));
        }
        try {
            AtomicFiles.write(out, force, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                w.write("row," + String.join(",", names) + (classifier ? ",predicted" : ""));
                w.newLine();
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    line.setLength(0);
                    line.append(i + 1);
                    for (int id : ids) line.append(',').append(quote(table.cell(i, id)));
                    for (int c = 0; c < width; c++) {
                        line.append(',').append(String.format(Locale.ROOT, "%.6g", p[i][column[c]]));
                    }
                    if (classifier) line.append(',').append(quote(md.classLabels().get(label[i])));
                    w.write(line.toString());
                    w.newLine();
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        o.println("wrote " + n + " predictions to " + out + unseenNote(compiled, unseen, unseenRows));
        int target = header.indexOf(md.target());
        if (target >= 0 && n > 0) metrics(o, m, table, target, p, label);
    }

    /** Class labels in the order training lists them (DataPipeline): by text, or by value when every label is a number. */
    static List<String> classOrder(List<String> labels) {
        List<String> order = new ArrayList<>(labels);
        order.sort(null);
        if (order.stream().allMatch(io.micromodels.frozen.plan.Cells::isNumeric)) order.sort(java.util.Comparator.comparingDouble(l -> Double.parseDouble(l.strip())));
        return order;
    }

    /** Index in the file's header of each model input column; a one-line error listing the missing ones. */
    static int[] columnMap(List<String> inputs, List<String> header, String source) {
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

    private static String unseenNote(CompiledPipeline compiled, long unseen, List<Integer> rows) {
        if (compiled == null) return " (this model's pipeline does not count unseen categorical values)";
        if (unseen == 0) return "";
        StringBuilder s = new StringBuilder(" (" + unseen + " unseen categorical value" + (unseen == 1 ? "" : "s")
                + " encoded as all zeros, in row" + (rows.size() == 1 ? " " : "s "));
        for (int k = 0; k < Math.min(10, rows.size()); k++) s.append(k == 0 ? "" : ", ").append(rows.get(k));
        if (rows.size() > 10) s.append(" and ").append(rows.size() - 10).append(" more");
        return s.append(')').toString();
    }

    /** Prints test metrics against the target column; rows whose target is missing or an unknown class are left out. */
    private static void metrics(PrintWriter o, FrozenMicromodel m, Table table, int target, double[][] p, int[] label) {
        FrozenMetadata md = m.metadata();
        int n = table.rowCount();
        int skipped = 0;
        if (md.task().isClassification()) {
            List<String> classes = md.classLabels();
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
                pred[k] = label[i];
                prob[k++] = p[i];
            }
            if (k == 0) {
                o.println("no test metrics: no row of column '" + md.target() + "' holds a known class (" + String.join(", ", classes) + ")");
                return;
            }
            y = java.util.Arrays.copyOf(y, k);
            pred = java.util.Arrays.copyOf(pred, k);
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "test metrics on %d rows with a known '%s'%s: accuracy %.4f",
                    k, md.target(), skippedNote(skipped), PlainMetrics.accuracy(y, pred)));
            if (classes.size() == 2) {
                // the frozen form knows the positive class of a sigmoid model ([negative, positive]) or one with a
                // decision; a two-class softmax model's is not recorded, but the AUC is the same for either class
                boolean known = m.decision().isPresent() || md.task() == io.micromodels.frozen.TaskKind.BINARY;
                int positive = m.decision().map(d -> d.positive()).orElse(1);
                double[] score = new double[k];
                for (int i = 0; i < k; i++) score[i] = prob[i][positive];
                double auc = PlainMetrics.rocAuc(y, score, positive);
                s.append(Double.isNaN(auc) ? ", auc undefined (one class only)"
                        : String.format(Locale.ROOT, ", auc %.4f", auc) + (known ? " (positive class " + classes.get(positive) + ")" : ""));
            } else {
                s.append(String.format(Locale.ROOT, ", macro F1 %.4f", PlainMetrics.macroF1(y, pred, classes.size())));
            }
            o.println(s);
            return;
        }
        if (m.outputWidth() != 1) {
            o.println("no test metrics: the model has " + m.outputWidth() + " outputs and the file one target column");
            return;
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
            f[k++] = p[i][0];
        }
        if (k == 0) {
            o.println("no test metrics: no row of column '" + md.target() + "' holds a number");
            return;
        }
        y = java.util.Arrays.copyOf(y, k);
        f = java.util.Arrays.copyOf(f, k);
        o.println(String.format(Locale.ROOT, "test metrics on %d rows with a numeric '%s'%s: rmse %.6g, mae %.6g",
                k, md.target(), skippedNote(skipped), PlainMetrics.rmse(y, f), PlainMetrics.mae(y, f)));
    }

    private static String skippedNote(int skipped) {
        return skipped == 0 ? "" : " (" + skipped + " row" + (skipped == 1 ? "" : "s") + " left out: target missing or not usable)";
    }

    static String quote(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

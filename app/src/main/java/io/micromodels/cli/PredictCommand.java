package io.micromodels.cli;

import io.micromodels.data.Table;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.io.BatchPredictions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels predict}: scores a CSV with a saved model and writes one prediction row per input row; the
 * scoring, the CSV and the metrics are {@link BatchPredictions} (core).
 *
 * <p>Only the model's frozen form (the zip entry {@value FrozenMicromodel#ZIP_ENTRY}) is read, as {@code serve} does:
 * no DL4J network is restored and ND4J is never initialised, so a cold start takes about a second. Ensembles and a
 * two-class model's decision (threshold, calibration) are part of the frozen form.
 *
 * <pre>
 * ./micromodels predict --model runs/credit/model.zip --data new.csv --out preds.csv [--id-column id ...]
 * </pre>
 * Output: {@code row,<id columns>,<one column per output>,predicted}; {@code row} is the 0-based index of the data row
 * (the header is not counted), as in explain's files and the run folder's split.csv. Columns of {@code --data} the
 * model does not read are ignored and named in a note, as {@code serve} ignores and names extra keys.
 * When the target column is in {@code --data}, test metrics are printed.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Score a CSV with a saved model: one output row per data row (row index, any --id-column values, "
                + "class probabilities and the predicted class, or the prediction).",
            "Rows are numbered from 0 over the data rows (the header is not counted), as explain numbers them.",
            "Prints test metrics when the target column is present; columns the model does not use are ignored "
                + "and named in a note.",
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

    @picocli.CommandLine.Mixin
    SeparatorFlag separator = new SeparatorFlag();

    @Option(names = "--id-column", paramLabel = "COL",
            description = "Copy this column of --data into the output, after row (repeatable, in the order given).")
    List<String> idColumns = new ArrayList<>();

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        char sep = separator.get();
        for (String id : idColumns) {
            if (id.isBlank()) throw new CliException("--id-column must name a column, got '" + id + "'");
        }
        Outputs.outputFile(out, force, data, model);
        FrozenMicromodel m = ServeCommand.loadFrozen(model);
        Table table = Table.read(data, sep);
        List<String> header = table.header();
        for (String id : idColumns) {
            if (!header.contains(id)) {
                throw new CliException("--id-column '" + id + "' is not a column of " + data
                        + " (columns: " + String.join(", ", header) + ")");
            }
        }
        BatchPredictions predictions = BatchPredictions.score(m, table);
        predictions.writeCsv(out, force, idColumns);
        o.println("wrote " + predictions.rows() + " predictions to " + out
                + " (column row: the 0-based data row, the header not counted)");
        List<String> ignored = new ArrayList<>(predictions.ignoredColumns());
        ignored.removeAll(idColumns);
        if (!ignored.isEmpty()) {
            o.println("note: column" + (ignored.size() == 1 ? " " : "s ") + String.join(", ", ignored)
                    + " of " + data + (ignored.size() == 1 ? " is" : " are") + " not a model input and ignored");
        }
        String unseen = unseenNote(predictions);
        if (!unseen.isEmpty()) o.println(unseen);
        predictions.targetMetrics().ifPresent(metrics -> o.println(metrics.describe()));
    }

    /** A warning naming the rows (0-based), columns and values of unseen categories; empty when there are none. */
    static String unseenNote(BatchPredictions p) {
        if (!p.countsUnseen()) return "note: this model's pipeline does not count unseen categorical values";
        long unseen = p.unseenCategories();
        if (unseen == 0) return "";
        List<BatchPredictions.UnseenCategory> cells = p.unseenCells();
        StringBuilder s = new StringBuilder("warning: " + unseen + " unseen categorical value" + (unseen == 1 ? "" : "s")
                + " (not in training, encoded as all zeros) in " + p.unseenRows().size() + " row"
                + (p.unseenRows().size() == 1 ? "" : "s") + ": ");
        int shown = Math.min(10, cells.size());
        for (int k = 0; k < shown; k++) {
            BatchPredictions.UnseenCategory c = cells.get(k);
            s.append(k == 0 ? "" : ", ").append("row ").append(c.row()).append(' ').append(c.column()).append("='")
                    .append(c.value()).append('\'');
        }
        if (unseen > shown) s.append(" and ").append(unseen - shown).append(" more");
        return s.toString();
    }
}

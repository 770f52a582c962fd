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
        o.println("wrote " + predictions.rows() + " predictions to " + out + unseenNote(predictions));
        predictions.targetMetrics().ifPresent(metrics -> o.println(metrics.describe()));
    }

    private static String unseenNote(BatchPredictions p) {
        if (!p.countsUnseen()) return " (this model's pipeline does not count unseen categorical values)";
        long unseen = p.unseenCategories();
        List<Integer> rows = p.unseenRows();
        if (unseen == 0) return "";
        StringBuilder s = new StringBuilder(" (" + unseen + " unseen categorical value" + (unseen == 1 ? "" : "s")
                + " encoded as all zeros, in row" + (rows.size() == 1 ? " " : "s "));
        for (int k = 0; k < Math.min(10, rows.size()); k++) s.append(k == 0 ? "" : ", ").append(rows.get(k));
        if (rows.size() > 10) s.append(" and ").append(rows.size() - 10).append(" more");
        return s.append(')').toString();
    }
}

package io.micromodels.cli;

import io.micromodels.data.Table;
import io.micromodels.io.AtomicFiles;
import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code micromodels predict}: scores a CSV with a saved model and writes one prediction row per input row. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score a CSV with a saved model; writes row, class probabilities and predicted class (or the prediction).")
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

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        Outputs.outputFile(out, force, data, model);
        main.loadBackend();
        try (TrainedModel m = ModelStore.load(model)) {
            char sep = separator == null ? ',' : TrainCommand.parseSeparator(separator);
            Table table = m.pipeline().readCsv(data, sep);
            double[][] p = m.predict(table);
            List<String> names = m.outputNames();
            List<String> classes = m.pipeline().task().classes();
            AtomicFiles.write(out, force, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                w.write("row," + String.join(",", names.stream().map(PredictCommand::quote).toList())
                        + (classes.isEmpty() ? "" : ",predicted"));
                w.newLine();
                for (int i = 0; i < p.length; i++) {
                    StringBuilder line = new StringBuilder().append(i + 1);
                    for (int c = 0; c < p[i].length; c++) {
                        line.append(',').append(String.format(Locale.ROOT, "%.6g", p[i][c]));
                    }
                    if (!classes.isEmpty()) {
                        line.append(',').append(quote(classes.get(m.predictedClass(p[i]))));
                    }
                    w.write(line.toString());
                    w.newLine();
                }
                w.flush();
            });
            long unseen = m.pipeline().unseenCategories();
            o.println("wrote " + p.length + " predictions to " + out
                    + (unseen > 0 ? " (" + unseen + " unseen categorical values encoded as all zeros)" : ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}

package io.micromodels.cli;

import io.micromodels.data.Table;
import io.micromodels.io.ModelStore;
import io.micromodels.report.ModelReport;
import io.micromodels.report.StudyDashboard;
import io.micromodels.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code micromodels report}: a model's report ({@code --model}) or a study's dashboard as a static page
 * ({@code --study}), written as one self-contained {@code report.html} in {@code --out}.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report of a model (--model) or a study (--study) to OUT/report.html.")
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--model", paramLabel = "M.zip", description = "Model file to report on.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE.csv", description = "CSV with the target column: metrics and curves on it.")
    Path data;

    @Option(names = "--study", paramLabel = "DIR", description = "Study folder (study.json, trials.jsonl) to report on.")
    Path study;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for report.html.")
    Path out;

    @Option(names = "--force", description = "Replace an existing report.html.")
    boolean force;

    @Override
    public Integer call() {
        if ((model == null) == (study == null)) {
            throw new CliException("give exactly one of --model M.zip or --study DIR");
        }
        if (study != null && data != null) {
            throw new CliException("--data goes with --model, not --study");
        }
        if (model != null && !Files.isRegularFile(model)) {
            throw new CliException("--model: no such file " + model);
        }
        if (data != null && !Files.isRegularFile(data)) {
            throw new CliException("--data: no such file " + data);
        }
        Path file = out.resolve(ModelReport.FILE);
        if (!force && Files.exists(file)) {
            throw new CliException("--out: " + file + " already exists; give --force to replace it");
        }
        if (study != null) {
            StudyDashboard.writeStatic(study, out, force);
        } else {
            main.loadBackend();
            try (TrainedModel m = ModelStore.load(model)) {
                Table t = data == null ? null : m.pipeline().readCsv(data, ',');
                ModelReport.write(m, model.getFileName().toString(), t, out, force);
            }
        }
        command.commandLine().getOut().println("wrote " + file);
        return 0;
    }
}

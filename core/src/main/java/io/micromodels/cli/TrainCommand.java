package io.micromodels.cli;

import io.micromodels.backend.BackendInfo;
import io.micromodels.data.BadCellPolicy;
import io.micromodels.data.BundledDataset;
import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.Datasets;
import io.micromodels.data.Normalization;
import io.micromodels.data.PreparedData;
import io.micromodels.data.TaskKind;
import io.micromodels.io.ModelStore;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code micromodels train}: prepares a CSV or bundled dataset, trains a micromodel, prints metrics, saves the model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a micromodel on a CSV file or a bundled dataset and save it as a zip.")
final class TrainCommand implements Runnable {

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        FileSource file;

        @Option(names = "--dataset", paramLabel = "NAME", description = "A bundled dataset (see 'micromodels datasets').")
        String dataset;
    }

    static final class FileSource {
        @Option(names = "--data", required = true, paramLabel = "FILE.csv", description = "Training CSV with a header row.")
        Path data;

        @Option(names = "--target", required = true, paramLabel = "COL", description = "The column to predict.")
        String target;

        @Option(names = "--task", paramLabel = "binary|multiclass|regression",
                description = "What the target is (default: inferred from its values).")
        String task;

        @Option(names = "--drop", split = ",", paramLabel = "COL", description = "Columns to ignore (ids, leaks).")
        java.util.List<String> drop = new java.util.ArrayList<>();

        @Option(names = "--time-column", paramLabel = "COL",
                description = "Split in time order by this column instead of a stratified random split.")
        String timeColumn;

        @Option(names = "--bad-cells", paramLabel = "error|missing",
                description = "Cells that are not numbers in an almost numeric column (>= 95% numbers): 'error' (default) "
                        + "lists them; 'missing' treats them as missing, with a warning per column.")
        String badCells;
    }

    @Option(names = "--spec", paramLabel = "spec.json", description = "Micromodel spec (JSON); default: two ReLU layers 32-16.")
    Path specFile;

    @Option(names = "--normalization", paramLabel = "standardize|min_max|none|quantile|piecewise_linear",
            description = "Encoding of numeric features, fitted on the training split (default standardize; quantile = "
                    + "rank-Gauss, piecewise_linear = up to 16 quantile bins per column).")
    String normalization;

    @Option(names = "--sep", paramLabel = "CHAR", description = "Field separator of --data (default ',').")
    String separator;

    @Option(names = "--seed", description = "Seed of the data split and training (default ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: a new folder under runs/).")
    Path out;

    @Option(names = "--force", description = "Allow writing into a non-empty --out folder, replacing files.")
    boolean force;

    @Option(names = "--quiet", description = "Print only the final metrics and paths.")
    boolean quiet;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        BackendInfo backend = main.loadBackend();
        Prepared p = prepare(o);
        MicromodelSpec spec = specFile == null ? TrainedModel.defaultSpec(p.data()).withSeed(seed) : readSpec(specFile);
        Path dir = Outputs.runDir(out, "train", force);
        TrainedModel model = trainAndReport(o, p, spec, quiet);
        try (model) {
            Path zip = dir.resolve("model.zip");
            ModelStore.save(model, zip, force);
            o.println("saved " + zip + "  (" + backend.name() + ")");
        }
    }

    /** A dataset ready to train on, and its name for provenance. */
    record Prepared(PreparedData data, String source) {
    }

    Prepared prepare(PrintWriter o) {
        if (source.dataset != null) {
            if (separator != null) {
                throw new CliException("--sep applies to --data files, not to bundled datasets");
            }
            BundledDataset d = Datasets.load(source.dataset);
            PreparedData data = normalization == null ? d.prepare(seed)
                    : d.prepare(d.options().withSeed(seed).withNormalization(parseNormalization(normalization)));
            if (!quiet) {
                o.println("dataset " + d.name() + ": " + data.report());
            }
            return new Prepared(data, "dataset:" + d.name());
        }
        Path csv = source.file.data;
        DataOptions.Builder options = DataOptions.builder(source.file.target).seed(seed)
                .dropColumns(source.file.drop).timeColumn(source.file.timeColumn);
        if (source.file.badCells != null) {
            options.badCells(parseBadCells(source.file.badCells));
        }
        if (normalization != null) {
            options.normalization(parseNormalization(normalization));
        }
        if (source.file.task != null) {
            options.task(parseTask(source.file.task));
        }
        if (separator != null) {
            options.separator(parseSeparator(separator));
        }
        PreparedData data = DataPipeline.prepare(csv, options.build());
        if (!quiet) {
            o.println(data.report());
        } else {
            // Bad cells treated as missing are worth a line even in quiet mode.
            data.report().notes().stream().filter(n -> n.startsWith("warning: ")).forEach(n -> command.commandLine().getErr().println(n));
        }
        return new Prepared(data, csv.toString());
    }

    static TrainedModel trainAndReport(PrintWriter o, Prepared p, MicromodelSpec spec, boolean quiet) {
        o.println("training " + spec.shape() + " (" + spec.parameterCount() + " parameters), up to " + spec.epochs()
                + " epochs, patience " + spec.patience());
        TrainedModel model = TrainedModel.train(p.data(), spec, p.source(), report -> {
            if (!quiet && (report.epoch() == 1 || report.epoch() % 10 == 0 || report.improved() && report.epoch() < 10)) {
                o.println("  " + report.line());
            }
        });
        var prov = model.provenance();
        o.printf(java.util.Locale.ROOT, "stopped after %d epochs, best epoch %d, %.1f s%n", prov.epochsRun(), prov.bestEpoch(),
                prov.trainingSeconds());
        o.println("test metrics (" + p.data().test().numExamples() + " rows):");
        o.print(model.testMetrics().table());
        return model;
    }

    static Normalization parseNormalization(String s) {
        try {
            return Normalization.parse(s);
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage().replace("; got", ", got"));
        }
    }

    static MicromodelSpec readSpec(Path file) {
        try {
            return MicromodelSpec.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new CliException("--spec " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --spec " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException("--spec " + file + ": " + e.getMessage());
        }
    }

    static TaskKind parseTask(String s) {
        for (TaskKind k : TaskKind.values()) {
            if (k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new CliException("--task must be one of binary, multiclass, regression; got '" + s + "'");
    }

    static BadCellPolicy parseBadCells(String s) {
        for (BadCellPolicy p : BadCellPolicy.values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new CliException("--bad-cells must be 'error' or 'missing', got '" + s + "'");
    }

    static char parseSeparator(String s) {
        String t = s.equals("\\t") || s.equalsIgnoreCase("tab") ? "\t" : s;
        if (t.length() != 1) {
            throw new CliException("--sep must be one character (or \\t), got '" + s + "'");
        }
        return t.charAt(0);
    }
}

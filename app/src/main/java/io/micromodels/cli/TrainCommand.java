package io.micromodels.cli;

import io.micromodels.population.Ensemble;
import io.micromodels.backend.BackendInfo;
import io.micromodels.data.BadCellPolicy;
import io.micromodels.data.BundledDataset;
import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.Datasets;
import io.micromodels.data.Normalization;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.TaskKind;
import io.micromodels.io.ModelStore;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.TrainedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
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

    /** Where the data comes from: a CSV file or a bundled dataset (train and tune). */
    static final class Source {
        @Option(names = "--data", paramLabel = "FILE.csv", description = "Training CSV with a header row (with --target).")
        Path data;

        @Option(names = "--dataset", paramLabel = "NAME", description = "A bundled dataset (see 'micromodels datasets').")
        String dataset;
    }

    @picocli.CommandLine.Mixin
    DataFlags dataFlags = new DataFlags();

    @Option(names = "--spec", paramLabel = "spec.json", description = "Micromodel spec (JSON); default: two ReLU layers 32-16.")
    Path specFile;

    @Option(names = "--normalization", paramLabel = "standardize|min_max|none|quantile|piecewise_linear",
            description = "Encoding of numeric features, fitted on the training split (default piecewise_linear; quantile = "
                    + "rank-Gauss, piecewise_linear = up to 16 quantile bins per column).")
    String normalization;

    @Option(names = "--seed", paramLabel = "N", description = "Root seed of the run (default 42, or with --spec the spec's "
            + "seed): the data split uses it as 'tune' does; weight initialisation, batch order and dropout each use their "
            + "own fork of it. With --spec, --seed overrides the spec's seed (a line says so); the model records the seeds.")
    Long seed;

    /** The root seed: {@code --seed}, else the spec's seed, else 42 (set in {@link #run} before the data is prepared). */
    private long root = DataOptions.DEFAULT_SEED;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: a new folder under runs/).")
    Path out;

    @Option(names = "--force", description = "Allow writing into a non-empty --out folder, replacing files.")
    boolean force;

    @Option(names = "--quiet", description = "Print only the final metrics and paths.")
    boolean quiet;

    @Option(names = "--no-report", description = "Do not write report.html (the model report) beside the model.")
    boolean noReport;

    @Option(names = "--ensemble", paramLabel = "N", description = "Train N members (the spec with N seeds) together as one population and average them (default 1).")
    Integer ensemble;

    @Option(names = "--lr-schedule", paramLabel = "constant|cosine|one_cycle", description = "Learning-rate schedule "
            + "over the spec's epochs, set once an epoch: cosine decay (PyTorch CosineAnnealingLR) or one-cycle "
            + "(PyTorch OneCycleLR); default: the spec's (constant).")
    String lrSchedule;

    @Option(names = "--warmup", paramLabel = "F", description = "With --lr-schedule: the fraction of the epochs spent "
            + "warming up linearly, in [0, 1) (default 0); for one_cycle its rising fraction, in (0, 1) (default 0.3).")
    Double warmup;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Decoupled weight decay (AdamW: each step also takes "
            + "lr * X * w off every weight), in [0, 1]; default: the spec's (0).")
    Double weightDecay;

    @picocli.CommandLine.Mixin
    QualityFlags qualityFlags = new QualityFlags();

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train data-parallel on Apache Spark with DL4J's "
            + "parameter averaging: local[N] or spark://host:port. The executors read the --data CSV (the same path on "
            + "every machine) through the pipeline fitted here; the model is saved as a local one.")
    String spark;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        QualityOptions quality = qualityFlags.options();
        java.util.function.UnaryOperator<io.micromodels.spec.Updater> training = trainingFlags(lrSchedule, warmup, weightDecay);
        Outputs.checkRunDir(out, force);
        BackendInfo backend = main.loadBackend();
        if (ensemble != null && (ensemble < 1 || ensemble > 64)) {
            throw new CliException("--ensemble must be in [1, 64] members, got " + ensemble);
        }
        io.micromodels.spark.SparkMaster master = spark == null ? null : SparkTrain.check(spark, source, ensemble, quality);
        MicromodelSpec given = specFile == null ? null : readSpec(specFile);
        root = seed != null ? seed : given != null ? given.seed() : DataOptions.DEFAULT_SEED;
        if (seed != null && given != null && given.seed() != seed) {
            o.println("seed " + seed + " (--seed) overrides the spec's seed " + given.seed());
        }
        Prepared p = prepare(o, quality.positiveClass());
        QualityFlags.check(quality, p.data().task());
        MicromodelSpec spec = (given == null ? TrainedModel.defaultSpec(p.data()) : given).withSeed(root);
        spec = io.micromodels.spec.Micromodel.from(spec).updater(training.apply(spec.updater())).build();
        Path dir = Outputs.runDir(out, "train", force);
        TrainedModel model = master != null
                ? SparkTrain.train(o, command.commandLine().getErr(), master, source.data, p, spec, quiet, quality)
                : ensemble != null && ensemble > 1 ? trainEnsemble(o, p, spec, ensemble, quality)
                : trainAndReport(o, command.commandLine().getErr(), p, spec, quiet, quality);
        try (model) {
            Path zip = dir.resolve("model.zip");
            ModelStore.save(model, zip, force);
            if (model.decision() != null) {
                writeReliability(o, model, p.data().test(), dir);
            }
            o.println("saved " + zip + "  (" + backend.name() + ")");
            writeSplit(o, p.data(), dir);
            if (!noReport) {
                o.println("report " + io.micromodels.report.ModelReport.write(model, "model.zip", p.data(), dir, force));
            }
        }
    }

    /** reliability.csv (and reliability.png) of a binary model on the test split, each via a temporary file. */
    static void writeReliability(PrintWriter o, TrainedModel model, org.nd4j.linalg.dataset.DataSet test, Path dir) {
        double[][] rows = model.reliability(test, 10);
        StringBuilder csv = new StringBuilder("bin_lower,bin_upper,mean_predicted,observed_frequency,count\n");
        for (double[] r : rows) {
            csv.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f,%.6f,%.6f,%d%n", r[0], r[1], r[2], r[3], (long) r[4]));
        }
        Path file = dir.resolve("reliability.csv");
        Path png = dir.resolve("reliability.png");
        try {
            Path tmp = Files.createTempFile(dir, ".reliability-", ".csv.tmp");
            try {
                Files.writeString(tmp, csv, StandardCharsets.UTF_8);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            Path tmpPng = Files.createTempFile(dir, ".reliability-", ".png.tmp");
            try {
                io.micromodels.plots.ExplainPlots.reliabilityFigure(rows, String.format(java.util.Locale.ROOT,
                        "test split, %d rows, 10 bins; Brier score %.4f", test.numExamples(),
                        model.testMetrics().get("brier"))).writePng(tmpPng);
                Files.move(tmpPng, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmpPng);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        o.println("reliability diagram (test split): " + file + ", " + png);
    }

    /**
     * The data split's seed: the root seed itself, as {@code tune} and {@code quickstart} split, so that a trained and a
     * tuned model on one seed are tested on the same rows (the training's own sources use forks of the root).
     */
    private long splitSeed() {
        return root;
    }

    /** A dataset ready to train on, and its name for provenance. */
    record Prepared(PreparedData data, String source) {
    }

    Prepared prepare(PrintWriter o) {
        return prepare(o, "");
    }

    /** @param positiveClass the --positive-class label, or "" for the default */
    Prepared prepare(PrintWriter o, String positiveClass) {
        try {
            return prepareData(o, positiveClass);
        } catch (io.micromodels.data.DataException e) {
            if (!positiveClass.isEmpty() && e.getMessage() != null && e.getMessage().contains("positiveClass")) {
                throw new CliException("--positive-class '" + positiveClass + "': " + e.getMessage());
            }
            throw e;
        }
    }

    private Prepared prepareData(PrintWriter o, String positiveClass) {
        DataOptions dataOptions = dataOptions(source, dataFlags, splitSeed(), positiveClass);
        if (normalization != null) {
            dataOptions = DataFlags.build(dataOptions.toBuilder().normalization(parseNormalization(normalization)));
        }
        if (source.dataset != null) {
            BundledDataset d = Datasets.load(source.dataset);
            PreparedData data = d.prepare(dataOptions);
            if (!quiet) {
                o.println("dataset " + d.name() + ": " + DataFlags.inFlags(data.report().toString()));
            }
            return new Prepared(data, "dataset:" + d.name());
        }
        Path csv = source.data;
        long size = fileSize(csv);
        boolean big = size > BIG_FILE_BYTES && !quiet;
        if (big) {
            command.commandLine().getErr().printf(java.util.Locale.ROOT, "preparing %s (%.0f MB)...%n", csv, size / 1e6);
        }
        long start = System.nanoTime();
        PreparedData data = DataPipeline.prepare(csv, dataOptions);
        if (big) {
            command.commandLine().getErr().printf(java.util.Locale.ROOT, "prepared %d rows in %.1f s%n", data.report().rowsUsed(),
                    (System.nanoTime() - start) / 1e9);
        }
        if (!quiet) {
            o.println(DataFlags.inFlags(data.report().toString()));
        } else {
            // Bad cells treated as missing are worth a line even in quiet mode.
            data.report().notes().stream().filter(n -> n.startsWith("warning: ")).forEach(n -> command.commandLine().getErr().println(n));
        }
        return new Prepared(data, csv.toString());
    }

    /**
     * The data options of a command line (train, tune): a bundled dataset's catalogue options or a CSV's defaults, with
     * the given data flags, the split seed and the positive class ("" = inferred).
     */
    static DataOptions dataOptions(Source source, DataFlags flags, long splitSeed, String positiveClass) {
        DataOptions.Builder b;
        if (source.dataset != null) {
            b = Datasets.load(source.dataset).options().toBuilder();
        } else {
            if (flags.target == null) {
                throw new CliException("--data needs --target COL (the column to predict)");
            }
            b = DataOptions.builder(flags.target);
        }
        b.seed(splitSeed);
        if (!positiveClass.isEmpty()) {
            b.positiveClass(positiveClass);
        }
        return flags.apply(b, source.dataset != null);
    }

    /** Writes split.csv (the split as 0-based data-row indices and parts) and data-options.json into a run folder. */
    static void writeSplit(PrintWriter o, PreparedData data, Path dir) {
        if (data.raw() == null) {
            return;
        }
        Path split = dir.resolve("split.csv");
        io.micromodels.data.SplitFile.write(split, data.raw().splitRows(), true);
        if (data.options() != null) {
            try {
                io.micromodels.files.AtomicFiles.write(dir.resolve("data-options.json"), true,
                        (io.micromodels.json.StrictJson.write(data.options()) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + dir.resolve("data-options.json") + ": " + e.getMessage(), e);
            }
        }
        o.println("split " + split + " (row = 0-based data-row index; reuse it with --split-file)");
    }

    static TrainedModel trainAndReport(PrintWriter o, PrintWriter err, Prepared p, MicromodelSpec spec, boolean quiet) {
        return trainAndReport(o, err, p, spec, quiet, QualityOptions.defaults());
    }

    static TrainedModel trainAndReport(PrintWriter o, PrintWriter err, Prepared p, MicromodelSpec spec, boolean quiet,
                                       QualityOptions quality) {
        o.println("training " + spec.shape() + " (" + spec.parameterCount() + " parameters), up to " + spec.epochs()
                + " epochs, patience " + spec.patience()
                + (quality.metricChosen() ? ", early stopping on validation " + quality.metric() : "")
                + (quality.classWeight() != io.micromodels.train.ClassWeight.NONE ? ", class weights " + quality.classWeight().flagName() : "")
                + scheduleNote(spec));
        EpochProgress progress = new EpochProgress(err, spec.epochs());
        TrainedModel model = TrainedModel.train(p.data(), spec, p.source(), quality, report -> {
            if (!quiet && (report.epoch() == 1 || report.epoch() % 10 == 0 || report.improved() && report.epoch() < 10)) {
                o.println("  " + report.line());
            }
            if (!quiet) {
                progress.onEpoch(report);
            }
        });
        var prov = model.provenance();
        o.printf(java.util.Locale.ROOT, "stopped after %d epochs, best epoch %d, %.1f s%n", prov.epochsRun(), prov.bestEpoch(),
                prov.trainingSeconds());
        printDecision(o, p, model);
        o.println("test metrics (" + p.data().test().numExamples() + " rows):");
        o.print(model.testMetrics().table());
        return model;
    }

    /**
     * What {@code --lr-schedule}, {@code --warmup} and {@code --weight-decay} do to the spec's updater, checked before
     * anything touches the disk.
     *
     * @throws CliException naming the flag, the allowed values and the value
     */
    static java.util.function.UnaryOperator<io.micromodels.spec.Updater> trainingFlags(String schedule, Double warmup,
                                                                                      Double weightDecay) {
        io.micromodels.spec.LearningRateSchedule s = null;
        if (schedule != null) {
            io.micromodels.spec.LearningRateSchedule.Kind kind;
            try {
                kind = io.micromodels.spec.LearningRateSchedule.Kind.parse(schedule);
            } catch (IllegalArgumentException e) {
                throw new CliException("--lr-schedule must be one of [constant, cosine, one_cycle], got '" + schedule + "'");
            }
            boolean oneCycle = kind == io.micromodels.spec.LearningRateSchedule.Kind.ONE_CYCLE;
            double w = warmup != null ? warmup : oneCycle ? io.micromodels.spec.LearningRateSchedule.ONE_CYCLE_DEFAULT_WARMUP : 0;
            if (oneCycle ? !(w > 0 && w < 1) : !(w >= 0 && w < 1)) {
                throw new CliException("--warmup must be in " + (oneCycle ? "(0, 1) for one_cycle" : "[0, 1)") + ", got " + w);
            }
            s = new io.micromodels.spec.LearningRateSchedule(kind, w);
        } else if (warmup != null) {
            throw new CliException("--warmup needs --lr-schedule, got --warmup " + warmup + " alone");
        }
        if (weightDecay != null && !(weightDecay >= 0 && weightDecay <= io.micromodels.spec.Updater.MAX_WEIGHT_DECAY)) {
            throw new CliException("--weight-decay must be in [0, 1], got " + weightDecay);
        }
        io.micromodels.spec.LearningRateSchedule chosen = s;
        return u -> {
            io.micromodels.spec.Updater r = chosen == null ? u : u.withSchedule(chosen);
            return weightDecay == null ? r : r.withWeightDecay(weightDecay);
        };
    }

    /** ", adam 3.0e-03, cosine, weight decay 1.0e-02" when the spec has a schedule or weight decay, else "". */
    static String scheduleNote(MicromodelSpec spec) {
        io.micromodels.spec.Updater u = spec.updater();
        return u.schedule().isConstant() && u.weightDecay() == 0 ? "" : ", " + u.describe();
    }

    /** The binary decision fitted on validation, when it is not the standard one. */
    static void printDecision(PrintWriter o, Prepared p, TrainedModel model) {
        printDecision(o, p.data().task().classes(), model, "validation");
    }

    /**
     * The binary decision, when it is not the standard one, saying what it was fitted on.
     *
     * @param on what the decision was fitted on, e.g. {@code validation} or {@code out-of-fold predictions}
     */
    static void printDecision(PrintWriter o, List<String> classes, TrainedModel model, String on) {
        if (model.decision() != null && !model.decision().isStandard()) {
            var d = model.decision();
            o.printf(java.util.Locale.ROOT, "decision (fitted on %s): threshold %.4f on p(%s)%s%n", on, d.threshold(),
                    classes.get(d.positive()),
                    d.calibrated() ? String.format(java.util.Locale.ROOT, ", Platt calibration slope %.4f intercept %.4f",
                            d.slope(), d.intercept()) : "");
        }
    }

    static TrainedModel trainEnsemble(PrintWriter o, Prepared p, MicromodelSpec spec, int n, QualityOptions quality) {
        o.println("training an ensemble of " + n + " x " + spec.shape() + " (" + spec.parameterCount() + " parameters each) "
                + "as one population, up to " + spec.epochs() + " epochs, patience " + spec.patience() + scheduleNote(spec)
                + (quality.metricChosen() ? ", early stopping on validation " + quality.metric() : "")
                + (quality.classWeight() != io.micromodels.train.ClassWeight.NONE ? ", class weights " + quality.classWeight().flagName() : ""));
        long start = System.nanoTime();
        TrainedModel model = Ensemble.train(p.data(), spec, n, p.source(), quality);
        o.printf(java.util.Locale.ROOT, "trained %d members in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
        printDecision(o, p, model);
        o.println("test metrics of the averaged ensemble (" + p.data().test().numExamples() + " rows):");
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

    /** Files larger than this get a line before and after preparing (it takes seconds). */
    static final long BIG_FILE_BYTES = 20_000_000L;

    private static long fileSize(Path csv) {
        try {
            return Files.size(csv);
        } catch (IOException e) {
            return -1; // DataPipeline names the problem
        }
    }

    static TaskKind parseTask(String s) {
        return DataFlags.parseTask(s);
    }

    static char parseSeparator(String s) {
        return Separator.parse(s);
    }
}

package io.micromodels.cli;

import io.micromodels.backend.BackendInfo;
import io.micromodels.data.PreparedData;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.spark.SparkMaster;
import io.micromodels.spark.SparkTrialExecutor;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.GeneratorKind;
import io.micromodels.train.Objective;
import io.micromodels.tune.Study;
import io.micromodels.tune.StudyListener;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.StudyHeader;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.jdbc.JdbcStorage;
import io.micromodels.tune.jdbc.JdbcStudyOptions;
import io.micromodels.tune.space.SpaceConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels tune}: a hyperparameter search ({@link Study}) with a live leaderboard; saves the best
 * model with its test metrics. {@code --resume DIR} continues a study that was stopped. With
 * {@code --storage jdbc:sqlite:FILE --study NAME} (or {@code jdbc:postgresql://HOST/DB}) the study lives in a database
 * ({@link JdbcStorage}) and any number of {@code tune} processes started alike join it; {@code tune import} and
 * {@code tune export} copy a study folder into a database and back. With {@code --spark MASTER} the trials train on
 * the executors of an Apache Spark application ({@link SparkTrialExecutor}) while this process keeps the study.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        subcommands = {TuneCommand.Import.class, TuneCommand.Export.class},
        description = {"Search micromodel hyperparameters (depth, width, activation, dropout, L1/L2, learning rate, batch) "
                + "with Bayesian optimisation (or random, grid, genetic search); save the best model.",
                "The study folder keeps study.json and trials.jsonl: --resume DIR continues it after a stop.",
                "--storage jdbc:sqlite:FILE|jdbc:postgresql://HOST/DB --study NAME keeps the study in a database that "
                + "many tune processes share (each started with the same options joins it; --resume joins with the recorded ones).",
                "--spark local[N]|spark://HOST:PORT trains the trials on Apache Spark executors; the study stays here."})
final class TuneCommand implements Runnable {

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    TrainCommand.Source source;

    @Option(names = "--resume", paramLabel = "DIR", arity = "0..1", fallbackValue = "",
            description = "Continue the study in DIR (its data, generator, seed and space); with --storage, no DIR.")
    String resume;

    @Option(names = "--storage", paramLabel = "URL", description = "Keep the study in a database: jdbc:sqlite:FILE or "
            + "jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P] (needs --study).")
    String storage;

    @Option(names = "--study", paramLabel = "NAME", description = "The study's name in the --storage database; tune processes "
            + "given the same name and options share it.")
    String studyName;

    @Option(names = "--heartbeat-timeout", paramLabel = "SECONDS", description = "With --storage: a trial whose worker has not "
            + "beaten for this long is failed as lost by another worker (default 60; workers beat every quarter of it).")
    Double heartbeatTimeout;

    /** The database storage of this run, closed when it ends (null for a folder study). */
    private JdbcStorage db;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train the trials as Spark tasks: local[N] (N threads "
            + "here) or spark://HOST:PORT (a standalone cluster); this process keeps the study, its sampler and storage. "
            + "Trials at a time: --parallel (default: N for local[N], else 2), or --population K (one task per batch).")
    String spark;

    @Option(names = "--trials", paramLabel = "N", description = "The study's total number of trials (default 30; with --resume, the recorded total).")
    Integer trials;

    @Option(names = "--generator", paramLabel = "bayes|random|grid|genetic", description = "Candidate generator (default bayes).")
    String generator;

    @Option(names = "--parallel", paramLabel = "K", description = "Trials trained at the same time, each on its own thread (default 1).")
    Integer parallel;

    @Option(names = "--batch", paramLabel = "Q", description = "Candidates proposed together per round (default: --parallel).")
    Integer batch;

    @Option(names = "--population", paramLabel = "K",
            description = "Train each batch of K candidates together as one ND4J population (replaces --parallel/--batch).")
    Integer population;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the data split, the training and the generator (default 42).")
    Long seed;

    @Option(names = "--space", paramLabel = "space.json", description = "Search ranges (strict JSON; see SpaceConfig). Default: the built-in space.")
    Path spaceFile;

    @Option(names = "--normalizations", paramLabel = "LIST", description = "Encodings of numeric features to search, "
            + "comma-separated: standardize, min_max, none, quantile, piecewise_linear (each is prepared once, on the same "
            + "split; the encoding becomes a coordinate of the search). Default: piecewise_linear alone, not searched.")
    String normalizations;

    @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs per trial (default 200).")
    Integer epochs;

    @Option(names = "--patience", paramLabel = "N", description = "Early-stopping patience per trial (default 15).")
    Integer patience;

    @Option(names = "--out", paramLabel = "DIR", description = "Study folder (default: a new folder under runs/).")
    Path out;

    @Option(names = "--force", description = "Allow a non-empty --out folder (an existing study there is still refused: use --resume).")
    boolean force;

    // cross-validation, ensembles and time budgets (issue 12)
    @Option(names = "--cv", paramLabel = "K", description = "Score each candidate by K-fold cross-validation over the non-test rows (stratified; time-ordered with a time column); the final model is refit on all of them, its threshold and calibration fitted on out-of-fold predictions.")
    Integer cv;

    @Option(names = "--group-column", paramLabel = "COL", description = "With --cv: rows with the same value of COL never straddle folds.")
    String groupColumn;

    @Option(names = "--ensemble", paramLabel = "N", description = "Final model: the best configuration trained with N seeds as one population, averaged (default 1).")
    Integer ensemble;

    @Option(names = "--time", paramLabel = "DURATION", description = "Stop after this long (e.g. 30s, 10m, 2h), once the trials in flight finish; --resume continues.")
    String time;

    // multi-objective search (issue 15)
    @Option(names = "--objectives", paramLabel = "LIST", description = "Search several objectives at once, e.g. auc,latency: "
            + "the first a metric (the primary one, as --metric), then metrics or latency (frozen ns per row, single-row "
            + "scoring), rows_per_second (frozen, batch scoring), params (parameter count). Prints and keeps the Pareto "
            + "front (pareto.json; pareto.png for two objectives).")
    String objectives;

    @Option(names = "--pick", paramLabel = "RULE", arity = "1..2", description = "With --objectives: which trial of the "
            + "Pareto front is saved as the best model: best (default), smallest-within X (fewest parameters within X of "
            + "the best primary value), fastest-within X (lowest latency within X); X absolute (0.005) or relative (1%%).")
    List<String> pick;

    @Option(names = "--halving", description = "Successive halving inside populations: candidates train together (the"
            + " --population K or --batch K slots, default " + DEFAULT_HALVING_SLOTS + "); at each rung the weakest are masked out and"
            + " kept as partial trials, and their slots take new proposals.")
    boolean halving;

    @Option(names = "--halving-rungs", paramLabel = "E1,E2,...", split = ",", description = "With --halving: the epochs at"
            + " which members are judged, increasing, below --epochs (default: epochs/8, epochs/4, epochs/2).")
    List<Integer> halvingRungs;

    @Option(names = "--halving-keep", paramLabel = "F", description = "With --halving: the fraction of the scores at a rung"
            + " that goes on, in (0, 1) (default 0.5).")
    Double halvingKeep;

    /** Population slots of --halving without --population. */
    static final int DEFAULT_HALVING_SLOTS = 8;

    @picocli.CommandLine.Mixin
    QualityFlags qualityFlags = new QualityFlags();

    @picocli.CommandLine.Mixin
    DataFlags dataFlags = new DataFlags();

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        long start = System.nanoTime();
        // every option is checked before anything is written
        java.time.Duration budget = time == null ? null : parseDuration(time);
        List<String> objectiveNames = parseObjectives(objectives);
        io.micromodels.tune.Pick rule = parsePick(pick);
        if (population != null) {
            if (parallel != null || batch != null) {
                throw new CliException("--population K trains batches of K candidates together; leave out --parallel and --batch");
            }
            if (population < 1 || population > 4096) {
                throw new CliException("--population must be in [1, 4096], got " + population);
            }
        }
        JdbcStudyOptions jdbc = jdbcOptions(storage, studyName, heartbeatTimeout);
        SparkMaster master = sparkMaster(spark);
        if (master != null && cv != null) {
            throw new CliException("--spark trains trials without cross-validation; leave out --cv (cross-validated studies run locally)");
        }
        if (master != null && halving) {
            throw new CliException("--spark does not combine with --halving (successive halving trains inside one local population)");
        }
        if (jdbc != null && resume != null && !resume.isEmpty()) {
            throw new CliException("--resume DIR continues a study folder; with --storage give --resume without a folder");
        }
        if (jdbc == null && resume != null && resume.isEmpty()) {
            throw new CliException("--resume needs the study folder (--resume DIR), or --storage URL --study NAME");
        }
        BackendInfo backend = main.loadBackend();
        try (Study study = resume != null ? resumeStudy(o, jdbc, objectiveNames, rule)
                : newStudy(o, jdbc, objectiveNames, rule)) {
            tune(o, study, budget, backend, start, jdbc, rule, master);
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    /** The names of --objectives (comma-separated), validated; empty without the flag. */
    static List<String> parseObjectives(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> names = java.util.Arrays.stream(text.split(",", -1)).map(String::strip).toList();
        try {
            return StudyOptions.forDataset("x").withObjectives(names).objectives();
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage().replaceFirst("^objectives\\[0\\] is", "objectives: the first objective is")
                    + " (--objectives '" + text + "')");
        }
    }

    /**
     * The encodings of --normalizations (comma-separated, the names {@code train --normalization} takes), validated;
     * empty without the flag.
     */
    static List<io.micromodels.data.Normalization> parseNormalizations(String text) {
        if (text == null) {
            return List.of();
        }
        List<io.micromodels.data.Normalization> out = new java.util.ArrayList<>();
        for (String name : text.split(",", -1)) {
            try {
                out.add(io.micromodels.data.Normalization.parse(name));
            } catch (IllegalArgumentException e) {
                throw new CliException("--normalizations: each must be one of standardize, min_max, none, quantile, "
                        + "piecewise_linear; got '" + name.strip() + "' in '" + text + "'");
            }
        }
        if (new java.util.HashSet<>(out).size() != out.size()) {
            throw new CliException("--normalizations must not repeat an encoding, got '" + text + "'");
        }
        return out;
    }

    /** The --pick rule (its one or two words joined), validated; {@link io.micromodels.tune.Pick#BEST} without the flag. */
    static io.micromodels.tune.Pick parsePick(List<String> words) {
        if (words == null) {
            return io.micromodels.tune.Pick.BEST;
        }
        String text = String.join(" ", words);
        try {
            return io.micromodels.tune.Pick.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage());
        }
    }

    /** Checks --pick against the study's objectives (fastest-within needs a speed objective; any rule but best, several). */
    static void checkPick(io.micromodels.tune.Pick rule, List<String> objectiveNames) {
        try {
            rule.check(io.micromodels.tune.SearchObjective.parseAll(objectiveNames));
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage().replace("this study has one objective",
                    "give --objectives (this study has one objective)").replace("among the objectives", "among --objectives"));
        }
    }

    /** The --spark master, validated; null without --spark. */
    static SparkMaster sparkMaster(String spark) {
        if (spark == null) {
            return null;
        }
        try {
            return new SparkMaster(spark);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Trials at a time by default: 1 locally, N on Spark local[N] (the cores on local[*]), 2 on a cluster. */
    private static int defaultParallel(SparkMaster master) {
        if (master == null) {
            return 1;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+)").matcher(master.url());
        if (m.lookingAt()) {
            return Math.min(256, Integer.parseInt(m.group(1)));
        }
        return master.url().startsWith("local") ? Math.min(256, Runtime.getRuntime().availableProcessors()) : 2;
    }

    /** The database options of --storage, --study and --heartbeat-timeout, validated; null without --storage. */
    static JdbcStudyOptions jdbcOptions(String storage, String study, Double heartbeatTimeout) {
        if (storage == null) {
            if (study != null || heartbeatTimeout != null) {
                throw new CliException((study != null ? "--study" : "--heartbeat-timeout") + " needs --storage URL");
            }
            return null;
        }
        if (study == null) {
            throw new CliException("--storage needs --study NAME (the study's name in the database)");
        }
        try {
            return new JdbcStudyOptions(storage, study,
                    heartbeatTimeout != null ? heartbeatTimeout : JdbcStudyOptions.DEFAULT_HEARTBEAT_SECONDS);
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage().replaceFirst("^heartbeatSeconds", "heartbeat-timeout"));
        }
    }

    /** Where the study lives, for messages. */
    private static String where(Study study, JdbcStudyOptions jdbc) {
        return jdbc != null ? jdbc.where() : study.dir().toString();
    }

    /** The command that continues the study. */
    private static String resumeHint(Study study, JdbcStudyOptions jdbc) {
        return jdbc != null ? "micromodels tune --resume --storage " + jdbc.url().replaceAll("\\?.*", "") + " --study " + jdbc.study()
                : "micromodels tune --resume " + study.dir();
    }

    /** Runs the opened study, prints the leaderboard, saves and reports the best model. */
    private void tune(PrintWriter o, Study study, java.time.Duration budget, BackendInfo backend, long start,
                      JdbcStudyOptions jdbc, io.micromodels.tune.Pick rule, SparkMaster master) {
        study.setTimeBudget(budget);
        if (population != null) {
            study.setPopulation(population);
        } else if (study.options().halving().enabled()) {
            study.setPopulation(study.options().batch()); // its slots; a Bayesian batch shares one structure
        }
        StudyOptions opts = study.options();
        if (master != null) {
            if (opts.cv().enabled() || opts.halving().enabled()) {
                throw new CliException("--spark trains trials without cross-validation or halving, and " + where(study, jdbc)
                        + " uses " + (opts.cv().enabled() ? "cross-validation" : "successive halving") + ": resume it without --spark");
            }
            SparkTrialExecutor executor = SparkTrialExecutor.start(master, study.objective(), opts.quality().metricChosen(),
                    population != null);
            study.setExecutor(executor); // the study owns and closes it (and so the Spark application)
            o.printf(Locale.ROOT, "trials train on Spark %s (application %s, %s)%n", master.url(),
                    executor.context().sc().applicationId(), population != null ? "one task per population"
                            : "one task per trial, " + opts.parallel() + " at a time");
        }
        o.printf(Locale.ROOT, "study %s in %s: %s, %s search over %s, %d trials (%d done), %s, batch %d, up to %d epochs"
                        + " (patience %d), seed %d, optimising %s %s (%s)%s%s%n",
                study.id(), where(study, jdbc), opts.source(), opts.generator().label(), study.space().coordinateNames(),
                opts.trials(), study.trials().size(),
                opts.halving().enabled() ? "successive halving at epochs " + opts.halving().rungs() + " keeping "
                        + opts.halving().keep() + " in " + opts.batch() + " population slots"
                        : population != null ? "as populations of up to " + population : opts.parallel() + " at a time", opts.batch(), opts.maxEpochs(), opts.patience(),
                opts.seed(), opts.cv().enabled() ? opts.cv().folds() + "-fold cross-validated" : "validation",
                study.objective().metricName(), (study.objective().higherIsBetter() ? "higher is better" : "lower is better")
                        + study.objectives().stream().skip(1).map(x -> "; " + x.name() + (x.unit().isEmpty() ? "" : " in " + x.unit())
                                + ", " + (x.higherIsBetter() ? "higher" : "lower") + " is better").collect(java.util.stream.Collectors.joining()),
                opts.ensemble() > 1 ? ", final model an ensemble of " + opts.ensemble() : "",
                budget != null ? ", time budget " + time : "");
        boolean searched = study.encodings().size() > 1;
        study.run(leaderboard(o, study.objective(), opts.trials(), study.objectives(), searched));
        if (study.budgetReached()) {
            o.printf(Locale.ROOT, "stopped at the time budget (%s) with %d of %d trials; continue with: %s%n",
                    time, study.trials().size(), opts.trials(), resumeHint(study, jdbc));
        }
        if (study.best().isEmpty()) {
            throw new CliException("no trial completed; see the failure reasons in "
                    + (jdbc != null ? jdbc.where() : study.dir().resolve(Study.TRIALS_FILE)));
        }
        if (!study.objectives().isEmpty()) {
            printFront(o, study, rule);
        }
        TrialRecord best = study.pick(rule).orElseThrow(() -> new CliException("no trial has a value for every objective "
                + study.objectives() + "; see the trials in " + (jdbc != null ? jdbc.where() : study.dir().resolve(Study.TRIALS_FILE))));
        o.println((study.objectives().isEmpty() ? "best" : "picked (" + rule.label() + ")") + ": trial " + best.number() + ", " + (opts.cv().enabled() ? opts.cv().folds() + "-fold cross-validated "
                + study.objective().format(best.score()) + String.format(Locale.ROOT, " ± %.4f", best.scoreSd())
                : "validation " + study.objective().format(best.score())) + ", " + describe(best.spec())
                + (searched ? ", " + encoding(best) : "")
                + (opts.cv().enabled() ? "; final model refit on all non-test rows for " + Math.max(1, best.bestEpoch()) + " epochs" : ""));
        try (TrainedModel model = study.saveBest(rule)) {
            o.println("test metrics of the best model (" + study.dataOf(best).test().numExamples() + " rows):");
            o.print(model.testMetrics().table());
            TrainCommand.printDecision(o, study.data().task().classes(), model,
                    opts.cv().enabled() ? "out-of-fold predictions" : "validation");
            o.println("saved " + study.bestModelPath() + "  (" + backend.name() + ")");
            o.println("report " + io.micromodels.report.ModelReport.write(model, Study.BEST_MODEL, study.dataOf(best), study.dir(), true)
                    + "  (the best model; the trials: micromodels dashboard " + study.dir() + ")");
        }
        o.printf(Locale.ROOT, "tune finished in %.1f s; continue it with: %s --trials N%n",
                (System.nanoTime() - start) / 1e9, resumeHint(study, jdbc));
    }

    /**
     * Prints the Pareto front (a line beginning {@code Pareto front}, then one row per trial: number, each objective's
     * value, the parameter count), says where pareto.json is, and draws pareto.png for two objectives.
     */
    private static void printFront(PrintWriter o, Study study, io.micromodels.tune.Pick rule) {
        List<io.micromodels.tune.SearchObjective> objs = study.objectives();
        List<TrialRecord> front = study.paretoFront();
        long complete = study.trials().stream().filter(TrialRecord::complete).count();
        o.printf(Locale.ROOT, "Pareto front of %s: %d of %d complete trials (hypervolume %.4f, objectives scaled to [0, 1])%n",
                objs.stream().map(x -> x.name() + (x.higherIsBetter() ? " (max)" : " (min)")).toList(), front.size(), complete,
                io.micromodels.tune.ParetoTrials.hypervolume(study.trials(), objs));
        int picked = study.pick(rule).map(TrialRecord::number).orElse(0);
        for (TrialRecord r : front) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  #%-4d", r.number()));
            double[] v = r.values();
            for (int k = 0; k < v.length; k++) {
                row.append("  ").append(objs.get(k).format(v[k]));
            }
            row.append(String.format(Locale.ROOT, "  (%d params, %s)%s", r.spec().parameterCount(), shape(r.spec()),
                    r.number() == picked ? "  <- picked" : ""));
            o.println(row);
        }
        if (study.dir() != null) {
            o.println("front kept in " + study.dir().resolve(io.micromodels.tune.ParetoTrials.FILE));
            if (objs.size() == 2 && !front.isEmpty()) {
                java.nio.file.Path png = study.dir().resolve("pareto.png");
                io.micromodels.plots.TunePlots.paretoFigure(study.trials(), front, objs, picked, rule.label()).writePng(png);
                o.println("plot " + png);
            }
        }
    }

    private Study newStudy(PrintWriter o, JdbcStudyOptions jdbc, List<String> objectiveNames, io.micromodels.tune.Pick rule) {
        if (source == null) {
            throw new CliException("give --dataset NAME, or --data FILE --target COL, or --resume DIR");
        }
        if (source.data != null && dataFlags.target == null) {
            throw new CliException("--data needs --target COL (the column to predict)");
        }
        StudyOptions opts = source.dataset != null ? StudyOptions.forDataset(source.dataset)
                : StudyOptions.forCsv(source.data.toString(), dataFlags.target);
        if (source.data != null && !Files.isRegularFile(source.data)) {
            throw new CliException("--data " + source.data + " does not exist");
        }
        opts = opts.withTrials(trials != null ? trials : StudyOptions.DEFAULT_TRIALS)
                .withSeed(seed != null ? seed : 42L)
                .withEpochs(epochs != null ? epochs : StudyOptions.DEFAULT_MAX_EPOCHS,
                        patience != null ? patience : StudyOptions.DEFAULT_PATIENCE);
        if (generator != null) {
            opts = opts.withGenerator(parseGenerator(generator));
        }
        int k = parallel != null ? parallel : defaultParallel(sparkMaster(spark));
        opts = opts.withExecution(k, batch != null ? batch : k);
        if (spaceFile != null) {
            opts = opts.withSpace(SpaceConfig.read(spaceFile));
        }
        List<io.micromodels.data.Normalization> encodings = parseNormalizations(normalizations);
        if (!encodings.isEmpty()) {
            opts = opts.withSpace(opts.space().withNormalizations(encodings));
        }
        opts = withCvAndEnsemble(opts, source.data != null ? dataFlags.timeColumn : null);
        opts = withHalving(opts);
        io.micromodels.train.QualityOptions quality = qualityFlags.options();
        checkPick(rule, objectiveNames);
        opts = withObjectives(opts, objectiveNames, quality);
        // the data options (recorded in study.json; --resume compares them); the positive class stays in quality
        opts = opts.withDataOptions(TrainCommand.dataOptions(source, dataFlags, opts.seed(), ""));
        if (!opts.space().normalizations().isEmpty()) {
            // the study's data is prepared with the first encoding searched (the others are prepared beside it)
            opts = opts.withDataOptions(opts.dataOptions().withNormalization(opts.space().normalizations().get(0)));
        }
        opts = opts.withQuality(quality);
        Outputs.checkRunDir(out, force);
        PreparedData data;
        try {
            data = Study.prepare(opts);   // a data error leaves no folder behind
        } catch (io.micromodels.data.DataException e) {
            if (!quality.positiveClass().isEmpty() && e.getMessage() != null && e.getMessage().contains("positiveClass")) {
                throw new CliException("--positive-class '" + quality.positiveClass() + "': " + e.getMessage());
            }
            throw e;
        }
        QualityFlags.check(quality, data.task());
        if (!objectiveNames.isEmpty() && quality.metric().isEmpty()
                && !objectiveNames.get(0).equals(Objective.forTask(data.task()).metricName())) {
            // the first objective is the study's metric: as if --metric named it
            quality = quality.withMetric(objectiveNames.get(0));
            opts = opts.withQuality(quality);
        }
        try {
            Study.checkObjectives(data, opts, "the study");
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage());
        }
        if (opts.cv().enabled()) {
            try {
                Study.checkCrossValidation(data, opts);
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                if (m != null && (m.startsWith("cv ") || m.startsWith("group column"))) {
                    throw new CliException("--" + (m.startsWith("cv ") ? "cv " : "group-column: ") + m.replaceFirst("^cv ", ""));
                }
                throw e;
            }
        }
        Path dir = Outputs.runDir(out, "tune", force);
        if (jdbc == null) {
            Study study = Study.create(dir, opts, data);
            TrainCommand.writeSplit(o, data, dir);
            return study;
        }
        StudyHeader header = Study.newHeader(opts, data);
        db = JdbcStorage.createOrJoin(jdbc, header);
        StudyHeader recorded = db.header();
        if (!recorded.id().equals(header.id())) {
            if (!recorded.options().equals(opts)) {
                throw new CliException(jdbc.where() + " exists with other options (" + differences(recorded.options(), opts)
                        + "); join it with the same options, or with --resume --storage URL --study NAME");
            }
            o.println("joining " + jdbc.where() + " (study " + recorded.id() + ")");
        }
        Study study = Study.open(db, data, dir);
        TrainCommand.writeSplit(o, data, dir);
        return study;
    }

    /** Applies --objectives, with errors naming the flags (--generator genetic, --metric, --cv). */
    private StudyOptions withObjectives(StudyOptions opts, List<String> names, io.micromodels.train.QualityOptions quality) {
        if (names.isEmpty()) {
            return opts;
        }
        if (opts.generator() == GeneratorKind.GENETIC) {
            throw new CliException("--generator genetic optimises one score; with --objectives use bayes, random or grid");
        }
        if (opts.halving().enabled()) {
            throw new CliException("--halving ranks the members of a population by one score; it does not combine with "
                    + "--objectives (a small network of lower score may be on the Pareto front)");
        }
        if (!quality.metric().isEmpty() && !quality.metric().equals(names.get(0))) {
            throw new CliException("--objectives: the first objective '" + names.get(0) + "' must be the --metric '"
                    + quality.metric() + "' (the first objective is the one trials are scored by), got --objectives "
                    + String.join(",", names));
        }
        try {
            return opts.withObjectives(names);
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage() + (opts.cv().enabled() ? " (--cv)" : ""));
        }
    }

    /** The top-level fields in which two study options differ, for messages. */
    static String differences(StudyOptions recorded, StudyOptions given) {
        com.fasterxml.jackson.databind.JsonNode a = io.micromodels.json.StrictJson.mapper().valueToTree(recorded);
        com.fasterxml.jackson.databind.JsonNode b = io.micromodels.json.StrictJson.mapper().valueToTree(given);
        List<String> out = new java.util.ArrayList<>();
        a.fieldNames().forEachRemaining(f -> {
            if (!a.get(f).equals(b.get(f))) {
                out.add(f + " " + a.get(f) + " recorded, " + b.get(f) + " given");
            }
        });
        return String.join("; ", out);
    }

    /** Applies --halving, --halving-rungs and --halving-keep, with errors naming the flag (after --epochs and --cv). */
    private StudyOptions withHalving(StudyOptions opts) {
        if (!halving) {
            if (halvingRungs != null || halvingKeep != null) {
                throw new CliException((halvingRungs != null ? "--halving-rungs" : "--halving-keep") + " needs --halving");
            }
            return opts;
        }
        if (opts.cv().enabled()) {
            throw new CliException("--halving does not combine with --cv: a cross-validated candidate is the mean of its "
                    + opts.cv().folds() + " fold models, which halving would have to mask together; use one of the two");
        }
        int max = opts.maxEpochs();
        List<Integer> rungs = halvingRungs;
        if (rungs == null) {
            rungs = new java.util.ArrayList<>();
            for (int d : new int[] {8, 4, 2}) {
                int r = max / d;
                if (r >= 1 && (rungs.isEmpty() || r > rungs.get(rungs.size() - 1))) {
                    rungs.add(r);
                }
            }
            if (rungs.isEmpty()) {
                throw new CliException("--halving needs --epochs of at least 2 (a rung below the last epoch), got " + max);
            }
        }
        for (int i = 0; i < rungs.size(); i++) {
            int r = rungs.get(i);
            if (r < 1 || r >= max || (i > 0 && r <= rungs.get(i - 1))) {
                throw new CliException("--halving-rungs must be increasing epochs in [1, " + (max - 1) + "] (below --epochs "
                        + max + "), got " + rungs.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
            }
        }
        double keep = halvingKeep != null ? halvingKeep : 0.5;
        if (!(keep > 0 && keep < 1)) {
            throw new CliException("--halving-keep must be in (0, 1), got " + halvingKeep);
        }
        int slots = population != null ? population : batch != null ? batch : DEFAULT_HALVING_SLOTS;
        return opts.withExecution(1, slots).withHalving(new io.micromodels.tune.Halving(rungs, keep));
    }

    /** Applies --cv, --group-column, --time-column and --ensemble, with errors naming the flag. */
    private StudyOptions withCvAndEnsemble(StudyOptions opts, String timeColumn) {
        if (cv != null && cv < 2) {
            throw new CliException("--cv must be at least 2 folds, got " + cv);
        }
        if (cv != null && cv > io.micromodels.tune.Folds.MAX_FOLDS) {
            throw new CliException("--cv must be at most " + io.micromodels.tune.Folds.MAX_FOLDS + " folds, got " + cv);
        }
        if (groupColumn != null && cv == null) {
            throw new CliException("--group-column needs --cv K");
        }
        if (groupColumn != null && timeColumn != null) {
            throw new CliException("--group-column and --time-column exclude each other: time folds keep rows in time order");
        }
        if (ensemble != null && (ensemble < 1 || ensemble > 64)) {
            throw new CliException("--ensemble must be in [1, 64] members, got " + ensemble);
        }
        io.micromodels.tune.CrossValidation c = new io.micromodels.tune.CrossValidation(cv == null ? 0 : cv,
                groupColumn == null ? "" : groupColumn, timeColumn == null ? "" : timeColumn);
        return opts.withCv(c).withEnsemble(ensemble == null ? 1 : ensemble);
    }

    /** {@code 30s}, {@code 10m}, {@code 2h}, {@code 1.5h}: a positive duration. */
    static java.time.Duration parseDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)([smh])").matcher(text.strip());
        if (!m.matches()) {
            throw new CliException("--time must be a duration such as 30s, 10m or 2h, got '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        double seconds = value * switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            default -> 3600;
        };
        if (!(seconds >= 1)) {
            throw new CliException("--time must be at least 1s, got '" + text + "'");
        }
        return java.time.Duration.ofMillis(Math.round(seconds * 1000));
    }

    private Study resumeStudy(PrintWriter o, JdbcStudyOptions jdbc, List<String> objectiveNames, io.micromodels.tune.Pick rule) {
        if (generator != null || seed != null || spaceFile != null || normalizations != null || epochs != null || patience != null
                || (out != null && jdbc == null) || cv != null || groupColumn != null || ensemble != null || qualityFlags.given()
                || halving || halvingRungs != null || halvingKeep != null) {
            throw new CliException("--resume continues a study with its own data, generator, seed, space (and normalizations), epochs, metric,"
                    + " class weights, threshold, calibration, cross-validation, ensemble, halving and folder; only --trials, --parallel,"
                    + " --batch, --population, --spark, --time and --pick may be given with it (and --objectives, unchanged)");
        }
        Study study;
        if (jdbc == null) {
            StudyOptions recorded = readRecorded(Path.of(resume));
            checkSameData(recorded, Path.of(resume).resolve(Study.STUDY_FILE).toString());
            checkSameObjectives(recorded, objectiveNames, rule, Path.of(resume).resolve(Study.STUDY_FILE).toString());
            study = Study.resume(Path.of(resume));
        } else {
            db = JdbcStorage.open(jdbc);
            checkSameData(db.header().options(), jdbc.where());
            checkSameObjectives(db.header().options(), objectiveNames, rule, jdbc.where());
            PreparedData data = Study.prepare(db.header().options());
            study = Study.open(db, data, Outputs.runDir(out, "tune", force));
        }
        // check the new values together before study.json is rewritten
        StudyOptions next = trials != null ? study.options().withTrials(trials) : study.options();
        if (parallel != null || batch != null) {
            int k = parallel != null ? parallel : study.options().parallel();
            next.withExecution(k, batch != null ? batch : parallel != null ? k : study.options().batch());
        }
        for (String note : study.notes()) {
            o.println("note: " + note);
        }
        if (trials != null) {
            study.updateTrialTarget(trials);
        }
        if (parallel != null || batch != null) {
            int k = parallel != null ? parallel : study.options().parallel();
            study.updateExecution(k, batch != null ? batch : parallel != null ? k : study.options().batch());
        }
        o.println("resuming " + where(study, jdbc) + " with " + study.trials().size() + " finished trials"
                + study.best().map(b -> ", best so far trial " + b.number() + " (" + b.score() + ")").orElse(""));
        return study;
    }

    /**
     * With --resume, --objectives may be repeated but not changed (the recorded set and the given one are named), and
     * --pick must fit the recorded objectives.
     */
    private static void checkSameObjectives(StudyOptions recorded, List<String> given, io.micromodels.tune.Pick rule, String where) {
        if (recorded == null) {
            return;
        }
        if (!given.isEmpty() && !given.equals(recorded.objectives())) {
            List<String> added = given.stream().filter(n -> !recorded.objectives().contains(n)).toList();
            List<String> dropped = recorded.objectives().stream().filter(n -> !given.contains(n)).toList();
            throw new CliException("--resume: --objectives was " + (recorded.objectives().isEmpty() ? "not given (one objective, "
                    + "the metric)" : "'" + String.join(",", recorded.objectives()) + "'") + " when the study started (" + where
                    + "), now '" + String.join(",", given) + "'"
                    + (added.isEmpty() ? "" : "; added " + added) + (dropped.isEmpty() ? "" : "; dropped " + dropped)
                    + (added.isEmpty() && dropped.isEmpty() ? "; reordered" : "")
                    + "; a study keeps its objectives: start a new study with --out");
        }
        checkPick(rule, recorded.objectives());
    }

    /** The options recorded in a study folder's study.json, or null when it cannot be read (Study.resume then says why). */
    private static StudyOptions readRecorded(Path dir) {
        Path file = dir.resolve(Study.STUDY_FILE);
        try {
            return io.micromodels.tune.StudyHeader.fromJson(Files.readString(file, java.nio.charset.StandardCharsets.UTF_8),
                    file.toString()).options();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * With --resume, data flags may be repeated but not changed: the first flag that differs from the study's recorded
     * data options is named with its old and new value (a study keeps its data; start a new one with --out).
     */
    private void checkSameData(StudyOptions recorded, String where) {
        if (recorded == null || (source == null && !dataFlags.anyGiven() && dataFlags.target == null)) {
            return;
        }
        if (source != null) {
            String given = source.dataset != null ? "dataset:" + source.dataset
                    : source.data.toAbsolutePath().normalize().toString();
            if (!given.equals(recorded.source())) {
                throw new CliException("--resume: " + (source.dataset != null ? "--dataset" : "--data") + " was '"
                        + recorded.source() + "' when the study started (" + where + "), now '" + given
                        + "'; a study keeps its data: start a new study with --out");
            }
        }
        io.micromodels.data.DataOptions before = recorded.dataOptions();
        if (before == null) {
            before = Study.defaultDataOptions(recorded);
        }
        io.micromodels.data.DataOptions.Builder b = before.toBuilder();
        if (dataFlags.target != null && recorded.dataset().isEmpty()) {
            b.target(dataFlags.target);
        }
        io.micromodels.data.DataOptions now = dataFlags.apply(b, !recorded.dataset().isEmpty());
        String diff = DataFlags.difference(before, now);
        if (diff != null) {
            throw new CliException("--resume: the data options differ from the study's (" + where + "): " + diff
                    + "; a study keeps its data options: start a new study with --out");
        }
    }

    static GeneratorKind parseGenerator(String name) {
        try {
            return GeneratorKind.parse(name);
        } catch (IllegalArgumentException e) {
            throw new CliException("--generator " + e.getMessage().replace("generator must", "must"));
        }
    }

    /** One line per finished trial, the top 5 every 10 trials. */
    static StudyListener leaderboard(PrintWriter o, Objective objective, int total) {
        return leaderboard(o, objective, total, List.of());
    }

    /** As {@link #leaderboard(PrintWriter, Objective, int)}, each line ending with the other objectives' values. */
    static StudyListener leaderboard(PrintWriter o, Objective objective, int total,
                                     List<io.micromodels.tune.SearchObjective> objectives) {
        return leaderboard(o, objective, total, objectives, false);
    }

    /** The encoding of numeric features a trial trained on, as the flags name it ({@code piecewise_linear}). */
    static String encoding(TrialRecord t) {
        return t.normalization() == null ? "?" : t.normalization().name().toLowerCase(Locale.ROOT);
    }

    /**
     * As {@link #leaderboard(PrintWriter, Objective, int, List)}; with {@code encodings}, each line and the top 5 also
     * name the trial's encoding of numeric features.
     */
    static StudyListener leaderboard(PrintWriter o, Objective objective, int total,
                                     List<io.micromodels.tune.SearchObjective> objectives, boolean encodings) {
        return new StudyListener() {
            @Override
            public void onTrial(TrialRecord t, List<TrialRecord> all) {
                TrialRecord best = null;
                for (TrialRecord r : all) {
                    if (r.complete() && (best == null || objective.better(r.score(), best.score()))) {
                        best = r;
                    }
                }
                boolean partial = t.status() == io.micromodels.tune.TrialStatus.PARTIAL;
                String score = t.complete() || partial ? String.format(Locale.ROOT, "%.4f", t.score()) : t.status().name();
                String bestText = best == null ? "-" : String.format(Locale.ROOT, "%.4f (#%d)", best.score(), best.number());
                o.printf(Locale.ROOT, "trial %3d/%d  %s %-9s best %-14s %-26s lr %.1e  %3d ep  %5.1fs%s%n", t.number(), total,
                        objective.metricName(), score, bestText, shape(t.spec()) + (encodings ? " " + encoding(t) : ""),
                        t.spec().updater().learningRate(), t.epochs(),
                        t.seconds(), (t.foldScores().length > 0 && t.complete()
                                ? String.format(Locale.ROOT, "  folds ±%.4f", t.scoreSd()) : "")
                                + (t.complete() ? others(t, objectives) : partial ? "  partial: " + t.failure() : "  " + t.failure()));
                if (all.size() % 10 == 0) {
                    o.println("top 5 after " + all.size() + " trials:");
                    all.stream().filter(TrialRecord::complete)
                            .sorted(Comparator.comparingDouble((TrialRecord r) -> objective.loss(r.score())))
                            .limit(5)
                            .forEach(r -> o.printf(Locale.ROOT, "  #%-3d %s  %s%n", r.number(), objective.format(r.score()),
                                    describe(r.spec()) + (encodings ? ", " + encoding(r) : "")));
                }
                o.flush();
            }

            @Override
            public void onNote(String note) {
                o.println("note: " + note);
            }
        };
    }

    /** The values of the objectives after the first, e.g. {@code "  latency 845.3 ns/row  params 1201"}. */
    static String others(TrialRecord t, List<io.micromodels.tune.SearchObjective> objectives) {
        StringBuilder sb = new StringBuilder();
        double[] v = t.values();
        for (int k = 1; k < objectives.size() && k < v.length; k++) {
            sb.append("  ").append(objectives.get(k).format(v[k]));
        }
        return sb.toString();
    }

    /** {@code 3x23 tanh drop 0.25} style shape. */
    static String shape(MicromodelSpec s) {
        if (s.hidden().isEmpty()) {
            return "linear";
        }
        HiddenLayer h = s.hidden().get(0);
        return String.format(Locale.ROOT, "%dx%d %s%s", s.hidden().size(), h.width(), h.activation().jsonName(),
                h.dropRate() > 0 ? String.format(Locale.ROOT, " drop %.2f", h.dropRate()) : "");
    }

    static String describe(MicromodelSpec s) {
        return String.format(Locale.ROOT, "%s, lr %.2e, l1 %.1e, l2 %.1e, batch %d", shape(s), s.updater().learningRate(),
                s.l1(), s.l2(), s.batchSize());
    }

    /** {@code micromodels tune import DIR --storage URL [--study NAME]}: copies a study folder into a database. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Copy a study folder (study.json, trials.jsonl) into a database study; the folder is only read.")
    static final class Import implements Runnable {
        @Spec
        picocli.CommandLine.Model.CommandSpec command;

        @picocli.CommandLine.Parameters(paramLabel = "DIR", description = "The study folder.")
        Path dir;

        @Option(names = "--storage", paramLabel = "URL", required = true, description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB.")
        String storage;

        @Option(names = "--study", paramLabel = "NAME", description = "The new study's name (default: the folder's name).")
        String study;

        @Override
        public void run() {
            JdbcStudyOptions jdbc = jdbcOptions(storage, study != null ? study : dir.toAbsolutePath().normalize().getFileName().toString(), null);
            io.micromodels.tune.JournalStorage folder = io.micromodels.tune.JournalStorage.open(dir);
            try (JdbcStorage s = JdbcStorage.importJournal(folder, jdbc)) {
                command.commandLine().getOut().println("imported " + dir + " (" + s.trials().size() + " trials) into "
                        + jdbc.where() + "; continue it with: micromodels tune --resume --storage " + storage + " --study "
                        + jdbc.study());
            }
        }
    }

    /** {@code micromodels tune export --storage URL --study NAME --out DIR}: copies a database study into a folder. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Copy a database study into a new study folder (study.json, trials.jsonl), which --resume DIR continues.")
    static final class Export implements Runnable {
        @Spec
        picocli.CommandLine.Model.CommandSpec command;

        @Option(names = "--storage", paramLabel = "URL", required = true, description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB.")
        String storage;

        @Option(names = "--study", paramLabel = "NAME", required = true, description = "The study's name.")
        String study;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "The new study folder (must not hold a study).")
        Path out;

        @Override
        public void run() {
            JdbcStudyOptions jdbc = jdbcOptions(storage, study, null);
            if (java.nio.file.Files.exists(out.resolve(Study.STUDY_FILE))) {
                throw new CliException("--out " + out + " already holds a study; choose another folder");
            }
            try (JdbcStorage s = JdbcStorage.open(jdbc)) {
                io.micromodels.tune.JournalStorage folder;
                try {
                    folder = s.exportJournal(out);
                } catch (IllegalStateException e) {
                    throw new CliException(e.getMessage());
                }
                command.commandLine().getOut().println("exported " + jdbc.where() + " (" + folder.trials().size()
                        + " trials) to " + out + "; continue it with: micromodels tune --resume " + out);
            }
        }
    }
}

package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.backend.Backend;
import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.Datasets;
import io.micromodels.data.Normalization;
import io.micromodels.data.PreparedData;
import io.micromodels.io.ModelStore;
import io.micromodels.train.Provenance;
import io.micromodels.json.StrictJson;
import io.micromodels.seed.Seeds;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Metrics;
import io.micromodels.train.TrainedModel;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import io.micromodels.tune.bayes.BayesOptions;
import io.micromodels.tune.space.MicromodelSpace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A hyperparameter search over micromodels: the entry point of {@code io.micromodels.tune}. A study runs the loop
 * of three parts kept apart (as Optuna's study, sampler and storage): a {@link Sampler} proposes points of the unit
 * cube given every trial so far; the study decodes them through its {@link MicromodelSpace} (Arbiter leaves) into
 * specs and claims a trial number for each from its {@link Storage}; a {@link TrialExecutor} trains and scores the
 * batch; each outcome is told to the storage as it finishes. {@link #ask}/{@link #tell} expose the same steps to a
 * caller that trains trials itself.
 *
 * <p>The sampler is the {@link GeneratorKind}'s ({@code bayes}, or Arbiter's {@code random}, {@code grid},
 * {@code genetic}); trials are scored on the validation split ({@link Objective}: AUC for binary tasks, log loss for
 * multiclass, RMSE for regression), or by K-fold cross-validation. Candidates come in batches of {@code batch}
 * proposed together (running trials are shown to the sampler, so they differ) and trained by the executor (by
 * default {@code parallel} at a time on their own threads); the next batch is proposed when the last is done.
 *
 * <p>Seeds are forked from the study's seed per purpose ({@link Seeds}): the sampler's
 * ({@code Seeds.fork(seed, SAMPLER)}) and the trials' initialisation, dropout and batch order
 * ({@code Seeds.fork(seed, INIT)}, recorded in each trial and its spec). Every trial gets the same initialisation
 * seed on purpose (common random numbers): configurations are compared on the same random draws rather than on
 * their luck, and a trial trained inside a population is exactly the same network as trained alone (a population
 * shares one batch order). The split and folds use the seed as the data pipeline and
 * {@link CrossValidatedTrialExecutor} fork it.
 *
 * <p>The default storage is a folder ({@link JournalStorage}: {@code study.json}, {@code trials.jsonl}, a lock).
 * {@link #resume(Path)} continues a study: the sampler sees every earlier trial, numbering continues, nothing is
 * repeated, and {@code trials} is the study's total. {@link #saveBest()} writes the best trial's model to
 * {@code best-model.zip} with its test metrics.
 *
 * <p>With a storage that several workers share (the {@code storage-jdbc} module's database), {@link #run} is one
 * worker: it claims trials only while the study's target is not all claimed ({@link Storage#claimWithin}), proposes
 * again when another worker claimed between its proposal and its claim, waits for trials running in other workers
 * before it returns, and {@link #best()} sees every worker's trials (ties go to the lower number). Trials failed as
 * {@link Storage#LOST} do not count toward the target.
 *
 * <p>A multi-objective study ({@link StudyOptions#objectives()}, e.g. {@code auc,latency}) records each trial's
 * objective values ({@link TrialRecord#values()}: the score, other metrics on the validation split, the frozen network's
 * latency and throughput measured by {@link FrozenCost}, the parameter count), proposes with the
 * {@link MultiObjectiveSampler} (generator {@code bayes}), keeps its Pareto front in {@code pareto.json}
 * ({@link ParetoTrials}, rewritten after every trial) and saves the front trial a {@link Pick} rule chooses
 * ({@link #saveBest(Pick)}); {@link #best()} stays the best primary score.
 *
 * <p>When the space lists several encodings of numeric features ({@link io.micromodels.tune.space.SpaceConfig#normalizations()}),
 * the study prepares the data once per encoding (same seed, so the same split rows; only the features differ) and
 * the encoding is a categorical coordinate: each trial's spec has its encoding's input width, its record names the
 * encoding ({@link TrialRecord#normalization()}), a batch trains one executor pass per encoding (members of a population
 * share their input data), and the best model carries the pipeline of its trial's encoding.
 *
 * <p>Methods named {@code update...} change the study as recorded (its options in {@code study.json}); methods
 * named {@code set...} change only how this object runs (executor, population, time budget); {@code with...}
 * belongs to the immutable {@link StudyOptions}, which it copies.
 *
 * <p>A study owns its executor (closing a replaced one, and its own at {@link #close()}) and the network of its
 * best trial; every other trial's network is released as soon as that trial is recorded.
 *
 * <pre>{@code
 * Path dir = Path.of("runs/credit-study");
 * try (Study study = Study.create(dir, StudyOptions.forDataset("german_credit").withTrials(20).withEpochs(100, 10))) {
 *     study.run((trial, all) -> System.out.println(trial.number() + " " + trial.score()));
 *     try (TrainedModel best = study.saveBest()) {
 *         System.out.println(best.testMetrics().table());
 *     }
 * }
 * // later, perhaps after a crash: 10 more trials
 * try (Study study = Study.resume(dir).updateTrialTarget(30)) {
 *     study.run((trial, all) -> { });
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread calls {@link #run}; the executor may train on several.
 */
public final class Study implements AutoCloseable {
    /** The options file of a folder study. */
    public static final String STUDY_FILE = JournalStorage.STUDY_FILE;
    /** The trials file of a folder study, one JSON record per line. */
    public static final String TRIALS_FILE = JournalStorage.TRIALS_FILE;
    /** The best model, written by {@link #saveBest()}. */
    public static final String BEST_MODEL = "best-model.zip";

    /** Hyperparameters a population's members must share (see {@link #shareStructure}). */
    static final List<String> STRUCTURE = List.of("depth", "activation", "batchSize", "normalization");

    private final Path dir;
    private final Storage storage;
    private final PreparedData data;
    private final Objective objective;
    /** What trials train on: {@link #data} with class weights (if any) as per-example weights of train and validation. */
    private final PreparedData trainingData;
    /** Per encoding of numeric features trials train on, in the space's order: the data prepared with it. */
    private final java.util.LinkedHashMap<Normalization, PreparedData> encoded;
    /** {@link #encoded} with class weights as per-example weights (what trials train on). */
    private final java.util.Map<Normalization, PreparedData> training = new java.util.EnumMap<>(Normalization.class);
    private final MicromodelSpace space;
    private final Incumbent incumbent;
    /** The objectives of a multi-objective study; empty for a single-objective one. */
    private final List<SearchObjective> objectives;
    /** Per encoding, measures latency and throughput of trials' frozen networks; made on first use. */
    private final java.util.Map<Normalization, FrozenCost> costs = new java.util.EnumMap<>(Normalization.class);
    private final List<String> notes = new ArrayList<>();
    private TrialExecutor executor;
    private boolean population;
    private Duration timeBudget;
    private boolean budgetReached;

    private Study(Path dir, Storage storage, PreparedData data) {
        this.dir = dir;
        this.storage = storage;
        this.data = data;
        StudyHeader header = storage.header();
        StudyOptions o = header.options();
        this.objective = o.quality().objective(data.task());
        if (!objective.metricName().equals(header.metric())) {
            throw new IllegalArgumentException(where() + ": metric is '" + header.metric() + "' but the task's is '"
                    + objective.metricName() + "'");
        }
        if (!data.sha256().equals(header.dataSha256())) {
            throw new IllegalArgumentException("the data changed since the study started: its SHA-256 is " + data.sha256()
                    + ", " + where() + " recorded " + header.dataSha256());
        }
        checkObjectives(data, o, where());
        this.objectives = o.searchObjectives();
        this.trainingData = trainingView(data, o.quality());
        this.encoded = prepareEncodings(o, data);
        java.util.Map<Normalization, Integer> widths = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<Normalization, PreparedData> e : encoded.entrySet()) {
            training.put(e.getKey(), e.getValue() == data ? trainingData : trainingView(e.getValue(), o.quality()));
            widths.put(e.getKey(), e.getValue().pipeline().width());
        }
        this.space = new MicromodelSpace(o.space(), data.task(), widths, o.maxEpochs(), o.patience(),
                Seeds.fork(o.seed(), Seeds.INIT));
        this.incumbent = new Incumbent(objective);
        notes.addAll(storage.notes());
        for (TrialRecord r : storage.trials()) {
            if (r.normalization() != null && !encoded.containsKey(r.normalization())) {
                throw new IllegalArgumentException(where() + ": trial " + r.number() + " trained on normalization "
                        + r.normalization() + " but the study's are " + encoded.keySet());
            }
            if (r.point().length != space.numParameters()) {
                throw new IllegalArgumentException(where() + ": trial " + r.number() + "'s point has " + r.point().length
                        + " values but the space has " + space.numParameters() + " coordinates");
            }
            if (r.finished()) {
                offered.add(r.number());
            }
            incumbent.offer(r, null);
        }
    }

    private String where() {
        return dir != null ? dir.resolve(STUDY_FILE).toString() : "the study";
    }

    /**
     * Starts a new study in {@code dir} (created; it must not already hold a study), preparing the
     * data the options name.
     *
     * @param dir     the study folder
     * @param options what to search
     * @return the study, with no trial yet
     */
    public static Study create(Path dir, StudyOptions options) {
        return create(dir, options, prepare(options));
    }

    /**
     * Starts a new study on data prepared by the caller (it must be what the options name, split with
     * {@code options.seed()}; resuming prepares it again from the options unless given).
     *
     * @param dir     the study folder
     * @param options what to search
     * @param data    the prepared data
     * @return the study, with no trial yet
     */
    public static Study create(Path dir, StudyOptions options, PreparedData data) {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Objects.requireNonNull(data, "data must not be null");
        checkCrossValidation(data, options); // K vs classes, group column: before disk
        checkObjectives(data, options, "the study");
        return new Study(dir, JournalStorage.create(dir, newHeader(options, data)), data);
    }

    /**
     * The header of a new study (for creating one in another storage): a fresh id from the creation time, the
     * options and the data's SHA-256, and the task's metric.
     *
     * @param options what to search
     * @param data    the prepared data
     * @return the header
     */
    public static StudyHeader newHeader(StudyOptions options, PreparedData data) {
        String created = Instant.now().toString();
        String id = sha256(created + "\n" + StrictJson.writeLine(options) + "\n" + data.sha256()).substring(0, 8);
        return new StudyHeader(StudyHeader.FORMAT, id, created, options,
                options.quality().objective(data.task()).metricName(), data.sha256());
    }

    /**
     * Opens an existing study to continue it, preparing its data again from its options.
     *
     * @param dir the study folder
     * @return the study with its finished trials loaded
     * @throws IllegalArgumentException when the folder, {@code study.json} or {@code trials.jsonl} is
     *     missing or corrupted (naming the file and line), or the data changed
     */
    public static Study resume(Path dir) {
        return resume(dir, null);
    }

    /**
     * Opens an existing study on data prepared by the caller (its SHA-256 must match the study's).
     *
     * @param dir  the study folder
     * @param data the prepared data, or null to prepare it from the study's options
     * @return the study with its finished trials loaded
     */
    public static Study resume(Path dir, PreparedData data) {
        JournalStorage storage = JournalStorage.open(dir);
        return new Study(dir, storage, data != null ? data : prepare(storage.header().options()));
    }

    /**
     * A study kept in any storage (a folder's {@link JournalStorage}, or another implementation), on data prepared by
     * the caller (its SHA-256 must be the study's).
     *
     * @param storage where the study is kept
     * @param data    the prepared data
     * @param dir     where {@link #saveBest()} writes, or null for none
     * @return the study with the storage's trials
     */
    public static Study open(Storage storage, PreparedData data, Path dir) {
        return new Study(dir, Objects.requireNonNull(storage, "storage must not be null"),
                Objects.requireNonNull(data, "data must not be null"));
    }

    /**
     * Checks the options' cross-validation against prepared data (K against the smallest class, the group column),
     * so a caller can refuse bad options before anything is written.
     *
     * @throws IllegalArgumentException starting with {@code "cv "} or {@code "group column"}
     */
    public static void checkCrossValidation(PreparedData data, StudyOptions options) {
        if (options.cv().enabled()) {
            CrossValidatedTrialExecutor.folds(data, options.cv(), options.seed());
        }
    }

    /**
     * Checks a multi-objective study's objectives against prepared data, so a caller can refuse bad options before
     * anything is written: every metric objective fits the task, and the first is the study's metric (the task's
     * default when {@code --metric} is not given).
     *
     * @param where the study, for messages
     * @throws IllegalArgumentException starting with {@code "objectives"}
     */
    public static void checkObjectives(PreparedData data, StudyOptions options, String where) {
        if (!options.multiObjective()) {
            return;
        }
        for (SearchObjective o : options.searchObjectives()) {
            if (o.metric().isPresent() && !o.metric().get().fits(data.task().kind())) {
                throw new IllegalArgumentException("objectives: metric '" + o.name() + "' does not fit a "
                        + data.task().kind().jsonName() + " task; use one of "
                        + Objective.namesFor(data.task().kind()) + " or " + SearchObjective.COSTS);
            }
        }
        String metric = options.quality().objective(data.task()).metricName();
        if (!options.objectives().get(0).equals(metric)) {
            throw new IllegalArgumentException("objectives: the first objective '" + options.objectives().get(0) + "' must be "
                    + where + "'s metric '" + metric + "' (the first objective is the one trials are scored by)");
        }
    }

    /** Prepares the data named by the options (with their positive class), split with the options' seed. */
    public static PreparedData prepare(StudyOptions o) {
        return prepare(o, preparedOptions(o));
    }

    /** The data options {@link #prepare(StudyOptions)} prepares with: the recorded or default ones, with the positive class. */
    private static DataOptions preparedOptions(StudyOptions o) {
        String positive = o.quality().positiveClass();
        if (o.dataOptions() != null) {
            return positive.isEmpty() ? o.dataOptions() : o.dataOptions().toBuilder().positiveClass(positive).build();
        }
        DataOptions d = defaultDataOptions(o);
        if (!positive.isEmpty()) {
            d = d.toBuilder().positiveClass(positive).build();
        }
        return d;
    }

    private static PreparedData prepare(StudyOptions o, DataOptions d) {
        return o.dataset().isEmpty() ? DataPipeline.prepare(Path.of(o.data()), d) : Datasets.load(o.dataset()).prepare(d);
    }

    /**
     * The data per encoding of numeric features the study trains on: the space's normalizations in their order, or
     * the data's own when it lists none. {@code data} serves its own encoding; each other is prepared again from the
     * study's source with the same options (those {@code data} records, else the study's) but that normalization, so
     * with the same seed and split rows.
     *
     * @throws IllegalStateException when another encoding's preparation split the rows otherwise or read other bytes
     */
    static java.util.LinkedHashMap<Normalization, PreparedData> prepareEncodings(StudyOptions o, PreparedData data) {
        Normalization own = data.pipeline().normalization();
        List<Normalization> wanted = o.space().normalizations().isEmpty() ? List.of(own) : o.space().normalizations();
        java.util.LinkedHashMap<Normalization, PreparedData> out = new java.util.LinkedHashMap<>();
        for (Normalization e : wanted) {
            if (e == own) {
                out.put(e, data);
                continue;
            }
            DataOptions base = data.options() != null ? data.options() : preparedOptions(o);
            PreparedData d = prepare(o, base.withNormalization(e));
            boolean sameRows = data.raw() == null || d.raw() == null
                    ? d.train().numExamples() == data.train().numExamples()
                    && d.validation().numExamples() == data.validation().numExamples()
                    && d.test().numExamples() == data.test().numExamples()
                    : java.util.Arrays.deepEquals(d.raw().splitRows(), data.raw().splitRows());
            if (!d.sha256().equals(data.sha256()) || !sameRows) {
                throw new IllegalStateException("preparing the data with normalization " + e + " gave "
                        + (sameRows ? "other bytes (SHA-256 " + d.sha256() + ", not " + data.sha256() + ")" : "another split")
                        + "; the encodings must share one split");
            }
            out.put(e, d);
        }
        return out;
    }

    /**
     * The data options of a study without recorded ones ({@link StudyOptions#dataOptions()} null): a bundled dataset's
     * catalogue options, or a CSV's defaults with the target and {@code cv.timeColumn}; split with the study's seed.
     */
    public static DataOptions defaultDataOptions(StudyOptions o) {
        if (!o.dataset().isEmpty()) {
            return Datasets.load(o.dataset()).options().withSeed(o.seed());
        }
        DataOptions.Builder b = DataOptions.builder(o.target()).seed(o.seed());
        if (!o.cv().timeColumn().isEmpty()) {
            b.timeColumn(o.cv().timeColumn());
        }
        return b.build();
    }

    /** The data trials train on: with class weights, each row's weight as the labels mask of train and validation. */
    private static PreparedData trainingView(PreparedData data, io.micromodels.train.QualityOptions quality) {
        if (quality.classWeight() == io.micromodels.train.ClassWeight.NONE
                || data.task().kind() == io.micromodels.frozen.TaskKind.REGRESSION) {
            return data;
        }
        double[] cw = quality.classWeight().classWeights(data.train().getLabels());
        return new PreparedData(io.micromodels.train.ClassWeight.weighted(data.train(), cw),
                io.micromodels.train.ClassWeight.weighted(data.validation(), cw), data.test(), data.pipeline(), data.report(),
                data.sha256(), data.raw(), data.options());
    }

    /**
     * Changes the study's total number of finished trials, recorded in the storage ({@code study.json}).
     *
     * @param total the total, in {@code [1, 100000]}; may be below the trials already finished
     *              (then {@link #run} does nothing)
     * @return this study
     */
    public Study updateTrialTarget(int total) {
        storage.updateOptions(options().withTrials(total));
        return this;
    }

    /**
     * Changes how the rest of the study runs, recorded in the storage ({@code study.json}); results do not depend on
     * it except through the batch size, which changes what the sampler proposes together.
     *
     * @param parallel candidates trained at once by the default executor, in {@code [1, 256]}
     * @param batch    candidates proposed together, in {@code [1, 1024]}
     * @return this study
     */
    public Study updateExecution(int parallel, int batch) {
        storage.updateOptions(options().withExecution(parallel, batch));
        replaceExecutor(null);
        return this;
    }

    /**
     * Trains each batch of {@code k} candidates as ND4J populations ({@link TrialExecutor#population(int)}); a
     * Bayesian batch shares its first candidate's depth, activation and batch size so it forms one population.
     * Records batch {@code k} and one thread ({@link #updateExecution}).
     *
     * @param k candidates per batch, {@code >= 1}
     * @return this study
     */
    public Study setPopulation(int k) {
        updateExecution(1, k);
        replaceExecutor(TrialExecutor.population(1, objective, options().quality().metricChosen()));
        this.population = true;
        return this;
    }

    /**
     * Stops {@link #run} once this much time has passed since it started, after the trials in flight finish (a batch
     * is never cut short); the study can then be resumed. Not recorded: each run has its own.
     *
     * @param budget a positive duration, or null for none
     * @return this study
     */
    public Study setTimeBudget(Duration budget) {
        return setTimeBudget(budget, System::nanoTime);
    }

    /**
     * As {@link #setTimeBudget(Duration)}, measured on another clock: for example the study thread's CPU time
     * ({@code ThreadMXBean.getCurrentThreadCpuTime}), which a benchmark on a loaded machine compares searches by.
     *
     * @param budget a positive duration, or null for none
     * @param clock  nanoseconds on the budget's clock (only differences are used)
     * @return this study
     */
    public Study setTimeBudget(Duration budget, java.util.function.LongSupplier clock) {
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new IllegalArgumentException("time budget must be positive, got " + budget);
        }
        this.timeBudget = budget;
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        return this;
    }

    private java.util.function.LongSupplier clock = System::nanoTime;

    /** @return whether the last {@link #run} stopped at its time budget with trials still to do */
    public boolean budgetReached() {
        return budgetReached;
    }

    /**
     * Replaces the executor (default {@link TrialExecutor#threaded(int)} with {@code parallel} threads). The study
     * owns it from now on: it closes it when it is replaced and at {@link #close()}.
     *
     * @param value the executor
     * @return this study
     */
    public Study setExecutor(TrialExecutor value) {
        replaceExecutor(Objects.requireNonNull(value, "executor must not be null"));
        return this;
    }

    private void replaceExecutor(TrialExecutor value) {
        TrialExecutor old = executor;
        executor = value;
        if (old != null && old != value) {
            old.close();
        }
    }

    /** The executor for the next batch: the one set, or the options' default; cross-validating when the options say. */
    private TrialExecutor executor() {
        StudyOptions o = options();
        if (o.cv().enabled() && !(executor instanceof CrossValidatedTrialExecutor)) {
            replaceExecutor(TrialExecutor.crossValidated(o.cv(), o.seed(), objective));
        }
        if (executor == null) {
            executor = TrialExecutor.threaded(o.parallel(), objective, o.quality().metricChosen());
        }
        return executor;
    }

    /**
     * Replaces the sampler this object proposes with (not recorded: a resumed study uses its generator's again), for
     * example a {@link BayesianSampler} that treats partial trials otherwise.
     *
     * @param value the sampler, or null for the generator's
     * @return this study
     */
    public Study setSampler(Sampler value) {
        this.samplerOverride = value;
        return this;
    }

    private Sampler samplerOverride;

    /** @return the study's sampler: its generator's, seeded with {@code Seeds.fork(seed, SAMPLER)} (or the one set) */
    public Sampler sampler() {
        if (samplerOverride != null) {
            return samplerOverride;
        }
        StudyOptions o = options();
        if (o.multiObjective() && o.generator() == GeneratorKind.BAYES) {
            return new MultiObjectiveSampler(space.dimensions(), objectives, Seeds.fork(o.seed(), Seeds.SAMPLER));
        }
        return o.generator().sampler(space, objective, Seeds.fork(o.seed(), Seeds.SAMPLER));
    }

    /**
     * Runs trials until the study has {@code options().trials()} finished trials (or the sampler
     * runs out: a grid is finite, or the time budget is spent), recording each as it finishes.
     *
     * @param listener told about each finished trial
     * @return every finished trial, in number order
     */
    public List<TrialRecord> run(StudyListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        try (Storage.Hold hold = storage.hold()) {
            return runHeld(listener);
        }
    }

    private List<TrialRecord> runHeld(StudyListener listener) {
        if (options().halving().enabled()) {
            return runHalving(listener);
        }
        StudyOptions o = options();
        Sampler sampler = sampler();
        long started = clock.getAsLong();
        budgetReached = false;
        boolean waiting = false;
        while (true) {
            o = options(); // another worker may have changed the target
            List<TrialRecord> all = storage.trials();
            int counted = (int) all.stream().filter(r -> r.finished() && Storage.counts(r)).count();
            int claimed = (int) all.stream().filter(Storage::counts).count();
            if (counted >= o.trials()) {
                break;
            }
            if (timeBudget != null && clock.getAsLong() - started >= timeBudget.toNanos()) {
                budgetReached = true;
                note(listener, "time budget of " + timeBudget.toString().substring(2).toLowerCase(Locale.ROOT)
                        + " reached after " + counted + " of " + o.trials() + " trials; resume the study to continue");
                break;
            }
            int q = Math.min(o.batch(), o.trials() - claimed);
            if (q <= 0) {
                // only with a shared storage: the rest of the target is running in other workers
                if (!waiting) {
                    note(listener, "waiting for " + (claimed - counted) + " trials running in other workers");
                    waiting = true;
                }
                pause();
                continue;
            }
            waiting = false;
            limitReached = false;
            List<TrialRecord> batch = ask(sampler, q, listener);
            if (batch.isEmpty()) {
                if (limitReached) {
                    continue; // other workers claimed the rest meanwhile
                }
                note(listener, "the " + o.generator().label() + " generator has no more candidates after "
                        + counted + " trials");
                break;
            }
            List<MicromodelSpec> specs = batch.stream().map(TrialRecord::spec).toList();
            boolean[] told = new boolean[batch.size()];
            TrialOutcome[] outcomes = new TrialOutcome[batch.size()];
            // one executor pass per encoding: the members of a pass (a population) share their input data
            for (java.util.Map.Entry<Normalization, List<Integer>> g : byEncoding(batch).entrySet()) {
                List<Integer> at = g.getValue();
                List<TrialOutcome> got = executor().run(at.stream().map(specs::get).toList(), training.get(g.getKey()),
                        (outcome, j) -> {
                            synchronized (told) {
                                int i = j >= 0 && j < at.size() ? at.get(j) : -1;
                                if (i >= 0 && !told[i]) {
                                    told[i] = true;
                                    tell(batch.get(i), outcome, listener);
                                }
                            }
                        });
                for (int j = 0; got != null && j < Math.min(got.size(), at.size()); j++) {
                    outcomes[at.get(j)] = got.get(j);
                }
            }
            synchronized (told) {
                for (int i = 0; i < told.length; i++) {
                    if (!told[i]) {
                        TrialOutcome outcome = outcomes[i];
                        told[i] = true;
                        tell(batch.get(i), outcome != null ? outcome : TrialOutcome.failed(specs.get(i),
                                objective.metricName(), "the executor returned no outcome", 0), listener);
                    }
                }
            }
        }
        catchUp();
        return trials();
    }

    /** The encoding a trial trained on: its recorded one, or (recorded before encodings were) the study's only one. */
    private Normalization encodingOf(TrialRecord r) {
        return r.normalization() != null ? r.normalization() : encoded.keySet().iterator().next();
    }

    /** The trials' indices in the batch by encoding, encodings in order of first appearance. */
    private java.util.LinkedHashMap<Normalization, List<Integer>> byEncoding(List<TrialRecord> batch) {
        java.util.LinkedHashMap<Normalization, List<Integer>> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            out.computeIfAbsent(encodingOf(batch.get(i)), e -> new ArrayList<>()).add(i);
        }
        return out;
    }

    /**
     * Successive halving inside populations ({@link Halving}): up to {@code batch} candidates train at once as members
     * of {@link SteppedPopulation}s (one per structure: depth, activations, batch size); after each epoch, members that
     * stopped by themselves are told as usual, members at a rung are scored on the validation split and ranked among
     * every score seen at that rung in this run, the weakest are masked out and told {@link TrialStatus#PARTIAL}, and
     * the freed slots take new proposals (the sampler sees every trial so far, running ones included). Each trial
     * records its rung scores ({@link TrialRecord#rungScores()}), so a resumed study, or another worker sharing the
     * storage, ranks against every finished trial's (and its own run's); trials running in other workers are not seen
     * until they finish.
     */
    private List<TrialRecord> runHalving(StudyListener listener) {
        StudyOptions o = options();
        Halving h = o.halving();
        Sampler sampler = sampler();
        long started = clock.getAsLong();
        budgetReached = false;
        List<List<Double>> rungLosses = new ArrayList<>();
        for (int i = 0; i < h.rungs().size(); i++) {
            rungLosses.add(new ArrayList<>());
        }
        // the rung scores recorded so far (a resumed study, other workers' finished trials), then this run's as they come
        for (TrialRecord r : storage.trials()) {
            double[] g = r.rungScores();
            for (int i = 0; i < Math.min(g.length, rungLosses.size()); i++) {
                rungLosses.get(i).add(Double.isFinite(g[i]) ? objective.loss(g[i]) : Double.POSITIVE_INFINITY);
            }
        }
        List<io.micromodels.population.SteppedPopulation> pops = new ArrayList<>();
        // per population, the encoding its members train on
        List<Normalization> popEncodings = new ArrayList<>();
        // per population, member id -> its running trial
        List<java.util.Map<Integer, TrialRecord>> inFlight = new ArrayList<>();
        java.util.Map<Integer, Long> joined = new java.util.HashMap<>();
        boolean asking = true;
        try {
            while (true) {
                int training = inFlight.stream().mapToInt(java.util.Map::size).sum();
                if (asking) {
                    o = options();
                    List<TrialRecord> all = storage.trials();
                    int claimed = (int) all.stream().filter(Storage::counts).count();
                    if (timeBudget != null && clock.getAsLong() - started >= timeBudget.toNanos()) {
                        budgetReached = true;
                        asking = false;
                        note(listener, "time budget of " + timeBudget.toString().substring(2).toLowerCase(Locale.ROOT)
                                + " reached after " + claimed + " of " + o.trials() + " trials (the " + training
                                + " in flight finish); resume the study to continue");
                    } else {
                        int q = Math.min(o.batch() - training, o.trials() - claimed);
                        if (claimed >= o.trials()) {
                            asking = false;
                        } else if (q > 0) {
                            limitReached = false;
                            List<TrialRecord> batch = ask(sampler, q, listener);
                            if (batch.isEmpty() && !limitReached) {
                                note(listener, "the " + o.generator().label() + " generator has no more candidates after "
                                        + claimed + " trials");
                                asking = false;
                            }
                            for (TrialRecord r : batch) {
                                join(r, pops, popEncodings, inFlight, joined, listener);
                            }
                        }
                    }
                }
                if (inFlight.stream().allMatch(java.util.Map::isEmpty)) {
                    if (!asking) {
                        break;
                    }
                    pause(); // only with a shared storage: other workers claimed the rest meanwhile
                    continue;
                }
                int unclaimed = o.trials() - (int) storage.trials().stream().filter(Storage::counts).count();
                occupancy.add(new int[] {inFlight.stream().mapToInt(java.util.Map::size).sum(), unclaimed});
                for (int p = 0; p < pops.size(); p++) {
                    io.micromodels.population.SteppedPopulation pop = pops.get(p);
                    PreparedData trainingData = this.training.get(popEncodings.get(p));
                    java.util.Map<Integer, TrialRecord> mine = inFlight.get(p);
                    if (mine.isEmpty()) {
                        continue;
                    }
                    for (int id : pop.epoch()) {
                        TrialRecord r = mine.remove(id);
                        tell(r, TrialExecutor.outcome(r.spec(), pop.result(id), trainingData, joined.remove(r.number()),
                                objective), listener);
                    }
                    for (int i = 0; i < h.rungs().size(); i++) {
                        int rung = h.rungs().get(i);
                        List<Integer> at = new ArrayList<>();
                        for (int id : mine.keySet()) {
                            if (pop.epochs(id) == rung) {
                                at.add(id);
                            }
                        }
                        java.util.Collections.sort(at);
                        double[] losses = new double[at.size()];
                        double[] scores = new double[at.size()];
                        int[] bestEpochs = new int[at.size()];
                        double[] fit = new double[at.size()];
                        for (int j = 0; j < at.size(); j++) {
                            try (io.micromodels.train.TrainingResult tr = pop.result(at.get(j))) {
                                scores[j] = objective.evaluate(tr.network(), trainingData.validation(), trainingData.pipeline());
                                bestEpochs[j] = tr.bestEpoch();
                                fit[j] = tr.seconds();
                            }
                            losses[j] = Double.isFinite(scores[j]) ? objective.loss(scores[j]) : Double.POSITIVE_INFINITY;
                            rungLosses.get(i).add(losses[j]);
                            rungScores.computeIfAbsent(mine.get(at.get(j)).number(), x -> new ArrayList<>()).add(scores[j]);
                        }
                        List<Double> seen = rungLosses.get(i);
                        for (int j = 0; j < at.size(); j++) {
                            int id = at.get(j);
                            double mineLoss = losses[j];
                            int rank = 1 + (int) seen.stream().filter(v -> v < mineLoss).count();
                            if (Double.isFinite(mineLoss) && h.promotes(rank, seen.size())) {
                                continue;
                            }
                            pop.remove(id);
                            TrialRecord r = mine.remove(id);
                            double seconds = (System.nanoTime() - joined.remove(r.number())) / 1e9;
                            TrialOutcome out = Double.isFinite(scores[j])
                                    ? new TrialOutcome(r.spec(), TrialStatus.PARTIAL, scores[j], objective.metricName(), rung,
                                            bestEpochs[j], fit[j], Math.max(seconds, fit[j]), "masked out at rung " + rung
                                            + " (rank " + rank + " of " + seen.size() + ")", null)
                                    : new TrialOutcome(r.spec(), TrialStatus.FAILED, Double.NaN, objective.metricName(), rung,
                                            bestEpochs[j], fit[j], Math.max(seconds, fit[j]), "the validation "
                                            + objective.metricName() + " is not finite at rung " + rung, null);
                            tell(r, out, listener);
                        }
                    }
                }
            }
        } finally {
            for (io.micromodels.population.SteppedPopulation pop : pops) {
                pop.close();
            }
        }
        catchUp();
        return trials();
    }

    /** Halving: the scores at the rungs each trial in flight reached (by trial number), recorded with its outcome. */
    private final java.util.Map<Integer, List<Double>> rungScores = new java.util.concurrent.ConcurrentHashMap<>();

    /** Per epoch of a halving run: {training members, trials not yet claimed} after the refill (for tests). */
    private final List<int[]> occupancy = new ArrayList<>();

    List<int[]> halvingOccupancy() {
        return List.copyOf(occupancy);
    }

    /**
     * Adds a claimed trial to the first population of its encoding its spec fits (a new one if none), or fails it when
     * none can.
     */
    private void join(TrialRecord r, List<io.micromodels.population.SteppedPopulation> pops, List<Normalization> popEncodings,
                      List<java.util.Map<Integer, TrialRecord>> inFlight, java.util.Map<Integer, Long> joined,
                      StudyListener listener) {
        long start = System.nanoTime();
        if (!io.micromodels.population.Population.supports(r.spec())) {
            tell(r, TrialOutcome.failed(r.spec(), objective.metricName(), "halving trains candidates as population members,"
                    + " which this one cannot be (" + r.spec().updater().kind() + ", " + r.spec().loss() + ")", 0), listener);
            return;
        }
        Normalization encoding = encodingOf(r);
        int p = 0;
        while (p < pops.size() && !(popEncodings.get(p) == encoding && pops.get(p).accepts(r.spec()))) {
            p++;
        }
        if (p == pops.size()) {
            PreparedData trainingData = training.get(encoding);
            java.util.function.ToDoubleFunction<double[][]> selection = options().quality().metricChosen()
                    ? objective.selection(trainingData.validation(), trainingData.pipeline(), Double.NaN) : null;
            pops.add(new io.micromodels.population.SteppedPopulation(trainingData.train(), trainingData.validation(), selection));
            popEncodings.add(encoding);
            inFlight.add(new java.util.HashMap<>());
        }
        int id = pops.get(p).add(r.spec());
        inFlight.get(p).put(id, r);
        joined.put(r.number(), start);
    }

    /** How long a worker waits before looking again at trials running in other workers. */
    static final long POLL_MILLIS = 250;

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials running in other workers", e);
        }
    }

    /** Offers the best-trial tracker the trials other workers told (a shared storage), in number order. */
    private void catchUp() {
        for (TrialRecord r : storage.trials()) {
            if (r.finished() && offered.add(r.number())) {
                incumbent.offer(r, null);
            }
        }
    }

    /**
     * Asks the study's sampler for up to {@code q} trials and claims them: each is {@link TrialStatus#RUNNING} in the
     * storage until {@link #tell} (a worker's half of the loop that {@link #run} drives).
     *
     * @param q trials wanted, {@code >= 1}
     * @return up to {@code q} running trials (fewer only when the sampler runs out), each with its spec and seed
     */
    public List<TrialRecord> ask(int q) {
        return ask(sampler(), q, null);
    }

    private int buildFailures;
    /** Whether the last {@link #ask} stopped because the study's trials were all claimed (by other workers). */
    private boolean limitReached;
    /** Numbers of the finished trials offered to {@link #incumbent}. */
    private final java.util.Set<Integer> offered = java.util.Collections.synchronizedSet(new java.util.HashSet<>());

    private List<TrialRecord> ask(Sampler sampler, int q, StudyListener listener) {
        if (q < 1) {
            throw new IllegalArgumentException("q must be >= 1, got " + q);
        }
        List<TrialRecord> out = new ArrayList<>(q);
        // With a shared storage another worker may claim between this worker's proposal and its claim, from the same
        // trials, so the same points: a claim that finds its number taken gives way, and the rest is proposed again
        // with every trial so far. A storage only this process writes never races.
        for (int attempt = 0; ; attempt++) {
            List<TrialRecord> before = storage.trials();
            List<double[]> points = sampler.propose(before, q - out.size());
            if (population && options().generator() == GeneratorKind.BAYES) {
                points = shareStructure(points, before.size());
            }
            StudyHeader header = storage.header();
            int expected = before.stream().mapToInt(TrialRecord::number).max().orElse(0) + 1;
            boolean raced = false;
            for (double[] p : points) {
                MicromodelSpec spec;
                Normalization encoding;
                try {
                    spec = space.getValue(p);
                    encoding = space.normalization(p);
                } catch (RuntimeException e) {
                    note(listener, "could not build a candidate: " + e);
                    if (++buildFailures > 100) {
                        throw new IllegalStateException("more than 100 candidates could not be built; last: " + e, e);
                    }
                    continue;
                }
                int number = expected;
                boolean giveWay = attempt < MAX_RACES;
                Optional<TrialRecord> claimed;
                try {
                    claimed = storage.claimWithin(header.options().trials(), n -> {
                        if (n != number && giveWay) {
                            throw new Raced();
                        }
                        return TrialRecord.running(header.id() + "-" + String.format("%04d", n), n, p, spec, header.metric(),
                                encoding);
                    });
                } catch (Raced e) {
                    raced = true;
                    break;
                }
                if (claimed.isEmpty()) {
                    limitReached = true;
                    return out;
                }
                out.add(claimed.get());
                expected = claimed.get().number() + 1;
            }
            if (!raced || out.size() >= q) {
                return out;
            }
        }
    }

    /** Proposals made again at most this often per {@link #ask} when other workers claim in between. */
    private static final int MAX_RACES = 50;

    /** Thrown inside a claim that found its number taken by another worker (the claim is rolled back). */
    private static final class Raced extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Raced() {
            super("another worker claimed first", null, false, false);
        }
    }

    /**
     * Records a trial's outcome (the other half of {@link #ask}): the storage keeps it, the best trial is updated, and
     * the outcome's network is kept if the trial is the new best, else released.
     *
     * @param running the trial as {@link #ask} returned it
     * @param outcome how it ended (its network, if any, is the study's from now on)
     * @return the finished record
     */
    public TrialRecord tell(TrialRecord running, TrialOutcome outcome) {
        return tell(running, outcome, null);
    }

    private synchronized TrialRecord tell(TrialRecord running, TrialOutcome outcome, StudyListener listener) {
        TrialRecord r;
        try {
            r = running.finish(outcome);
            List<Double> g = rungScores.remove(r.number());
            if (g != null) {
                r = r.withRungScores(g.stream().mapToDouble(Double::doubleValue).toArray());
            }
            if (!objectives.isEmpty()) {
                r = r.withValues(objectiveValues(r, outcome, listener));
            }
            storage.tell(r);
        } catch (RuntimeException e) {
            if (outcome.network() != null) {
                TrainingResult.release(outcome.network());
            }
            throw e;
        }
        offered.add(r.number());
        incumbent.offer(r, outcome.network());
        if (!objectives.isEmpty() && dir != null) {
            ParetoTrials.write(dir, trials(), objectives);
        }
        if (listener != null) {
            listener.onTrial(r, trials());
        }
        return r;
    }

    /**
     * Each objective's value for a finished trial (shape {@code [m]}; all NaN unless complete): the score for the first
     * (the study's metric), another metric scored on the validation split with the trial's network (NaN when the
     * executor kept none), the parameter count, and latency and throughput of the frozen network ({@link FrozenCost};
     * a measurement that fails leaves NaN and a note).
     */
    private double[] objectiveValues(TrialRecord r, TrialOutcome outcome, StudyListener listener) {
        double[] v = new double[objectives.size()];
        java.util.Arrays.fill(v, Double.NaN);
        if (!r.complete()) {
            return v;
        }
        FrozenCost.Cost c = null;
        PreparedData data = dataOf(r);
        for (int k = 0; k < v.length; k++) {
            SearchObjective o = objectives.get(k);
            if (k == 0) {
                v[k] = r.score();
            } else if (o.metric().isPresent()) {
                v[k] = outcome.network() == null ? Double.NaN
                        : o.metric().get().evaluate(outcome.network(), data.validation(), data.pipeline());
            } else if (o.name().equals(SearchObjective.PARAMS)) {
                v[k] = r.spec().parameterCount();
            } else {
                if (c == null) {
                    try {
                        FrozenCost cost = costs.computeIfAbsent(encodingOf(r), e -> FrozenCost.of(data.validation()));
                        c = cost.measure(r.spec(), outcome.network());
                    } catch (RuntimeException e) {
                        note(listener, "could not time trial " + r.number() + "'s frozen network: " + e);
                        c = new FrozenCost.Cost(Double.NaN, Double.NaN, r.spec().parameterCount());
                    }
                }
                v[k] = o.name().equals(SearchObjective.LATENCY) ? c.latencyNs() : c.rowsPerSecond();
            }
        }
        return v;
    }

    /**
     * For population training: gives every point of a Bayesian batch the depth, activation and batch size of the
     * batch's first (most promising) point, so the batch trains as one population instead of many small ones;
     * widths, drop rates, L1, L2 and learning rates stay as proposed. The recorded point is the one trained, so
     * the Gaussian process learns from what really ran. The space-filling initial design (its first
     * {@code max(5, 2d)} points) keeps its points: it must cover the structural choices too.
     *
     * @param before trials recorded before this batch
     */
    private List<double[]> shareStructure(List<double[]> batch, int before) {
        int design = BayesOptions.defaults(space.numParameters()).initialPoints();
        if (batch.size() < 2 || before < design) {
            return batch;
        }
        List<String> names = space.coordinateNames();
        double[] lead = batch.get(0);
        List<double[]> out = new ArrayList<>(batch.size());
        out.add(lead);
        for (double[] p : batch.subList(1, batch.size())) {
            double[] u = p.clone();
            for (int i = 0; i < names.size(); i++) {
                if (STRUCTURE.contains(names.get(i))) {
                    u[i] = lead[i];
                }
            }
            out.add(u);
        }
        return out;
    }

    private void note(StudyListener listener, String note) {
        notes.add(note);
        if (listener != null) {
            listener.onNote(note);
        }
    }

    /**
     * The best trial's trained model with its test metrics: the network kept from its trial when it ran in this
     * process (handed over: a second call retrains), else retrained from its spec exactly as the trial trained
     * (same seed, same data, same early stopping). Cross-validated and ensemble studies build their final model
     * ({@link #finalModel}). The caller closes it.
     *
     * @return the model
     * @throws IllegalStateException when no trial has completed
     */
    public TrainedModel bestModel() {
        return bestModel(Pick.BEST);
    }

    /**
     * The trained model of the trial {@code rule} picks ({@link #pick}), as {@link #bestModel()} builds the best's. The
     * caller closes it.
     *
     * @param rule how to choose among the Pareto front ({@link Pick#BEST} in a single-objective study)
     * @return the model
     * @throws IllegalStateException when no trial has completed
     */
    public TrainedModel bestModel(Pick rule) {
        TrialRecord b = pick(rule).orElseThrow(() -> new IllegalStateException("no trial of " + (dir != null ? dir : "the study")
                + " has completed yet"));
        return model(b);
    }

    /**
     * The trained model of one complete trial of this study, with its test metrics, built as {@link #bestModel()}
     * builds the best's: the network kept from the trial when it is the best and ran in this process (handed over),
     * else retrained from its spec exactly as the trial trained. A benchmark reads the test metric of the trial that was
     * best at some earlier point of the search this way. The caller closes it.
     *
     * @param b a {@link TrialStatus#COMPLETE} trial of this study
     * @return the model
     * @throws IllegalArgumentException when the trial is not complete
     */
    public TrainedModel model(TrialRecord b) {
        Objects.requireNonNull(b, "trial must not be null");
        if (!b.complete()) {
            throw new IllegalArgumentException("trial " + b.number() + " is " + b.status() + ", not COMPLETE: only a complete"
                    + " trial has a model");
        }
        StudyOptions o = options();
        if (o.cv().enabled() || o.ensemble() > 1) {
            return finalModel(b, o);
        }
        // the best trial's encoding: its pipeline is saved with the model
        PreparedData data = dataOf(b);
        PreparedData trainingData = trainingOf(b);
        MultiLayerNetwork net = incumbent.take(b.number());
        int bestEpoch = b.bestEpoch();
        int epochs = b.epochs();
        double seconds = b.fitSeconds();
        if (net == null) {
            TrialOutcome again = retrain(b.spec(), o, trainingData);
            if (again.network() == null) {
                throw new IllegalStateException("retraining the best trial " + b.number() + " failed: " + again.failure());
            }
            net = again.network();
            bestEpoch = again.bestEpoch();
            epochs = again.epochs();
            seconds = again.fitSeconds();
        }
        // the trial's network, trained by the study's executor: recorded as assembled, with the quality options
        io.micromodels.train.Recipe recipe = data.options() == null ? null : io.micromodels.train.Recipe.of(
                io.micromodels.train.Recipe.ASSEMBLED, b.spec(), data.options(), o.quality(), 1);
        Provenance provenance = Provenance.now(b.spec(), o.source(), data.sha256(), Backend.current(),
                bestEpoch, epochs, seconds, recipe);
        io.micromodels.frozen.BinaryDecision decision = TrainedModel.decide(net, b.spec(), data.pipeline(), data.validation(),
                o.quality());
        TrainedModel untested = new TrainedModel(net, b.spec(), data.pipeline(), null, provenance, decision);
        Metrics test = untested.evaluate(data.test());
        return new TrainedModel(net, b.spec(), data.pipeline(), test, provenance, decision);
    }

    /**
     * Trains a trial's spec again as its trial trained: as a population of one when this study trains candidates as
     * population members ({@link #setPopulation}, {@link Halving}) and the spec can be one, so that its dropout draws
     * come from the member's own stream as they did in the trial (DL4J's own loop draws from the thread's ND4J random
     * and would train another network); alone otherwise. {@code trainingData} is what the trial trained on (its
     * encoding's).
     */
    private TrialOutcome retrain(MicromodelSpec spec, StudyOptions o, PreparedData trainingData) {
        if ((population || o.halving().enabled()) && io.micromodels.population.Population.supports(spec)) {
            try (TrialExecutor one = TrialExecutor.population(1, objective, o.quality().metricChosen())) {
                return one.run(List.of(spec), trainingData, (x, i) -> { }).get(0);
            }
        }
        return TrialExecutor.train(spec, trainingData, objective, o.quality().metricChosen());
    }

    /**
     * The final model of a cross-validated or ensemble study, with the study's quality options (recorded in its
     * recipe): class weights in the loss, and for a binary task the decision (Platt calibration, threshold for the
     * metric) fitted to what the final model predicts.
     *
     * <p>Ensemble of N without cross-validation: exactly {@code train --ensemble N} on the best configuration
     * ({@link io.micromodels.population.Ensemble#train(PreparedData, MicromodelSpec, int, String,
     * io.micromodels.train.QualityOptions)}): N seeds ({@link TrainedModel#ensembleSpecs}) trained together as one
     * population, each member stopping early on the validation split (on the chosen metric when one is chosen), the
     * decision fitted on the validation split to the members' averaged probabilities.
     *
     * <p>Cross-validated: the best configuration (or each of its N ensemble seeds) refit on all non-test rows (training
     * and validation splits together, class-weighted as the folds were) for exactly the rounded mean of its folds'
     * best epochs, no early stopping (no rows are left to stop on); a learning-rate schedule keeps the configuration's
     * horizon (its maximum epochs), so the refit runs the first epochs of the schedule the folds ran. No validation
     * rows remain for the decision either, so when it needs scored rows ({@link TrainedModel#decisionReadsScores}:
     * Platt calibration, or a threshold chosen for {@code f1} or {@code accuracy}) it is fitted on out-of-fold
     * predictions, as scikit-learn's {@code CalibratedClassifierCV} and {@code cross_val_predict} do: the K fold models
     * of the configuration (K x N for an ensemble, averaged per row over the N seeds) are trained again as one
     * population ({@link CrossValidatedTrialExecutor#outOfFold}), each predicts the fold it did not train on, and the
     * calibrator and threshold fitted to those predictions are attached to the refit. Other options (the default, a
     * fixed threshold) cost no extra training.
     */
    private TrainedModel finalModel(TrialRecord b, StudyOptions o) {
        // the best trial's encoding: its pipeline is saved with the model
        PreparedData data = dataOf(b);
        PreparedData trainingData = trainingOf(b);
        if (!o.cv().enabled()) {
            return io.micromodels.population.Ensemble.train(data, b.spec(), o.ensemble(), o.source(), o.quality());
        }
        List<MicromodelSpec> specs = TrainedModel.ensembleSpecs(b.spec(), o.ensemble());
        io.micromodels.frozen.BinaryDecision decision = outOfFoldDecision(specs, o, trainingData);
        List<TrainingResult> results = new ArrayList<>();
        int epochs = Math.max(1, b.bestEpoch());
        List<MicromodelSpec> fixed = specs.stream().map(s -> withEpochs(s, epochs)).toList();
        // trainingData: with class weights, its labels masks weight the refit as they weighted the folds
        org.nd4j.linalg.dataset.DataSet pool = CrossValidatedTrialExecutor.pool(trainingData);
        if (io.micromodels.population.Population.supports(b.spec())) {
            results.addAll(io.micromodels.population.Population.fitFixedEpochs(fixed, pool,
                    io.micromodels.population.PopulationOptions.defaults(b.spec().seed())).members());
        } else {
            // the Trainer keeps the epoch with the lowest loss on what it validates on: the pool itself here
            for (MicromodelSpec s : fixed) {
                results.add(Trainer.fit(s, pool, pool));
            }
        }
        return TrainedModel.assemble(results, fixed.get(0), data, o.source(), io.micromodels.train.Recipe.ASSEMBLED,
                o.quality(), decision);
    }

    /**
     * A cross-validated final model's binary decision: fitted on out-of-fold predictions of {@code specs} when the
     * quality options need scored rows, else known without them (standard, or a fixed threshold); null for other tasks.
     */
    private io.micromodels.frozen.BinaryDecision outOfFoldDecision(List<MicromodelSpec> specs, StudyOptions o,
                                                                  PreparedData trainingData) {
        io.micromodels.data.TaskInfo task = data.task();
        if (!TrainedModel.decisionReadsScores(task, o.quality())) {
            return TrainedModel.decide(new double[0], new double[0], task, o.quality());
        }
        CrossValidatedTrialExecutor.OutOfFold oof = CrossValidatedTrialExecutor.outOfFold(specs,
                CrossValidatedTrialExecutor.folds(trainingData, o.cv(), o.seed()));
        int pos = task.positiveClass();
        double[][] y = CrossValidatedTrialExecutor.hostRows(oof.rows().getLabels());
        double[] positive = new double[oof.outputs().length];
        double[] labels = new double[positive.length];
        for (int i = 0; i < positive.length; i++) {
            double[] out = oof.outputs()[i];
            positive[i] = out.length == 1 ? out[0] : out[pos];
            labels[i] = (y[i].length == 1 ? y[i][0] : y[i][pos]) > 0.5 ? 1 : 0;
        }
        return TrainedModel.decide(positive, labels, task, o.quality());
    }

    /**
     * The refit of {@code s}: exactly {@code epochs} epochs, no early stopping, and its learning-rate schedule still
     * over {@code s}'s maximum epochs (what its fold models ran), so epoch {@code e} of the refit gets the rate epoch
     * {@code e} of a fold model got.
     */
    static MicromodelSpec withEpochs(MicromodelSpec s, int epochs) {
        return new MicromodelSpec(s.inputs(), s.hidden(), s.output(), s.outputs(), s.loss(),
                s.updater().schedule().isConstant() ? s.updater() : s.updater().withScheduleEpochs(s.updater().horizon(s.epochs())),
                s.l1(), s.l2(), s.seed(), epochs,
                s.batchSize(), 0);
    }

    /**
     * Writes {@link #bestModel()} to {@code best-model.zip} in the study folder (replacing an earlier one).
     *
     * @return the model, with its test metrics; the caller closes it
     */
    public TrainedModel saveBest() {
        return saveBest(Pick.BEST);
    }

    /**
     * Writes {@link #bestModel(Pick)} to {@code best-model.zip} in the study folder (replacing an earlier one).
     *
     * @param rule how to choose among the Pareto front
     * @return the model, with its test metrics; the caller closes it
     */
    public TrainedModel saveBest(Pick rule) {
        TrainedModel model = bestModel(rule);
        ModelStore.save(model, bestModelPath(), true);
        return model;
    }

    /**
     * The trial whose model {@link #saveBest(Pick)} saves: in a single-objective study the best ({@link #best()});
     * in a multi-objective study the front's trial that {@code rule} chooses ({@link Pick#choose}).
     *
     * @param rule how to choose ({@link Pick#BEST} is the only rule of a single-objective study)
     * @return the trial, empty when none has completed
     * @throws IllegalArgumentException when the rule does not fit the study's objectives
     */
    public Optional<TrialRecord> pick(Pick rule) {
        Objects.requireNonNull(rule, "rule must not be null");
        rule.check(objectives);
        if (objectives.isEmpty()) {
            return best();
        }
        return rule.choose(paretoFront(), objectives);
    }

    /** @return the objectives of a multi-objective study, the first the primary one (empty for a single-objective study) */
    public List<SearchObjective> objectives() {
        return objectives;
    }

    /**
     * @return the Pareto front of the complete trials ({@link ParetoTrials#front}), in number order; in a
     *     single-objective study, the best trial
     */
    public List<TrialRecord> paretoFront() {
        if (objectives.isEmpty()) {
            return best().map(List::of).orElse(List.of());
        }
        return ParetoTrials.front(trials(), objectives);
    }

    /** @return where {@link #saveBest()} writes */
    public Path bestModelPath() {
        if (dir == null) {
            throw new IllegalStateException("this study has no folder to save its best model in");
        }
        return dir.resolve(BEST_MODEL);
    }

    /** @return the finished trials, in number order */
    public List<TrialRecord> trials() {
        return storage.trials().stream().filter(TrialRecord::finished).toList();
    }

    /** @return the complete trial with the best score, if any */
    public Optional<TrialRecord> best() {
        catchUp();
        return incumbent.best();
    }

    /** @return remarks made while loading or running (a truncated last line, an exhausted generator) */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** @return the study folder (null for a study in another storage) */
    public Path dir() {
        return dir;
    }

    /** @return where the study is kept */
    public Storage storage() {
        return storage;
    }

    /** @return the study's unique id (8 hex digits; trial ids start with it) */
    public String id() {
        return storage.header().id();
    }

    /** @return the options as recorded in the storage */
    public StudyOptions options() {
        return storage.header().options();
    }

    /** @return what the study optimises */
    public Objective objective() {
        return objective;
    }

    /** @return the prepared data (with the data options' encoding of numeric features) */
    public PreparedData data() {
        return data;
    }

    /**
     * @param encoding one of {@link #encodings()}
     * @return the data prepared with that encoding of numeric features (same split rows as {@link #data()})
     */
    public PreparedData data(Normalization encoding) {
        PreparedData d = encoded.get(encoding);
        if (d == null) {
            throw new IllegalArgumentException("normalization must be one of the study's " + encoded.keySet() + ", got " + encoding);
        }
        return d;
    }

    /** @return the encodings of numeric features trials train on, in the space's order (one when it searches none) */
    public List<Normalization> encodings() {
        return List.copyOf(encoded.keySet());
    }

    /** @return the data a trial trained on (its encoding's) */
    public PreparedData dataOf(TrialRecord trial) {
        return data(encodingOf(trial));
    }

    /** What a trial trained on: its encoding's data with class weights (if any) as per-example weights. */
    private PreparedData trainingOf(TrialRecord trial) {
        dataOf(trial);
        return training.get(encodingOf(trial));
    }

    /** @return the search space (coordinates are those of {@link TrialRecord#point()}) */
    public MicromodelSpace space() {
        return space;
    }

    /** Closes the executor (its threads) and releases the best trial's network if no model took it over. */
    @Override
    public void close() {
        try {
            replaceExecutor(null);
        } finally {
            incumbent.close();
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

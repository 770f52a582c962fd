package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.backend.Backend;
import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.io.AtomicFiles;
import io.micromodels.io.ModelStore;
import io.micromodels.train.Provenance;
import io.micromodels.json.StrictJson;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Metrics;
import io.micromodels.train.TrainedModel;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import io.micromodels.tune.space.MicromodelSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A hyperparameter search over micromodels, kept in a folder so it survives being killed: the
 * entry point of {@code io.micromodels.tune}.
 *
 * <p>A study proposes candidate {@link MicromodelSpec}s from a {@link MicromodelSpace} with the
 * chosen generator ({@link GeneratorKind}: the Bayesian optimiser, or Arbiter's random, grid or
 * genetic search), trains each with early stopping on the training split and scores it on the
 * validation split ({@link Objective}: AUC for binary tasks, log loss for multiclass, RMSE for
 * regression), and tells the generator every result, failures included. Candidates come in
 * batches of {@code batch} proposed together and trained by a {@link TrialExecutor} (by default
 * {@code parallel} at a time on their own threads); the next batch is proposed when the last is done.
 *
 * <p>The folder holds {@code study.json} (the options, the metric, the data's SHA-256; strict
 * JSON) and {@code trials.jsonl} (one {@link TrialRecord} per line, appended and forced to disk as
 * each trial finishes, so a killed study loses only the trials in flight). {@link #resume(Path)}
 * continues a study: the generator sees every earlier trial, numbering continues, nothing is
 * repeated, and {@code trials} is the study's total. {@link #saveBest()} writes the best trial's
 * model to {@code best-model.zip} with its test metrics. While it reads or writes them, a study holds an
 * operating-system lock on {@code study.lock} in its folder: a second process opening, changing or running the
 * same study meanwhile gets a {@link StudyInUseException}, and one that opened it before another process ran
 * trials is refused at {@link #run} rather than numbering trials twice.
 *
 * <pre>{@code
 * Path dir = Path.of("runs/credit-study");
 * Study study = Study.create(dir, StudyOptions.forDataset("german_credit").withTrials(20).withEpochs(100, 10));
 * study.run((trial, all) -> System.out.println(trial.number() + " " + trial.score()));
 * try (TrainedModel best = study.saveBest()) {
 *     System.out.println(best.testMetrics().table());
 * }
 * // later, perhaps after a crash: 10 more trials
 * Study.resume(dir).withTrialTarget(30).run((trial, all) -> { });
 * }</pre>
 *
 * <p>Not thread-safe: one thread calls {@link #run}; the executor may train on several.
 */
public final class Study {
    /** The options file. */
    public static final String STUDY_FILE = "study.json";
    /** The trials file, one JSON record per line. */
    public static final String TRIALS_FILE = "trials.jsonl";
    /** The best model, written by {@link #saveBest()}. */
    public static final String BEST_MODEL = "best-model.zip";

    private final Path dir;
    private StudyHeader header;
    private final PreparedData data;
    private final Objective objective;
    /** What trials train on: {@link #data} with class weights (if any) as per-example weights of train and validation. */
    private final PreparedData trainingData;
    private final MicromodelSpace space;
    private final List<TrialRecord> records = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private TrialExecutor executor;
    private boolean population;
    private TrialRecord best;
    private java.time.Duration timeBudget;
    private boolean budgetReached;
    private MultiLayerNetwork bestNetwork;
    private int bestNetworkNumber = -1;
    /** Size of trials.jsonl as this object last read or wrote it: another writer shows as a different size. */
    private long trialsBytes;

    private Study(Path dir, StudyHeader header, PreparedData data) {
        this.dir = dir;
        this.header = header;
        this.data = data;
        StudyOptions o = header.options();
        this.objective = o.quality().objective(data.task());
        this.trainingData = trainingView(data, o.quality());
        this.space = new MicromodelSpace(o.space(), data.task(), data.pipeline().width(), o.maxEpochs(), o.patience(), o.seed());
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
        if (Files.exists(dir.resolve(STUDY_FILE)) || Files.exists(dir.resolve(TRIALS_FILE))) {
            throw new IllegalArgumentException(dir + " already holds a study; resume it or choose another folder");
        }
        if (options.cv().enabled()) {
            CrossValidatedTrialExecutor.folds(data, options.cv(), options.seed()); // K vs classes, group column: before disk
        }
        String created = Instant.now().toString();
        String id = sha256(created + "\n" + StrictJson.writeLine(options) + "\n" + data.sha256()).substring(0, 8);
        StudyHeader header = new StudyHeader(StudyHeader.FORMAT, id, created, options,
                options.quality().objective(data.task()).metricName(), data.sha256());
        Study study = new Study(dir, header, data);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create study folder " + dir + ": " + e.getMessage(), e);
        }
        try (StudyLock lock = StudyLock.acquire(dir)) {
            try {
                Files.write(dir.resolve(TRIALS_FILE), new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new IllegalArgumentException(dir + " already holds a study; resume it or choose another folder");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create study folder " + dir + ": " + e.getMessage(), e);
            }
            study.writeHeaderLocked();
        }
        return study;
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
        Objects.requireNonNull(dir, "dir must not be null");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("study folder " + dir + " does not exist");
        }
        Path studyFile = dir.resolve(STUDY_FILE);
        if (!Files.isRegularFile(studyFile)) {
            throw new IllegalArgumentException(studyFile + " is missing: " + dir + " is not a study folder");
        }
        String json;
        try {
            json = Files.readString(studyFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + studyFile + ": " + e.getMessage(), e);
        }
        StudyHeader header = StrictJson.read(json, StudyHeader.class, studyFile.toString());
        PreparedData d = data != null ? data : prepare(header.options());
        if (!d.sha256().equals(header.dataSha256())) {
            throw new IllegalArgumentException("the data changed since the study started: its SHA-256 is " + d.sha256()
                    + ", " + studyFile + " recorded " + header.dataSha256());
        }
        Study study = new Study(dir, header, d);
        if (!study.objective.metricName().equals(header.metric())) {
            throw new IllegalArgumentException(studyFile + ": metric is '" + header.metric() + "' but the task's is '"
                    + study.objective.metricName() + "'");
        }
        try (StudyLock lock = StudyLock.acquire(dir)) {
            study.load();
        }
        return study;
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

    /** Prepares the data named by the options (with their positive class), split with the options' seed. */
    public static PreparedData prepare(StudyOptions o) {
        String positive = o.quality().positiveClass();
        if (!o.dataset().isEmpty()) {
            io.micromodels.data.BundledDataset d = Datasets.load(o.dataset());
            return positive.isEmpty() ? d.prepare(o.seed())
                    : d.prepare(d.options().toBuilder().seed(o.seed()).positiveClass(positive).build());
        }
        DataOptions.Builder b = DataOptions.builder(o.target()).seed(o.seed());
        if (!o.cv().timeColumn().isEmpty()) {
            b.timeColumn(o.cv().timeColumn());
        }
        if (!positive.isEmpty()) {
            b.positiveClass(positive);
        }
        return DataPipeline.prepare(Path.of(o.data()), b.build());
    }

    /** The data trials train on: with class weights, each row's weight as the labels mask of train and validation. */
    private static PreparedData trainingView(PreparedData data, io.micromodels.train.QualityOptions quality) {
        if (quality.classWeight() == io.micromodels.train.ClassWeight.NONE
                || data.task().kind() == io.micromodels.data.TaskKind.REGRESSION) {
            return data;
        }
        double[] cw = quality.classWeight().classWeights(data.train().getLabels());
        return new PreparedData(io.micromodels.train.ClassWeight.weighted(data.train(), cw),
                io.micromodels.train.ClassWeight.weighted(data.validation(), cw), data.test(), data.pipeline(), data.report(),
                data.sha256(), data.raw(), data.options());
    }

    /** Reads trials.jsonl, tolerating (and cutting off) a truncated last line. */
    private void load() {
        Path file = dir.resolve(TRIALS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is missing: " + dir + " is not a complete study folder");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int start = 0;
        int line = 0;
        Set<String> ids = new HashSet<>();
        while (start < bytes.length) {
            line++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            boolean last = end == bytes.length;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            TrialRecord r;
            try {
                if (text.isBlank()) {
                    throw new IllegalArgumentException("empty line");
                }
                r = StrictJson.read(text, TrialRecord.class, "trial");
            } catch (IllegalArgumentException e) {
                if (last) {
                    notes.add(file + ": line " + line + " is incomplete (" + (end - start)
                            + " bytes, a write cut off when the study was stopped); ignored it");
                    truncate(file, start);
                    bytes = java.util.Arrays.copyOf(bytes, start);
                    break;
                }
                throw new IllegalArgumentException(file + " line " + line + ": " + e.getMessage(), e);
            }
            String where = file + " line " + line + ": ";
            if (r.number() != records.size() + 1) {
                throw new IllegalArgumentException(where + "number must be " + (records.size() + 1) + ", got " + r.number());
            }
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException(where + "id '" + r.id() + "' repeats an earlier trial's");
            }
            if (r.point().length != space.numParameters()) {
                throw new IllegalArgumentException(where + "point has " + r.point().length + " values but the space has "
                        + space.numParameters() + " coordinates");
            }
            if (!r.metric().equals(header.metric())) {
                throw new IllegalArgumentException(where + "metric must be '" + header.metric() + "', got '" + r.metric() + "'");
            }
            if (last) {
                appendBytes(file, new byte[] {'\n'});
                bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            }
            records.add(r);
            if (r.complete() && (best == null || objective.better(r.score(), best.score()))) {
                best = r;
            }
            start = end + 1;
        }
        trialsBytes = bytes.length;
    }

    private static void truncate(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut the incomplete last line off " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets the study's total number of finished trials (recorded in {@code study.json}).
     *
     * @param total the total, in {@code [1, 100000]}; may be below the trials already finished
     *              (then {@link #run} does nothing)
     * @return this study
     */
    public Study withTrialTarget(int total) {
        StudyHeader changed = header.withOptions(header.options().withTrials(total));
        writeHeader(changed);
        return this;
    }

    /**
     * Changes how the rest of the study runs (recorded in {@code study.json}); results do not depend on it
     * except through the batch size, which changes what the generator proposes together.
     *
     * @param parallel candidates trained at once by the default executor, in {@code [1, 256]}
     * @param batch    candidates proposed together, in {@code [1, 1024]}
     * @return this study
     */
    public Study withExecution(int parallel, int batch) {
        StudyHeader changed = header.withOptions(header.options().withExecution(parallel, batch));
        writeHeader(changed);
        executor = null;
        return this;
    }

    /**
     * Trains each batch of {@code k} candidates as ND4J populations ({@link TrialExecutor#population(int)}); a
     * Bayesian batch shares its first candidate's depth, activation and batch size so it forms one population.
     *
     * @param k candidates per batch, {@code >= 1}
     * @return this study
     */
    public Study withPopulation(int k) {
        withExecution(1, k);
        this.executor = TrialExecutor.population(1, objective, header.options().quality().metricChosen());
        this.population = true;
        return this;
    }

    /**
     * Stops {@link #run} once this much time has passed since it started, after the trials in flight finish (a batch
     * is never cut short); the study can then be resumed. Not recorded in {@code study.json}: each run has its own.
     *
     * @param budget a positive duration, or null for none
     * @return this study
     */
    public Study withTimeBudget(java.time.Duration budget) {
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new IllegalArgumentException("time budget must be positive, got " + budget);
        }
        this.timeBudget = budget;
        return this;
    }

    /** @return whether the last {@link #run} stopped at its time budget with trials still to do */
    public boolean budgetReached() {
        return budgetReached;
    }

    /**
     * Replaces the executor (default {@link TrialExecutor#threaded(int)} with {@code parallel} threads).
     *
     * @param value the executor
     * @return this study
     */
    public Study withExecutor(TrialExecutor value) {
        this.executor = Objects.requireNonNull(value, "executor must not be null");
        return this;
    }

    /**
     * Runs trials until the study has {@code options().trials()} finished trials (or the generator
     * runs out: a grid is finite), writing each as it finishes.
     *
     * @param listener told about each finished trial
     * @return every finished trial, in number order
     */
    public List<TrialRecord> run(StudyListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        try (StudyLock lock = StudyLock.acquire(dir)) {
            checkUnchanged();
            return runLocked(listener);
        }
    }

    /**
     * Refuses to go on when another process appended trials since this object read the study (it would number
     * its trials again): the caller resumes afresh.
     */
    private void checkUnchanged() {
        Path file = dir.resolve(TRIALS_FILE);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size != trialsBytes) {
            throw new StudyInUseException(file + " changed since this study was opened (another tune process ran it); "
                    + "resume the study again");
        }
    }

    private List<TrialRecord> runLocked(StudyListener listener) {
        StudyOptions o = header.options();
        if (o.cv().enabled() && !(executor instanceof CrossValidatedTrialExecutor)) {
            executor = TrialExecutor.crossValidated(o.cv(), o.seed(), objective);
        }
        TrialExecutor ex = executor != null ? executor : (executor = TrialExecutor.threaded(o.parallel(), objective, o.quality().metricChosen()));
        Proposer proposer = new Proposer(o.generator(), space, o.seed(), objective, List.copyOf(records));
        int buildFailures = 0;
        long started = System.nanoTime();
        budgetReached = false;
        while (records.size() < o.trials()) {
            if (timeBudget != null && System.nanoTime() - started >= timeBudget.toNanos()) {
                budgetReached = true;
                note(listener, "time budget of " + timeBudget.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                        + " reached after " + records.size() + " of " + o.trials() + " trials; resume the study to continue");
                break;
            }
            if (!proposer.hasMore()) {
                note(listener, "the " + o.generator().label() + " generator has no more candidates after "
                        + records.size() + " trials");
                break;
            }
            List<Candidate> batch = new ArrayList<>();
            List<Candidate> proposed = proposer.next(Math.min(o.batch(), o.trials() - records.size()));
            for (Candidate c : population ? proposer.shareStructure(proposed, records.size()) : proposed) {
                if (c.getException() != null || !(c.getValue() instanceof MicromodelSpec)) {
                    note(listener, "could not build a candidate: " + c.getException());
                    proposer.reportFailure(c);
                    if (++buildFailures > 100) {
                        throw new IllegalStateException("more than 100 candidates could not be built; last: " + c.getException());
                    }
                } else {
                    batch.add(c);
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            List<MicromodelSpec> specs = new ArrayList<>();
            for (Candidate c : batch) {
                specs.add((MicromodelSpec) c.getValue());
            }
            TrialRecord[] written = new TrialRecord[batch.size()];
            List<TrialOutcome> outcomes = ex.run(specs, trainingData, (outcome, i) -> {
                synchronized (written) {
                    if (i >= 0 && i < written.length && written[i] == null) {
                        written[i] = append(batch.get(i), outcome, listener);
                    }
                }
            });
            synchronized (written) {
                for (int i = 0; i < written.length; i++) {
                    if (written[i] == null) {
                        TrialOutcome outcome = outcomes != null && i < outcomes.size() ? outcomes.get(i) : null;
                        if (outcome == null) {
                            outcome = TrialOutcome.failed(specs.get(i), objective.metricName(),
                                    "the executor returned no outcome", 0);
                        }
                        written[i] = append(batch.get(i), outcome, listener);
                    }
                }
            }
            for (int i = 0; i < written.length; i++) {
                proposer.report(batch.get(i), written[i]);
            }
        }
        return trials();
    }

    private void note(StudyListener listener, String note) {
        notes.add(note);
        listener.onNote(note);
    }

    /** Numbers, writes (forced to disk) and announces one finished trial. */
    private synchronized TrialRecord append(Candidate candidate, TrialOutcome o, StudyListener listener) {
        int number = records.size() + 1;
        TrialRecord r = new TrialRecord(header.id() + "-" + String.format("%04d", number), number,
                candidate.getFlatParameters(), o.spec(), o.spec().seed(), o.score(), o.metric(), o.epochs(),
                o.bestEpoch(), o.fitSeconds(), o.seconds(), o.status(), o.failure(), o.foldScores(), o.scoreSd());
        trialsBytes = appendBytes(dir.resolve(TRIALS_FILE), (r.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8));
        records.add(r);
        if (r.complete() && (best == null || objective.better(r.score(), best.score()))) {
            best = r;
            bestNetwork = o.network();
            bestNetworkNumber = o.network() != null ? number : -1;
        }
        listener.onTrial(r, List.copyOf(records));
        return r;
    }

    /** Appends and forces to disk; returns the file's new size. */
    private static long appendBytes(Path file, byte[] bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
            return ch.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records {@code changed} in study.json under the study lock, then adopts it. */
    private void writeHeader(StudyHeader changed) {
        try (StudyLock lock = StudyLock.acquire(dir)) {
            checkUnchanged();
            StudyHeader old = header;
            header = changed;
            try {
                writeHeaderLocked();
            } catch (RuntimeException e) {
                header = old;
                throw e;
            }
        }
    }

    private void writeHeaderLocked() {
        Path file = dir.resolve(STUDY_FILE);
        try {
            AtomicFiles.write(file, true, (StrictJson.write(header) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The best trial's trained model with its test metrics: the network kept from its trial when it ran in
     * this process, else retrained from its spec (same seed, same data). The caller closes it.
     *
     * @return the model
     * @throws IllegalStateException when no trial has completed
     */
    public TrainedModel bestModel() {
        TrialRecord b = best().orElseThrow(() -> new IllegalStateException("no trial of " + dir + " has completed yet"));
        StudyOptions o = header.options();
        if (o.cv().enabled() || o.ensemble() > 1) {
            return finalModel(b, o);
        }
        MultiLayerNetwork net;
        int bestEpoch = b.bestEpoch();
        int epochs = b.epochs();
        double seconds = b.fitSeconds();
        if (bestNetwork != null && bestNetworkNumber == b.number()) {
            net = bestNetwork;
        } else {
            TrainingResult r;
            if (header.options().quality().metricChosen()) {
                // as the trial trained: early stopping on the chosen metric
                java.util.function.ToDoubleFunction<double[][]> f = objective.selection(trainingData.validation(),
                        data.pipeline(), Double.NaN);
                org.nd4j.linalg.api.ndarray.INDArray x = trainingData.validation().getFeatures()
                        .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
                r = Trainer.fitSelecting(b.spec(), trainingData.train(), trainingData.validation(), n -> f.applyAsDouble(
                        n.output(x, false).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix()));
            } else {
                r = Trainer.fit(b.spec(), trainingData.train(), trainingData.validation());
            }
            net = r.network();
            bestEpoch = r.bestEpoch();
            epochs = r.epochsRun();
            seconds = r.seconds();
        }
        Provenance provenance = Provenance.now(b.spec(), header.options().source(), data.sha256(), Backend.current(),
                bestEpoch, epochs, seconds);
        io.micromodels.frozen.BinaryDecision decision = TrainedModel.decide(net, b.spec(), data.pipeline(), data.validation(),
                header.options().quality());
        TrainedModel untested = new TrainedModel(net, b.spec(), data.pipeline(), null, provenance, decision);
        Metrics test = untested.evaluate(data.test());
        return new TrainedModel(net, b.spec(), data.pipeline(), test, provenance, decision);
    }

    /**
     * The final model of a cross-validated or ensemble study. Cross-validated: the best configuration refit on all
     * non-test rows (training and validation splits together) for exactly the rounded mean of its folds' best epochs,
     * no early stopping (no rows are left to stop on). Ensemble of N: the best configuration trained with N seeds
     * ({@link TrainedModel#ensembleSpecs}) together as one population, each member stopping early on the validation
     * split, or, with cross-validation, each refit as above.
     */
    private TrainedModel finalModel(TrialRecord b, StudyOptions o) {
        List<MicromodelSpec> specs = TrainedModel.ensembleSpecs(b.spec(), o.ensemble());
        List<TrainingResult> results = new ArrayList<>();
        if (o.cv().enabled()) {
            int epochs = Math.max(1, b.bestEpoch());
            List<MicromodelSpec> fixed = specs.stream().map(s -> withEpochs(s, epochs)).toList();
            org.nd4j.linalg.dataset.DataSet pool = org.nd4j.linalg.dataset.DataSet.merge(List.of(data.train(), data.validation()));
            if (io.micromodels.population.Population.supports(b.spec())) {
                results.addAll(io.micromodels.population.Population.fitFixedEpochs(fixed, pool,
                        io.micromodels.population.PopulationOptions.defaults(b.spec().seed())).members());
            } else {
                // the Trainer keeps the epoch with the lowest loss on what it validates on: the pool itself here
                for (MicromodelSpec s : fixed) {
                    results.add(Trainer.fit(s, pool, pool));
                }
            }
            TrainedModel m = TrainedModel.assemble(results, withEpochs(b.spec(), epochs), data, o.source());
            return m;
        }
        if (io.micromodels.population.Population.supports(b.spec())) {
            results.addAll(io.micromodels.population.Population.fit(specs, data.train(), data.validation(),
                    io.micromodels.population.PopulationOptions.defaults(b.spec().seed())).members());
        } else {
            for (MicromodelSpec s : specs) {
                results.add(Trainer.fit(s, data.train(), data.validation()));
            }
        }
        return TrainedModel.assemble(results, b.spec(), data, o.source());
    }

    private static MicromodelSpec withEpochs(MicromodelSpec s, int epochs) {
        return new MicromodelSpec(s.inputs(), s.hidden(), s.output(), s.outputs(), s.loss(), s.updater(), s.l1(), s.l2(),
                s.seed(), epochs, s.batchSize(), 0);
    }

    /**
     * Writes {@link #bestModel()} to {@code best-model.zip} in the study folder (replacing an earlier one).
     *
     * @return the model, with its test metrics; the caller closes it
     */
    public TrainedModel saveBest() {
        TrainedModel model = bestModel();
        ModelStore.save(model, bestModelPath(), true);
        return model;
    }

    /** @return where {@link #saveBest()} writes */
    public Path bestModelPath() {
        return dir.resolve(BEST_MODEL);
    }

    /** @return the finished trials, in number order */
    public List<TrialRecord> trials() {
        synchronized (this) {
            return List.copyOf(records);
        }
    }

    /** @return the complete trial with the best score, if any */
    public synchronized Optional<TrialRecord> best() {
        return Optional.ofNullable(best);
    }

    /** @return remarks made while loading or running (a truncated last line, an exhausted generator) */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** @return the study folder */
    public Path dir() {
        return dir;
    }

    /** @return the study's unique id (8 hex digits; trial ids start with it) */
    public String id() {
        return header.id();
    }

    /** @return the options as recorded in {@code study.json} */
    public StudyOptions options() {
        return header.options();
    }

    /** @return what the study optimises */
    public Objective objective() {
        return objective;
    }

    /** @return the prepared data */
    public PreparedData data() {
        return data;
    }

    /** @return the search space (coordinates are those of {@link TrialRecord#point()}) */
    public MicromodelSpace space() {
        return space;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

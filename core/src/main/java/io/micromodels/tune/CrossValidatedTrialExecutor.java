package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.data.Normalization;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.TaskKind;
import io.micromodels.population.Population;
import io.micromodels.population.PopulationGroup;
import io.micromodels.population.PopulationOptions;
import io.micromodels.population.PopulationResult;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjIntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link TrialExecutor#crossValidated}: scores each candidate by K-fold cross-validation over the training and
 * validation rows together (the pool; the test split is never touched). The K fold models of a candidate differ only
 * in their rows, so a batch of q candidates trains as q x K members of population passes
 * ({@link Population#fitRows}): one pass when the candidates are compatible and every fold takes the same number of
 * minibatches per epoch (always for stratified, plain and group folds of similar size; time-ordered folds of
 * growing size train in one pass per size class). A group of more than {@link #MAX_CANDIDATES_PER_PASS} candidates
 * is split into passes of that many, and the passes of a batch run on up to {@code threads} threads at once (each
 * pass on one thread, so what it computes never depends on the thread count). Each fold stops early on its own validation fold and is scored
 * there with the study's {@link Objective}; the trial's score is the mean over the folds, its best epoch the
 * rounded mean of the folds' best epochs. Candidates a population cannot train (Nesterov, RMSProp, MAE) train fold
 * by fold with the {@link Trainer}.
 */
final class CrossValidatedTrialExecutor implements TrialExecutor {
    /**
     * Share of fold members still training at which a pass is rebuilt without the stopped ones: higher than the
     * population default (0.5) because folds of one candidate stop at very different epochs.
     */
    static final double COMPACTION = 0.75;
    /**
     * Most candidates of one population group trained in one pass (so up to this many x K members): a larger group
     * is split into passes of this many that run on different threads. Fixed, so that what each pass computes never
     * depends on the number of threads.
     */
    static final int MAX_CANDIDATES_PER_PASS = 4;
    private final CrossValidation cv;
    /** Passes trained at the same time, each on its own thread. */
    private final int threads;
    private ExecutorService pool;
    private final long seed;
    private final Objective objective;
    /** The folds per data object (a study searching encodings hands one per encoding), by identity. */
    private final Map<PreparedData, CvData> cached = new java.util.IdentityHashMap<>();
    /** Most data objects whose folds are kept (one per encoding of numeric features). */
    private static final int MAX_CACHED = Normalization.values().length;

    /**
     * @param cv   the folds to use ({@code cv.enabled()})
     * @param seed the study's seed; the folds are shuffled with a seed derived from it for this purpose alone
     */
    CrossValidatedTrialExecutor(CrossValidation cv, long seed) {
        this(cv, seed, null);
    }

    /**
     * @param objective what each fold is scored by (the study's metric); null for the task's default
     */
    CrossValidatedTrialExecutor(CrossValidation cv, long seed, Objective objective) {
        this(cv, seed, objective, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads population passes (and fold-by-fold candidates) trained at the same time, in [1, 256]; with 1
     *                they run one after the other on the calling thread
     */
    CrossValidatedTrialExecutor(CrossValidation cv, long seed, Objective objective, int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        this.threads = threads;
        this.objective = objective;
        if (!cv.enabled()) {
            throw new IllegalArgumentException("cross-validation needs cv >= 2, got " + cv.folds());
        }
        this.cv = cv;
        this.seed = seed;
    }

    /**
     * The pool of non-test rows, its folds, each fold's validation data and, on the host, each fold's validation
     * labels {@code [rows][outputs]} (what its scores compare with).
     */
    record CvData(DataSet pool, Folds folds, List<DataSet> validation, List<double[][]> validationLabels) {
    }

    /** Seed of the fold assignment: the study seed forked for this one purpose. */
    static long foldSeed(long studySeed) {
        return mix(studySeed ^ 0x43565F464F4C4453L); // "CV_FOLDS"
    }

    /** SplitMix64's finaliser: a seed for one purpose from the study seed. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The folds of prepared data: group folds with a group column, time-ordered when the data were split in time
     * order, stratified for classification, plain for regression.
     *
     * @throws IllegalArgumentException naming the option when the folds cannot be made (K larger than the smallest
     *                                  class, a missing group column, too few groups or rows)
     */
    static CvData folds(PreparedData data, CrossValidation cv, long seed) {
        DataSet pool = pool(data);
        int n = pool.numExamples();
        Folds folds;
        PreparedData.Raw raw = data.raw();
        if (!cv.groupColumn().isEmpty()) {
            if (raw == null) {
                throw new IllegalArgumentException("groupColumn '" + cv.groupColumn() + "': these prepared data carry no raw rows");
            }
            int col = raw.columns().indexOf(cv.groupColumn());
            if (col < 0) {
                throw new IllegalArgumentException("group column '" + cv.groupColumn() + "' is not a column of the data; columns: "
                        + String.join(", ", raw.columns()));
            }
            String[] groups = new String[n];
            int i = 0;
            for (List<String[]> rows : List.of(raw.train(), raw.validation())) {
                for (String[] r : rows) {
                    groups[i++] = r[col];
                }
            }
            folds = Folds.grouped(groups, cv.groupColumn(), cv.folds(), foldSeed(seed));
        } else if (raw != null && !raw.timeColumn().isEmpty()) {
            folds = Folds.timeOrdered(n, cv.folds());
        } else if (data.task().kind() == TaskKind.REGRESSION) {
            folds = Folds.plain(n, cv.folds(), foldSeed(seed));
        } else {
            double[][] labels = hostRows(pool.getLabels());
            int[] classes = new int[n];
            for (int i = 0; i < n; i++) {
                classes[i] = argMax(labels[i]);
            }
            folds = Folds.stratified(classes, data.task().classes(), cv.folds(), foldSeed(seed));
        }
        List<DataSet> validation = new ArrayList<>();
        List<double[][]> validationLabels = new ArrayList<>();
        for (int f = 0; f < folds.size(); f++) {
            int[] rows = folds.validation(f);
            DataSet v = new DataSet(org.nd4j.linalg.factory.Nd4j.pullRows(pool.getFeatures(), 1, rows),
                    org.nd4j.linalg.factory.Nd4j.pullRows(pool.getLabels(), 1, rows));
            validation.add(v);
            validationLabels.add(hostRows(v.getLabels()));
        }
        return new CvData(pool, folds, validation, validationLabels);
    }

    /**
     * The non-test rows: training then validation rows, with their per-example weights (labels masks {@code [n, 1]},
     * as class weights set them) when they have them. DataSet.merge widens a {@code [n, 1]} labels mask to one column
     * per output; the weights are its first column.
     */
    static DataSet pool(PreparedData data) {
        DataSet pool = DataSet.merge(List.of(data.train(), data.validation()));
        INDArray mask = pool.getLabelsMaskArray();
        if (mask != null && mask.rank() == 2 && mask.columns() > 1) {
            pool.setLabelsMaskArray(mask.getColumn(0).dup().reshape(mask.rows(), 1));
        }
        return pool;
    }

    /** The given rows of a data set, its labels mask (per-example weights) included. */
    static DataSet rows(DataSet data, int[] rows) {
        INDArray mask = data.getLabelsMaskArray();
        return new DataSet(org.nd4j.linalg.factory.Nd4j.pullRows(data.getFeatures(), 1, rows),
                org.nd4j.linalg.factory.Nd4j.pullRows(data.getLabels(), 1, rows), null,
                mask == null ? null : org.nd4j.linalg.factory.Nd4j.pullRows(mask, 1, rows));
    }

    /** A matrix {@code [n, m]} on the host in one native copy (INDArray.toDoubleMatrix reads it row by row). */
    static double[][] hostRows(INDArray a) {
        int n = (int) a.rows();
        int m = (int) a.columns();
        double[] flat;
        try (INDArray c = a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c')) {
            flat = c.data().asDouble();
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * m, (i + 1) * m);
        }
        return out;
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }

    /** A fold model's score on its validation fold: its outputs against the fold's labels. */
    private static double score(Objective objective, org.deeplearning4j.nn.multilayer.MultiLayerNetwork net, CvData d,
                                int fold, PreparedData data) {
        INDArray out = net.output(d.validation().get(fold).getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT), false);
        return objective.evaluate(hostRows(out), d.validationLabels().get(fold), data.pipeline(), Double.NaN);
    }

    /** The folds of these data, made once per data object. */
    synchronized CvData data(PreparedData data) {
        CvData d = cached.get(data);
        if (d == null) {
            if (cached.size() >= MAX_CACHED) {
                cached.clear();
            }
            d = folds(data, cv, seed);
            cached.put(data, d);
        }
        return d;
    }

    @Override
    public List<TrialOutcome> run(List<MicromodelSpec> candidates, PreparedData data, ObjIntConsumer<TrialOutcome> finished) {
        CvData d = data(data);
        TrialOutcome[] out = new TrialOutcome[candidates.size()];
        List<Integer> alone = new ArrayList<>();
        List<Integer> batched = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            (Population.supports(candidates.get(i)) ? batched : alone).add(i);
        }
        List<MicromodelSpec> specs = batched.stream().map(candidates::get).toList();
        List<Runnable> units = new ArrayList<>();
        for (PopulationGroup g : Population.groups(specs)) {
            int[] all = g.indices().stream().mapToInt(batched::get).toArray();
            for (int from = 0; from < all.length; from += MAX_CANDIDATES_PER_PASS) {
                int[] at = Arrays.copyOfRange(all, from, Math.min(all.length, from + MAX_CANDIDATES_PER_PASS));
                List<MicromodelSpec> chunk = Arrays.stream(at).mapToObj(candidates::get).toList();
                units.add(() -> together(chunk, at, d, data, out, finished));
            }
        }
        for (int i : alone) {
            units.add(() -> foldByFold(i, candidates.get(i), d, data, out, finished));
        }
        runAll(units);
        return Arrays.asList(out);
    }

    /**
     * Runs the units on up to {@link #threads} threads, each unit on one thread, and waits for all of them. What a
     * unit computes does not depend on the number of threads: only which finishes first does.
     */
    private void runAll(List<Runnable> units) {
        if (threads == 1 || units.size() == 1) {
            units.forEach(Runnable::run);
            return;
        }
        ExecutorService p = pool();
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable u : units) {
            futures.add(p.submit(u));
        }
        Throwable error = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while cross-validated trials were running", e);
            } catch (ExecutionException e) {
                if (error == null) {
                    error = e.getCause();
                }
            }
        }
        if (error instanceof RuntimeException re) {
            throw re;
        }
        if (error instanceof Error err) {
            throw err;
        }
        if (error != null) {
            throw new IllegalStateException(error);
        }
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "micromodels-cv-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /**
     * Compatible candidates (at most {@link #MAX_CANDIDATES_PER_PASS}) as candidates x folds members of population
     * passes ({@link #trainFolds}).
     */
    private void together(List<MicromodelSpec> specs, int[] at, CvData d, PreparedData data, TrialOutcome[] out,
                          ObjIntConsumer<TrialOutcome> finished) {
        long start = System.nanoTime();
        TrainingResult[][] results = null;
        try {
            results = trainFolds(specs, d);
            for (int c = 0; c < at.length; c++) {
                double seconds = 0;
                for (TrainingResult r : results[c]) {
                    seconds = Math.max(seconds, r.seconds());
                }
                TrialOutcome o = outcome(specs.get(c), results[c], d, data, seconds, start);
                out[at[c]] = o;
                finished.accept(o, at[c]);
            }
        } catch (RuntimeException e) {
            for (int c = 0; c < at.length; c++) {
                if (out[at[c]] == null) {
                    TrialOutcome o = TrialExecutor.failure(specs.get(c), data, e, start);
                    out[at[c]] = o;
                    finished.accept(o, at[c]);
                }
            }
        } finally {
            release(results);
        }
    }

    /**
     * Trains every spec on every fold: compatible specs ({@link Population#supports} and {@link Population#check}) as
     * specs x folds members of population passes ({@link Population#fitRows}), one pass per number of minibatches per
     * epoch (equal for most folds); otherwise fold by fold with the {@link Trainer}. Each fold model stops early on its
     * own validation fold; class weights (the pool's labels mask) weight its training and validation loss.
     *
     * @return {@code [specs][folds]} results (the caller releases their networks); on failure every network made so
     *     far is released before the exception propagates
     */
    static TrainingResult[][] trainFolds(List<MicromodelSpec> specs, CvData d) {
        int k = d.folds().size();
        TrainingResult[][] results = new TrainingResult[specs.size()][k];
        try {
            if (!specs.stream().allMatch(Population::supports)) {
                for (int c = 0; c < specs.size(); c++) {
                    for (int f = 0; f < k; f++) {
                        results[c][f] = Trainer.fit(specs.get(c), rows(d.pool(), d.folds().train(f)),
                                rows(d.pool(), d.folds().validation(f)));
                    }
                }
                return results;
            }
            // members: spec-major, fold-minor; split by minibatches per epoch
            Map<Integer, List<int[]>> bySteps = new LinkedHashMap<>();
            for (int c = 0; c < specs.size(); c++) {
                for (int f = 0; f < k; f++) {
                    int steps = Population.stepsPerEpoch(specs.get(c), d.folds().train(f).length);
                    bySteps.computeIfAbsent(steps, s -> new ArrayList<>()).add(new int[] {c, f});
                }
            }
            for (List<int[]> pass : bySteps.values()) {
                List<MicromodelSpec> members = new ArrayList<>();
                List<int[]> train = new ArrayList<>();
                List<int[]> validation = new ArrayList<>();
                for (int[] cf : pass) {
                    members.add(specs.get(cf[0]));
                    train.add(d.folds().train(cf[1]));
                    validation.add(d.folds().validation(cf[1]));
                }
                PopulationResult r = Population.fitRows(members, d.pool(), train, validation,
                        PopulationOptions.defaults(members.get(0).seed()).withCompactionThreshold(COMPACTION), null);
                for (int m = 0; m < pass.size(); m++) {
                    int[] cf = pass.get(m);
                    results[cf[0]][cf[1]] = r.member(m);
                }
            }
            return results;
        } catch (RuntimeException | Error e) {
            release(results);
            throw e;
        }
    }

    private static void release(TrainingResult[][] results) {
        if (results == null) {
            return;
        }
        for (TrainingResult[] rs : results) {
            for (TrainingResult r : rs) {
                if (r != null) {
                    TrainingResult.release(r.network());
                }
            }
        }
    }

    /**
     * Out-of-fold predictions: the pool rows that some fold validates on, each with the output of the fold model(s)
     * that did not train on it.
     *
     * @param rows    the pool rows covered, features and labels (and weights, if any), in pool order; every pool row
     *                for stratified, plain and group folds, all but the first block for time-ordered ones
     * @param outputs {@code [rows][outputs]} network outputs (probabilities, or standardised regression values), the
     *                average over the specs trained when there are several (an ensemble's members)
     */
    record OutOfFold(DataSet rows, double[][] outputs) {
    }

    /**
     * Trains the specs on every fold ({@link #trainFolds}: the K fold models of each spec, as the trials trained them)
     * and predicts each fold's validation rows with the models that did not see them, averaging over the specs (the
     * members of an ensemble). scikit-learn's {@code cross_val_predict}: what a threshold or a calibrator is fitted on
     * when no validation rows are left. The fold models are released before this returns.
     *
     * @param specs one spec, or an ensemble's member specs (compatible, as {@link #trainFolds} needs)
     * @param d     the folds, on the data the trials trained on (with class weights)
     */
    static OutOfFold outOfFold(List<MicromodelSpec> specs, CvData d) {
        int n = d.pool().numExamples();
        double[][] sum = new double[n][];
        TrainingResult[][] results = trainFolds(specs, d);
        try {
            for (int f = 0; f < d.folds().size(); f++) {
                int[] rows = d.folds().validation(f);
                INDArray x = d.validation().get(f).getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
                for (TrainingResult[] spec : results) {
                    double[][] out = hostRows(spec[f].network().output(x, false));
                    for (int i = 0; i < rows.length; i++) {
                        if (sum[rows[i]] == null) {
                            sum[rows[i]] = new double[out[i].length];
                        }
                        for (int j = 0; j < out[i].length; j++) {
                            sum[rows[i]][j] += out[i][j] / specs.size();
                        }
                    }
                }
            }
        } finally {
            release(results);
        }
        int[] covered = java.util.stream.IntStream.range(0, n).filter(i -> sum[i] != null).toArray();
        double[][] outputs = new double[covered.length][];
        for (int i = 0; i < covered.length; i++) {
            outputs[i] = sum[covered[i]];
        }
        return new OutOfFold(rows(d.pool(), covered), outputs);
    }

    /** A candidate a population cannot train: its K folds one after the other with the {@link Trainer}. */
    private void foldByFold(int i, MicromodelSpec spec, CvData d, PreparedData data, TrialOutcome[] out,
                            ObjIntConsumer<TrialOutcome> finished) {
        long start = System.nanoTime();
        TrainingResult[][] results = null;
        TrialOutcome o;
        try {
            results = trainFolds(List.of(spec), d);
            double seconds = 0;
            for (TrainingResult r : results[0]) {
                seconds += r.seconds();
            }
            o = outcome(spec, results[0], d, data, seconds, start);
        } catch (RuntimeException e) {
            o = TrialExecutor.failure(spec, data, e, start);
        } finally {
            release(results);
        }
        out[i] = o;
        finished.accept(o, i);
    }

    /** A candidate's outcome from its K fold results: each scored on its own validation fold, then averaged. */
    private TrialOutcome outcome(MicromodelSpec spec, TrainingResult[] folds, CvData d, PreparedData data,
                                 double fitSeconds, long start) {
        Objective objective = this.objective != null ? this.objective : Objective.forTask(data.task());
        String metric = objective.metricName();
        int k = folds.length;
        double[] scores = new double[k];
        int epochs = 0;
        double bestSum = 0;
        String diverged = "";
        for (int f = 0; f < k; f++) {
            TrainingResult r = folds[f];
            epochs = Math.max(epochs, r.epochsRun());
            bestSum += r.bestEpoch();
            if (r.stop() == TrainingResult.Stop.DIVERGED && diverged.isEmpty()) {
                diverged = "fold " + (f + 1) + ": a loss became non-finite at epoch " + r.epochsRun();
            }
            scores[f] = r.bestEpoch() > 0 ? score(objective, r.network(), d, f, data) : Double.NaN;
        }
        int bestEpoch = Math.min(epochs, Math.max(1, (int) Math.round(bestSum / k)));
        double seconds = (System.nanoTime() - start) / 1e9;
        double mean = 0;
        boolean finite = true;
        for (double s : scores) {
            mean += s;
            finite &= Double.isFinite(s);
        }
        mean /= k;
        if (!diverged.isEmpty()) {
            return new TrialOutcome(spec, TrialStatus.DIVERGED, finite ? mean : Double.NaN, metric, epochs,
                    bestSum > 0 ? bestEpoch : 0, fitSeconds, seconds, diverged, null, scores);
        }
        if (!finite) {
            return new TrialOutcome(spec, TrialStatus.FAILED, Double.NaN, metric, epochs, bestEpoch, fitSeconds, seconds,
                    "the validation " + metric + " of a fold is not finite", null, scores);
        }
        return new TrialOutcome(spec, TrialStatus.COMPLETE, mean, metric, epochs, bestEpoch, fitSeconds, seconds, "", null,
                scores);
    }
}

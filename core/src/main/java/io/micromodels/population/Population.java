package io.micromodels.population;

import io.micromodels.seed.Seeds;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.Loss;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.frozen.TaskKind;
import io.micromodels.spec.Updater;
import io.micromodels.train.EpochReport;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains many compatible micromodels at once: K members become one set of ND4J arrays in a {@code [K, width, batch]}
 * layout, and every op of a training step (products, activations, dropout, loss, Adam) does the work of all K for
 * the fixed cost of one op, which is what dominates networks this small. Each member keeps its own learning rate,
 * L1, L2, drop rates, widths (padded to the widest and masked), initialisation seed, dropout random stream, epoch
 * limit and patience, learning-rate schedule and weight decay, and stops early on its own validation loss; afterwards it is an ordinary DL4J
 * {@link MultiLayerNetwork} built from its spec.
 *
 * <pre>{@code
 * List<MicromodelSpec> candidates = new ArrayList<>();
 * for (double lr : new double[] {1e-3, 3e-3, 1e-2}) {
 *     candidates.add(Micromodel.classifier(2).input(10).dense(32, Activation.RELU).dropout(0.1)
 *             .dense(32, Activation.RELU).l2(1e-4).adam(lr).seed(7).epochs(50).patience(5).build());
 * }
 * try (PopulationResult r = Population.fit(candidates, train, validation, PopulationOptions.defaults(7))) {
 *     TrainingResult best = r.members().stream()
 *             .min(Comparator.comparingDouble(TrainingResult::bestValidationLoss)).orElseThrow();
 *     INDArray probabilities = best.network().output(test.getFeatures());
 * }
 * }</pre>
 *
 * <h2>What must match, what may differ</h2>
 * Members of one population share the input width, the number of hidden layers and each layer's activation, the
 * batch size, the output kind, output count and loss, and the updater kind; {@link #groups(List)} partitions any list
 * of specs into such groups and {@link #check(List)} names the first member and field that does not fit. Supported:
 * dense layers with any {@link Activation}, softmax + cross-entropy, sigmoid + binary cross-entropy, identity + MSE,
 * Adam and SGD ({@link #supports(MicromodelSpec)}).
 *
 * <h2>Shared minibatch order</h2>
 * All members see the same minibatches, in an order drawn from {@link PopulationOptions#batchOrderSeed()} each epoch
 * exactly as {@link Trainer} draws it. Sharing is what makes the first layer a single {@code [K*width, in] x [in, B]}
 * product and lets one feature minibatch and one label minibatch serve every member; shuffling apart would need K
 * gathers per step and a batched first layer over K copies of the input. The choice costs nothing in what a tuner
 * compares: candidates differ in their hyperparameters, not in data order, and a comparison on the same order is
 * fairer. Each member's own seed still fixes its initial parameters (exactly those {@code new MultiLayerNetwork(
 * spec.toConfiguration()).init()} gives, so the Trainer and the population start from the same point) and its own
 * ND4J dropout random stream.
 *
 * <h2>Early stopping and compaction</h2>
 * After each epoch every still-training member's mean validation loss (data loss only, as the Trainer's) is
 * compared with its best; a member stops after {@code patience} epochs without improvement, at its {@code epochs},
 * or when a loss is not finite ({@link TrainingResult.Stop}). A stopped member's slot is frozen (its update is
 * masked to zero) and it keeps its best epoch's parameters; when the share of training slots falls to
 * {@link PopulationOptions#compactionThreshold()} the population is rebuilt from the members still training.
 *
 * <p>Everything runs as ND4J ops, so the same code trains on the CPU and on CUDA backends.
 */
public final class Population {
    private Population() {
    }

    /** Receives each member's epoch reports as training goes. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param member position of the member in the list given to {@link #fit}
         * @param report its report for the epoch just finished
         */
        void onEpoch(int member, EpochReport report);
    }

    /**
     * Trains the members together with default options and the first member's seed as batch order seed.
     *
     * @see #fit(List, DataSet, DataSet, PopulationOptions, Listener)
     */
    public static PopulationResult fit(List<MicromodelSpec> members, DataSet train, DataSet validation) {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("members must list at least one spec, got " + members);
        }
        return fit(members, train, validation, PopulationOptions.defaults(members.get(0).seed()), null);
    }

    /** Trains the members together; see {@link #fit(List, DataSet, DataSet, PopulationOptions, Listener)}. */
    public static PopulationResult fit(List<MicromodelSpec> members, DataSet train, DataSet validation,
                                       PopulationOptions options) {
        return fit(members, train, validation, options, null);
    }

    /**
     * Trains the members together, each with early stopping on its own validation loss.
     *
     * @param members    compatible specs ({@link #check(List)}); at least one
     * @param train      features {@code [n, inputs]} and labels {@code [n, outputs]} (a binary spec also takes
     *                   {@code [n, 2]} one-hot labels, as the Trainer does); a labels mask {@code [n, 1]} holds
     *                   per-example loss weights, as for the Trainer (e.g. {@link io.micromodels.train.ClassWeight})
     * @param validation the same shapes, any number of rows
     * @param options    shared minibatch order, compaction, training-loss recording
     * @param listener   told every member's epoch reports, or null
     * @return one result per member, in the order given; close it
     * @throws IllegalArgumentException naming the member index and field when members cannot share a population,
     *                                  or naming the shapes when the data do not fit the specs
     */
    public static PopulationResult fit(List<MicromodelSpec> members, DataSet train, DataSet validation,
                                       PopulationOptions options, Listener listener) {
        return fit(members, train, validation, options, listener, null);
    }

    /**
     * As {@link #fit(List, DataSet, DataSet, PopulationOptions, Listener)}, but each member keeps the epoch that
     * {@code selection} scores lowest instead of the one with the lowest validation loss (and its patience counts
     * epochs without a lower selection score); the epoch reports' {@code validationLoss} carries that score.
     *
     * @param selection a member's inference outputs on the validation split, {@code [n][outputs]} (probabilities or
     *                  standardised values), to the value to minimise (e.g. the negated AUC); null = validation loss
     */
    public static PopulationResult fit(List<MicromodelSpec> members, DataSet train, DataSet validation,
                                       PopulationOptions options, Listener listener,
                                       java.util.function.ToDoubleFunction<double[][]> selection) {
        check(members);
        if (options == null) {
            throw new IllegalArgumentException("options must be given, got null");
        }
        return new Run(members, train, validation, options, listener, selection).run();
    }

    /**
     * Trains the members together, each on its own rows of one data pool: the K fold models of a cross-validated
     * candidate, which differ only in their data, train as K members of one population pass. Member {@code i}
     * trains on the rows {@code trainRows.get(i)} of {@code pool} and stops early on {@code validationRows.get(i)},
     * and gets exactly what {@link #fit} gives when it is the only member and trains on those rows alone (the same
     * order of its rows, shuffled each epoch by its own {@link SplittableRandom} seeded with
     * {@link PopulationOptions#batchOrderSeed()} as the Trainer does, the same minibatches, the same dropout draws),
     * up to float rounding in the differently ordered sums. The training loss is not recorded (reports carry NaN; a
     * member diverges on its validation loss alone), whatever the options say.
     *
     * <p>Members step together, so every member must take the same number of minibatches per epoch,
     * {@code ceil(rows / min(batchSize, rows))}; their row counts may otherwise differ (a shorter last minibatch is
     * padded and masked). {@link #stepsPerEpoch} tells which members can share a pass.
     *
     * @param members        compatible specs ({@link #check(List)}), at least one
     * @param pool           features {@code [n, inputs]} and labels {@code [n, outputs]} (one-hot {@code [n, 2]} for
     *                       a binary spec is accepted, as by {@link #fit}); a labels mask {@code [n, 1]} holds
     *                       per-example loss weights (e.g. {@link io.micromodels.train.ClassWeight}), applied to the
     *                       training and the validation loss of every member as {@link #fit} applies them
     * @param trainRows      per member, its training rows: indices into {@code pool}, at least one
     * @param validationRows per member, its validation rows, at least one
     * @param options        batch order seed and compaction
     * @param listener       told every member's epoch reports, or null
     * @return one result per member, in the order given; close it
     * @throws IllegalArgumentException naming the member when its rows are empty or out of range, or its number of
     *                                  minibatches per epoch differs from member 0's
     */
    public static PopulationResult fitRows(List<MicromodelSpec> members, DataSet pool, List<int[]> trainRows,
                                           List<int[]> validationRows, PopulationOptions options, Listener listener) {
        check(members);
        if (options == null) {
            throw new IllegalArgumentException("options must be given, got null");
        }
        if (trainRows == null || validationRows == null || trainRows.size() != members.size()
                || validationRows.size() != members.size()) {
            throw new IllegalArgumentException("trainRows and validationRows must list one row set per member ("
                    + members.size() + "), got " + (trainRows == null ? null : trainRows.size()) + " and "
                    + (validationRows == null ? null : validationRows.size()));
        }
        int n = pool.numExamples();
        int steps0 = -1;
        for (int i = 0; i < members.size(); i++) {
            for (int[] rows : List.of(trainRows.get(i), validationRows.get(i))) {
                if (rows == null || rows.length == 0) {
                    throw new IllegalArgumentException("member " + i + ": its training and validation rows must not be empty");
                }
                for (int r : rows) {
                    if (r < 0 || r >= n) {
                        throw new IllegalArgumentException("member " + i + ": row " + r + " is outside the pool [0, " + n + ")");
                    }
                }
            }
            int steps = stepsPerEpoch(members.get(i), trainRows.get(i).length);
            if (i == 0) {
                steps0 = steps;
            } else if (steps != steps0) {
                throw new IllegalArgumentException("member " + i + " takes " + steps + " minibatches per epoch ("
                        + trainRows.get(i).length + " rows) but member 0 takes " + steps0
                        + "; members of one fitRows pass must take the same number");
            }
        }
        Run run = new Run(members, pool, pool, options.withRecordTrainingLoss(false), listener, null);
        run.trainRows = trainRows.stream().map(int[]::clone).toList();
        run.validationRows = validationRows.stream().map(int[]::clone).toList();
        return run.run();
    }

    /**
     * Trains each member for exactly its {@code epochs()} epochs, without early stopping, and keeps its last epoch's
     * parameters: the refit of a cross-validated configuration on all non-test rows for the epochs the folds chose.
     * The reports' validation loss is the data loss on {@code train} itself; a member still stops when a loss is not
     * finite (keeping its last finite epoch).
     *
     * @param members compatible specs ({@link #check(List)})
     * @param train   features {@code [n, inputs]} and labels {@code [n, outputs]}
     * @param options batch order seed and compaction
     * @return one result per member, in the order given; close it
     */
    public static PopulationResult fitFixedEpochs(List<MicromodelSpec> members, DataSet train, PopulationOptions options) {
        check(members);
        if (options == null) {
            throw new IllegalArgumentException("options must be given, got null");
        }
        Run run = new Run(members, train, train, options, null, null);
        run.fixedEpochs = true;
        return run.run();
    }

    /** Minibatches per epoch of a spec training on {@code rows} rows: {@code ceil(rows / min(batchSize, rows))}. */
    public static int stepsPerEpoch(MicromodelSpec spec, int rows) {
        int bs = Math.min(spec.batchSize(), rows);
        return (rows + bs - 1) / bs;
    }

    /**
     * Checks that the specs can train as one population.
     *
     * @throws IllegalArgumentException naming the first member index and field that does not fit, or an
     *                                  unsupported updater or loss
     */
    public static void check(List<MicromodelSpec> members) {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("members must list at least one spec, got " + members);
        }
        for (int i = 0; i < members.size(); i++) {
            MicromodelSpec m = members.get(i);
            if (m == null) {
                throw new IllegalArgumentException("member " + i + " is null");
            }
            Optional<String> why = unsupported(m);
            if (why.isPresent()) {
                throw new IllegalArgumentException("member " + i + ": " + why.get());
            }
        }
        MicromodelSpec first = members.get(0);
        for (int i = 1; i < members.size(); i++) {
            Optional<String> diff = difference(first, members.get(i));
            if (diff.isPresent()) {
                throw new IllegalArgumentException("member " + i + " cannot train in a population with member 0: "
                        + diff.get() + " (members must share inputs, hidden depth, activations, batchSize, output, "
                        + "outputs, loss and updater kind; Population.groups splits a list into compatible groups)");
            }
        }
    }

    /** Whether population training can train this spec (Adam or SGD; cross-entropy, binary cross-entropy or MSE). */
    public static boolean supports(MicromodelSpec spec) {
        return unsupported(spec).isEmpty();
    }

    private static Optional<String> unsupported(MicromodelSpec spec) {
        Updater.Kind u = spec.updater().kind();
        if (u != Updater.Kind.ADAM && u != Updater.Kind.SGD) {
            return Optional.of("updater " + u.name().toLowerCase(Locale.ROOT)
                    + " is not supported by population training (adam, sgd); train it with Trainer");
        }
        if (spec.loss() == Loss.MAE) {
            return Optional.of("loss mae is not supported by population training (cross_entropy, "
                    + "binary_cross_entropy, mse); train it with Trainer");
        }
        return Optional.empty();
    }

    private static Optional<String> difference(MicromodelSpec a, MicromodelSpec b) {
        if (a.inputs() != b.inputs()) {
            return Optional.of("inputs is " + b.inputs() + ", member 0 has " + a.inputs());
        }
        if (a.hidden().size() != b.hidden().size()) {
            return Optional.of("hidden depth is " + b.hidden().size() + ", member 0 has " + a.hidden().size());
        }
        for (int l = 0; l < a.hidden().size(); l++) {
            Activation x = a.hidden().get(l).activation();
            Activation y = b.hidden().get(l).activation();
            if (x != y) {
                return Optional.of("hidden[" + l + "].activation is " + y.jsonName() + ", member 0 has " + x.jsonName());
            }
        }
        if (a.batchSize() != b.batchSize()) {
            return Optional.of("batchSize is " + b.batchSize() + ", member 0 has " + a.batchSize());
        }
        if (a.output() != b.output()) {
            return Optional.of("output is " + name(b.output()) + ", member 0 has " + name(a.output()));
        }
        if (a.outputs() != b.outputs()) {
            return Optional.of("outputs is " + b.outputs() + ", member 0 has " + a.outputs());
        }
        if (a.loss() != b.loss()) {
            return Optional.of("loss is " + name(b.loss()) + ", member 0 has " + name(a.loss()));
        }
        if (a.updater().kind() != b.updater().kind()) {
            return Optional.of("updater kind is " + name(b.updater().kind()) + ", member 0 has "
                    + name(a.updater().kind()));
        }
        return Optional.empty();
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Partitions specs into groups that can each train as one population, in order of first appearance; within a
     * group the specs keep their relative order. Specs that {@link #supports(MicromodelSpec) cannot} be population-
     * trained still get groups (by the same key), so filter them out first.
     *
     * @param specs any specs (none null)
     * @return the groups; together their indices cover {@code 0..specs.size()-1} exactly once
     */
    public static List<PopulationGroup> groups(List<MicromodelSpec> specs) {
        Map<List<Object>, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            MicromodelSpec s = specs.get(i);
            if (s == null) {
                throw new IllegalArgumentException("spec " + i + " is null");
            }
            List<Object> key = new ArrayList<>(List.<Object>of(s.inputs(), s.batchSize(), s.output(), s.outputs(), s.loss(),
                    s.updater().kind()));
            for (HiddenLayer h : s.hidden()) {
                key.add(h.activation());
            }
            key.add(s.hidden().size());
            byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
        }
        List<PopulationGroup> out = new ArrayList<>();
        for (List<Integer> idx : byKey.values()) {
            List<MicromodelSpec> group = new ArrayList<>();
            for (int i : idx) {
                group.add(specs.get(i));
            }
            out.add(new PopulationGroup(idx, group));
        }
        return out;
    }

    /**
     * The parameters DL4J initialises a network of this spec with ({@code W} in 'f' order then {@code b}, per layer):
     * exactly what {@link Trainer#fit(MicromodelSpec, DataSet, DataSet, io.micromodels.train.EpochListener...)}
     * starts from.
     */
    static float[] initialParameters(MicromodelSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(spec.toConfiguration());
        net.init();
        // not net.close(): it calls System.gc() (about 7 ms here, per member); this network never trained, so it
        // holds no workspaces and its parameter array is freed with it by the garbage collector
        return net.params().toFloatVector();
    }

    /** A plain DL4J network of the spec holding the given parameters (its own DL4J parameter vector). */
    static MultiLayerNetwork export(MicromodelSpec spec, float[] params) {
        MultiLayerNetwork net = new MultiLayerNetwork(spec.toConfiguration());
        net.init(Nd4j.createFromArray(params).reshape('c', 1, params.length), false);
        return net;
    }

    /** A member's own dropout random stream (ND4J random on its seed's {@link Seeds#DROPOUT} fork), or null without dropout. */
    static Random dropoutRandom(MicromodelSpec spec) {
        for (HiddenLayer h : spec.hidden()) {
            if (h.dropRate() > 0) {
                return Nd4j.getRandomFactory().getNewRandomInstance(Seeds.fork(spec.seed(), Seeds.DROPOUT));
            }
        }
        return null;
    }

    /** One call of {@link #fit}: the epoch loop with per-member bookkeeping. */
    private static final class Run {
        private final List<MicromodelSpec> members;
        private final DataSet train;
        private final DataSet validation;
        private final PopulationOptions options;
        private final Listener listener;
        private final java.util.function.ToDoubleFunction<double[][]> selection;
        private final int count;
        private final double[] best;
        private final int[] bestEpoch;
        private final int[] since;
        private final int[] epochsRun;
        private final double[] stoppedAt;
        private final TrainingResult.Stop[] stop;
        private final float[][] keep;
        private final List<List<EpochReport>> history = new ArrayList<>();
        private final Random[] randoms;
        private final long start = System.nanoTime();
        /** {@link #fitRows} only: each member's rows of the pool ({@code train} = {@code validation} = the pool). */
        private List<int[]> trainRows;
        private List<int[]> validationRows;
        /** {@link #fitFixedEpochs}: every finite epoch counts as an improvement and patience is ignored. */
        private boolean fixedEpochs;

        Run(List<MicromodelSpec> members, DataSet train, DataSet validation, PopulationOptions options,
            Listener listener, java.util.function.ToDoubleFunction<double[][]> selection) {
            this.selection = selection;
            this.members = List.copyOf(members);
            MicromodelSpec first = members.get(0);
            this.train = Trainer.conform(first, train, "training");
            this.validation = Trainer.conform(first, validation, "validation");
            this.options = options;
            this.listener = listener;
            this.count = members.size();
            this.best = new double[count];
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            this.bestEpoch = new int[count];
            this.since = new int[count];
            this.epochsRun = new int[count];
            this.stoppedAt = new double[count];
            this.stop = new TrainingResult.Stop[count];
            this.keep = new float[count][];
            this.randoms = new Random[count];
            for (int i = 0; i < count; i++) {
                history.add(new ArrayList<>());
            }
        }

        PopulationResult run() {
            List<PopulationEngine.MemberState> states = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                MicromodelSpec spec = members.get(i);
                randoms[i] = dropoutRandom(spec);
                states.add(new PopulationEngine.MemberState(spec, initialParameters(spec), null, null, randoms[i]));
            }
            int[] slotMember = new int[count];
            for (int i = 0; i < count; i++) {
                slotMember[i] = i;
            }
            PopulationEngine engine = new PopulationEngine(states, 0);
            long loopStart = System.nanoTime();
            double loopSeconds;
            int epochs = 0;
            long steps = 0;
            int compactions = 0;
            try {
                SplittableRandom rng = Seeds.random(options.batchOrderSeed(), Seeds.BATCH_ORDER);
                int n = train.numExamples();
                int bs = Math.min(members.get(0).batchSize(), n);
                INDArray x = PopulationEngine.withBiasColumn(train.getFeatures());
                INDArray validationX = PopulationEngine.withBiasColumn(validation.getFeatures());
                INDArray y = train.getLabels();
                INDArray w = train.getLabelsMaskArray();              // per-example weights [n, 1], or null
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                PopulationEngine.Score score = options.recordTrainingLoss() ? PopulationEngine.Score.EPOCH
                        : PopulationEngine.Score.NONE;
                int active = count;
                PerMember per = trainRows == null ? null : new PerMember(x, y, w);
                for (int epoch = 1; active > 0; epoch++) {
                    epochs = epoch;
                    engine.startEpoch(epoch - 1);
                    double[] val;
                    if (per != null) {
                        steps += per.epoch(engine, slotMember);
                        val = per.validate(engine, slotMember);
                    } else {
                        io.micromodels.train.Trainer.shuffle(order, rng);
                        INDArray xs = Nd4j.pullRows(x, 1, order);
                        INDArray ys = Nd4j.pullRows(y, 1, order);
                        INDArray ws = w == null ? null : Nd4j.pullRows(w, 1, order);
                        for (int from = 0; from < n; from += bs) {
                            int to = Math.min(n, from + bs);
                            engine.step(xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                                    ys.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                                    ws == null ? null : ws.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), score);
                            steps++;
                        }
                        xs.close();
                        ys.close();
                        if (ws != null) {
                            ws.close();
                        }
                        val = null;
                    }
                    double[] scoreSums = options.recordTrainingLoss() ? engine.takeEpochScoreSums() : null;
                    if (val == null) {
                        val = selection == null
                                ? engine.meanLoss(validationX, validation.getLabels(), validation.getLabelsMaskArray())
                                : selectionScores(engine, validationX);
                    }
                    float[][] current = null;
                    for (int s = 0; s < engine.slots(); s++) {
                        if (!engine.isActive(s)) {
                            continue;
                        }
                        int m = slotMember[s];
                        double trainLoss = scoreSums == null ? Double.NaN : scoreSums[s] / n;
                        boolean finite = Double.isFinite(val[s]) && (scoreSums == null || Double.isFinite(trainLoss));
                        boolean improved = finite && (fixedEpochs || val[s] < best[m]);
                        if (improved) {
                            best[m] = val[s];
                            bestEpoch[m] = epoch;
                            since[m] = 0;
                            if (current == null) {
                                current = engine.memberParams();
                            }
                            keep[m] = current[s];
                        } else {
                            since[m]++;
                        }
                        epochsRun[m] = epoch;
                        EpochReport report = new EpochReport(epoch, trainLoss, val[s], improved, bestEpoch[m], seconds());
                        history.get(m).add(report);
                        if (listener != null) {
                            listener.onEpoch(m, report);
                        }
                        MicromodelSpec spec = members.get(m);
                        TrainingResult.Stop why = null;
                        if (!finite) {
                            why = TrainingResult.Stop.DIVERGED;
                        } else if (!fixedEpochs && spec.patience() > 0 && since[m] >= spec.patience()) {
                            why = TrainingResult.Stop.EARLY_STOPPED;
                        } else if (epoch >= spec.epochs()) {
                            why = TrainingResult.Stop.MAX_EPOCHS;
                        }
                        if (why != null) {
                            stop[m] = why;
                            stoppedAt[m] = seconds();
                            if (keep[m] == null) {
                                // never improved (diverged at once): keep what it has, as the Trainer does
                                if (current == null) {
                                    current = engine.memberParams();
                                }
                                keep[m] = current[s];
                            }
                            engine.deactivate(s);
                            active--;
                        }
                    }
                    if (active > 0 && active < engine.slots()
                            && active <= options.compactionThreshold() * engine.slots()) {
                        int[] keepSlots = new int[active];
                        int[] newSlotMember = new int[active];
                        int j = 0;
                        for (int s = 0; s < engine.slots(); s++) {
                            if (engine.isActive(s)) {
                                keepSlots[j] = s;
                                newSlotMember[j++] = slotMember[s];
                            }
                        }
                        PopulationEngine smaller = new PopulationEngine(engine.states(keepSlots), engine.iteration());
                        engine.close();
                        engine = smaller;
                        slotMember = newSlotMember;
                        compactions++;
                    }
                }
                x.close();
                validationX.close();
                if (per != null) {
                    per.close();
                }
            } finally {
                loopSeconds = (System.nanoTime() - loopStart) / 1e9;
                engine.close();
                for (Random r : randoms) {
                    closeQuietly(r);
                }
            }
            List<TrainingResult> results = new ArrayList<>();
            for (int m = 0; m < count; m++) {
                MicromodelSpec spec = members.get(m);
                results.add(new TrainingResult(export(spec, keep[m]), spec, bestEpoch[m], best[m], epochsRun[m], stop[m],
                        history.get(m), stoppedAt[m]));
            }
            return new PopulationResult(results, epochs, steps, compactions, loopSeconds, seconds());
        }

        /**
         * Per-member data for {@link #fitRows}: each member's own row order (shuffled as the Trainer shuffles), its
         * minibatches gathered on the host into one {@code [steps, K, B, in+1]} array per epoch, and its validation
         * rows padded into chunks of {@code [K, V, in+1]}.
         */
        private final class PerMember {
            /** Pool features with the ones column {@code [n * width]} and labels {@code [n * classes]}, row-major. */
            private final float[] xRows;
            private final float[] yRows;
            /** Per-example loss weights of the pool rows {@code [n]} (its labels mask), or null. */
            private final float[] wRows;
            private final int width;
            private final int classes;
            private final int[][] order;
            private final SplittableRandom[] rngs;
            private final int batch;
            private final int steps;

            PerMember(INDArray x, INDArray y, INDArray weights) {
                this.xRows = hostFloats(x);
                this.yRows = hostFloats(y);
                this.wRows = weights == null ? null : hostFloats(weights.reshape(weights.length()));
                this.width = (int) x.size(1);
                this.classes = (int) y.size(1);
                this.order = new int[count][];
                this.rngs = new SplittableRandom[count];
                int largest = 0;
                for (int m = 0; m < count; m++) {
                    order[m] = trainRows.get(m).clone();
                    rngs[m] = Seeds.random(options.batchOrderSeed(), Seeds.BATCH_ORDER);
                    largest = Math.max(largest, order[m].length);
                }
                this.batch = Math.min(members.get(0).batchSize(), largest);
                this.steps = stepsPerEpoch(members.get(0), trainRows.get(0).length);
            }

            /** One epoch of minibatch steps for the engine's slots; returns the number of steps. */
            int epoch(PopulationEngine engine, int[] slotMember) {
                int k = engine.slots();
                for (int m = 0; m < count; m++) {
                    // permute the member's rows exactly as the Trainer permutes 0..n-1 (then maps them to pool rows)
                    shuffleRows(order[m], rngs[m]);
                }
                int b = 0;
                int[][] rows = new int[steps][k];
                int[] memberBatch = new int[k];
                for (int s = 0; s < k; s++) {
                    int nm = order[slotMember[s]].length;
                    memberBatch[s] = Math.min(members.get(slotMember[s]).batchSize(), nm);
                    b = Math.max(b, memberBatch[s]);
                    for (int t = 0; t < steps; t++) {
                        rows[t][s] = Math.min(memberBatch[s], nm - t * memberBatch[s]);
                    }
                }
                float[] xs = new float[steps * k * b * width];
                float[] ys = new float[steps * k * b * classes];
                float[] ws = wRows == null ? null : new float[steps * k * b];
                for (int t = 0; t < steps; t++) {
                    for (int s = 0; s < k; s++) {
                        int[] o = order[slotMember[s]];
                        for (int r = 0; r < rows[t][s]; r++) {
                            int row = o[t * memberBatch[s] + r];
                            System.arraycopy(xRows, row * width, xs, ((t * k + s) * b + r) * width, width);
                            System.arraycopy(yRows, row * classes, ys, ((t * k + s) * b + r) * classes, classes);
                            if (ws != null) {
                                ws[(t * k + s) * b + r] = wRows[row];
                            }
                        }
                    }
                }
                xStage = stage(xStage, xs);
                yStage = stage(yStage, ys);
                INDArray x4 = xStage.get(NDArrayIndex.interval(0, xs.length)).reshape('c', steps, k, b, width);
                INDArray y4 = yStage.get(NDArrayIndex.interval(0, ys.length)).reshape('c', steps, k, b, classes);
                INDArray w3 = null;
                if (ws != null) {
                    wStage = stage(wStage, ws);
                    w3 = wStage.get(NDArrayIndex.interval(0, ws.length)).reshape('c', steps, k, b);
                }
                for (int t = 0; t < steps; t++) {
                    engine.step(x4.get(NDArrayIndex.point(t)), y4.get(NDArrayIndex.point(t)), rows[t],
                            w3 == null ? null : w3.get(NDArrayIndex.point(t)));
                }
                return steps;
            }

            /** Native staging arrays of the epoch's minibatches, reused from epoch to epoch (grown when needed). */
            private INDArray xStage;
            private INDArray yStage;
            private INDArray xvStage;
            private INDArray yvStage;
            private INDArray wStage;
            private INDArray wvStage;

            /**
             * {@code values} copied into the start of {@code stage} (one memcpy), or into a new array when it is too
             * small: allocating and filling a fresh native array each epoch cost more than the epoch's gathers.
             */
            private INDArray stage(INDArray stage, float[] values) {
                if (stage == null || stage.length() < values.length) {
                    if (stage != null) {
                        stage.close();
                    }
                    stage = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, values.length);
                }
                new org.bytedeco.javacpp.FloatPointer(stage.data().addressPointer()).put(values, 0, values.length);
                return stage;
            }

            /** Frees the staging arrays. */
            void close() {
                for (INDArray a : new INDArray[] {xStage, yStage, xvStage, yvStage, wStage, wvStage}) {
                    if (a != null && !a.wasClosed()) {
                        a.close();
                    }
                }
            }

            /** Mean validation loss of each slot on its own validation rows, {@code [slots]}. */
            double[] validate(PopulationEngine engine, int[] slotMember) {
                int k = engine.slots();
                int longest = 0;
                for (int s = 0; s < k; s++) {
                    longest = Math.max(longest, validationRows.get(slotMember[s]).length);
                }
                int chunk = (int) Math.max(1, Math.min(longest, (1L << 22) / ((long) k * Math.max(width, 64))));
                double[] sums = new double[k];
                for (int from = 0; from < longest; from += chunk) {
                    int b = Math.min(chunk, longest - from);
                    float[] xs = new float[k * b * width];
                    float[] ys = new float[k * b * classes];
                    float[] ws = wRows == null ? null : new float[k * b];
                    int[] rows = new int[k];
                    boolean any = false;
                    for (int s = 0; s < k; s++) {
                        int[] v = validationRows.get(slotMember[s]);
                        int real = Math.max(0, Math.min(b, v.length - from));
                        // a slot whose rows ran out gets one zero row, masked out (rows must be >= 1)
                        rows[s] = Math.max(1, real);
                        for (int r = 0; r < real; r++) {
                            System.arraycopy(xRows, v[from + r] * width, xs, (s * b + r) * width, width);
                            System.arraycopy(yRows, v[from + r] * classes, ys, (s * b + r) * classes, classes);
                            if (ws != null) {
                                ws[s * b + r] = wRows[v[from + r]];
                            }
                        }
                        any |= real > 0;
                    }
                    if (!any) {
                        continue;
                    }
                    xvStage = stage(xvStage, xs);
                    yvStage = stage(yvStage, ys);
                    INDArray x3 = xvStage.get(NDArrayIndex.interval(0, xs.length)).reshape('c', k, b, width);
                    INDArray y3 = yvStage.get(NDArrayIndex.interval(0, ys.length)).reshape('c', k, b, classes);
                    INDArray w2 = null;
                    if (ws != null) {
                        wvStage = stage(wvStage, ws);
                        w2 = wvStage.get(NDArrayIndex.interval(0, ws.length)).reshape('c', k, b);
                    }
                    double[] part = engine.lossSums(x3, y3, rows, w2);
                    for (int s = 0; s < k; s++) {
                        if (from < validationRows.get(slotMember[s]).length) {
                            sums[s] += part[s];
                        }
                    }
                }
                for (int s = 0; s < k; s++) {
                    sums[s] /= validationRows.get(slotMember[s]).length;
                }
                return sums;
            }

            private void shuffleRows(int[] rowsOfMember, SplittableRandom rng) {
                io.micromodels.train.Trainer.shuffle(rowsOfMember, rng);
            }
        }

        /**
         * A matrix's values in row-major order, as float32: one native copy (INDArray.toFloatMatrix reads row by row,
         * a few ND4J calls per row).
         */
        static float[] hostFloats(INDArray a) {
            INDArray f = a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
            try (INDArray c = f.dup('c')) {
                return c.data().asFloat();
            }
        }

        /** {@link #selection} of every active slot's validation outputs; NaN for stopped slots. */
        private double[] selectionScores(PopulationEngine engine, INDArray validationX) {
            return Population.selectionScores(engine, selection, validationX);
        }

        private static void closeQuietly(Random r) {
            if (r == null) {
                return;
            }
            try {
                r.close();
            } catch (Exception e) {
                // releasing a random stream's native state cannot fail in a way the caller could act on
            }
        }

        private double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

    }

    /**
     * {@code selection} of every active slot's validation outputs ({@code [slots, rows, outputs]}), per slot; NaN for
     * stopped slots.
     *
     * @return shape {@code [slots]}
     */
    static double[] selectionScores(PopulationEngine engine, java.util.function.ToDoubleFunction<double[][]> selection,
                                    INDArray validationX) {
        double[] v = new double[engine.slots()];
        java.util.Arrays.fill(v, Double.NaN);
        try (INDArray out = engine.output(validationX)) {
            for (int s = 0; s < engine.slots(); s++) {
                if (engine.isActive(s)) {
                    double[][] o = out.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all())
                            .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
                    v[s] = selection.applyAsDouble(o);
                }
            }
        }
        return v;
    }
}

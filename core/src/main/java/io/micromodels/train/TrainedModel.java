package io.micromodels.train;

import io.micromodels.backend.Backend;
import io.micromodels.frozen.BinaryDecision;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.PreparedData;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained micromodel ready to predict: the DL4J network, its spec, the fitted data pipeline that turns raw CSV
 * rows into features, the test metrics and the provenance. This is what {@link io.micromodels.io.ModelStore} saves
 * as one zip and loads back. Holds native memory: close it when done.
 *
 * <pre>{@code
 * PreparedData data = Datasets.load("german_credit").prepare(42);
 * try (TrainedModel model = TrainedModel.train(data, TrainedModel.defaultSpec(data), "german_credit")) {
 *     System.out.println(model.testMetrics().table());
 *     double[][] p = model.predict(data.test().getFeatures());   // [n][2] class probabilities
 * }
 * }</pre>
 *
 * <h2>Ensembles</h2>
 * A model may hold N member networks of one architecture ({@code population.Ensemble.train}: the same spec with N seeds,
 * trained together as one population); its predictions are the members' average (class probabilities, or regression
 * values in the target's units: the average of the standardised outputs, mapped back). {@link #network()} is then
 * member 0, {@link #members()} all of them.
 */
public final class TrainedModel implements AutoCloseable {
    private final List<MultiLayerNetwork> members;
    private final MultiLayerNetwork network;
    private final MicromodelSpec spec;
    private final FittedPipeline pipeline;
    private final Metrics testMetrics;
    private final Provenance provenance;
    /** Binary tasks: calibration and threshold (standard = none and 0.5); null otherwise. */
    private final BinaryDecision decision;
    /** Per-epoch losses of member 0's training; null when not known (older model files). */
    private final TrainingHistory history;

    /** Assembles a model from its parts (as loaded from a zip, or after training); binary: the standard decision. */
    public TrainedModel(MultiLayerNetwork network, MicromodelSpec spec, FittedPipeline pipeline, Metrics testMetrics,
                        Provenance provenance) {
        this(List.of(network), spec, pipeline, testMetrics, provenance, (BinaryDecision) null, null);
    }

    /**
     * Assembles an ensemble (one member: an ordinary model) from its parts; binary: the standard decision.
     *
     * @param members at least one network, each of {@code spec}'s architecture (their seeds may differ)
     */
    public TrainedModel(List<MultiLayerNetwork> members, MicromodelSpec spec, FittedPipeline pipeline, Metrics testMetrics,
                        Provenance provenance) {
        this(members, spec, pipeline, testMetrics, provenance, (BinaryDecision) null, null);
    }

    /**
     * Assembles a model with a binary task's decision (calibration and threshold).
     *
     * @param decision its {@code positive} must be the task's positive class index; null = the standard decision
     * @throws IllegalArgumentException when a decision is given for a non-binary task or names another positive class
     */
    public TrainedModel(MultiLayerNetwork network, MicromodelSpec spec, FittedPipeline pipeline, Metrics testMetrics,
                        Provenance provenance, BinaryDecision decision) {
        this(List.of(network), spec, pipeline, testMetrics, provenance, decision, null);
    }

    /**
     * Assembles an ensemble with a binary task's decision (applied to the members' averaged probabilities).
     *
     * @param members  at least one network, each of {@code spec}'s architecture (their seeds may differ)
     * @param decision as for the single-network constructor
     */
    public TrainedModel(List<MultiLayerNetwork> members, MicromodelSpec spec, FittedPipeline pipeline, Metrics testMetrics,
                        Provenance provenance, BinaryDecision decision) {
        this(members, spec, pipeline, testMetrics, provenance, decision, null);
    }

    /**
     * Assembles a model from its parts with its training history.
     *
     * @param history per-epoch losses of member 0's training, or null when not known (older model files)
     */
    public TrainedModel(List<MultiLayerNetwork> members, MicromodelSpec spec, FittedPipeline pipeline, Metrics testMetrics,
                        Provenance provenance, TrainingHistory history) {
        this(members, spec, pipeline, testMetrics, provenance, null, history);
    }

    /**
     * Assembles a model from all its parts.
     *
     * @param decision a binary task's decision, or null for the standard one
     * @param history  per-epoch losses of member 0's training, or null when not known
     */
    public TrainedModel(List<MultiLayerNetwork> members, MicromodelSpec spec, FittedPipeline pipeline, Metrics testMetrics,
                        Provenance provenance, BinaryDecision decision, TrainingHistory history) {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("ensemble must have at least 1 member, got " + (members == null ? null : 0));
        }
        this.members = List.copyOf(members);
        this.network = this.members.get(0);
        this.spec = spec;
        this.pipeline = pipeline;
        this.testMetrics = testMetrics;
        this.provenance = provenance;
        this.history = history;
        checkCompatible(spec, pipeline.task(), pipeline.width());
        TaskInfo task = pipeline.task();
        if (task.kind() != TaskKind.BINARY) {
            if (decision != null && !decision.isStandard()) {
                throw new IllegalArgumentException("a decision (threshold, calibration) needs a binary task, got "
                        + task.kind().jsonName());
            }
            this.decision = null;
        } else {
            if (decision != null && decision.positive() != task.positiveClass()) {
                throw new IllegalArgumentException("the decision's positive class index " + decision.positive()
                        + " is not the task's (" + task.positiveClass() + ")");
            }
            this.decision = decision != null ? decision : BinaryDecision.standard(task.positiveClass());
        }
    }

    /**
     * The default micromodel for a task: two ReLU layers of 32 and 16 units, drop rate 0.1 after the first, L2
     * 1e-4, Adam 3e-3, batch 64, up to 300 epochs with patience 20. Binary tasks get two softmax outputs.
     */
    public static MicromodelSpec defaultSpec(TaskInfo task, int inputs) {
        return Micromodel.from(linearSpec(task, inputs))
                .dense(32, Activation.RELU).dropout(0.1).dense(16, Activation.RELU)
                .build();
    }

    /** {@link #defaultSpec(TaskInfo, int)} for prepared data. */
    public static MicromodelSpec defaultSpec(PreparedData data) {
        return defaultSpec(data.pipeline().task(), data.pipeline().width());
    }

    /** A linear micromodel (no hidden layer) with the default training settings: the simplest baseline. */
    public static MicromodelSpec linearSpec(TaskInfo task, int inputs) {
        Micromodel m = task.kind() == TaskKind.REGRESSION ? Micromodel.regressor() : Micromodel.classifier(task.classes().size());
        return m.input(inputs).l2(1e-4).adam(3e-3).batchSize(64).epochs(300).patience(20).build();
    }

    /**
     * Trains {@code spec} on the prepared data (early stopping on the validation split), evaluates it on the test
     * split and records provenance.
     *
     * @param dataSource the CSV file or bundled dataset name, for provenance
     */
    public static TrainedModel train(PreparedData data, MicromodelSpec spec, String dataSource, EpochListener... listeners) {
        return train(data, spec, dataSource, QualityOptions.defaults(), listeners);
    }

    /**
     * Trains as {@link #train(PreparedData, MicromodelSpec, String, EpochListener...)} with quality options: class
     * weights in the loss (train and validation splits), early stopping on the chosen metric when one is chosen, then
     * for a binary task Platt calibration and the decision threshold fitted on the validation split
     * ({@link #decide}); the test metrics use both.
     *
     * @throws IllegalArgumentException when an option does not fit the task (see {@link QualityOptions#objective})
     */
    public static TrainedModel train(PreparedData data, MicromodelSpec spec, String dataSource, QualityOptions quality,
                                     EpochListener... listeners) {
        FittedPipeline pipeline = data.pipeline();
        checkCompatible(spec, pipeline.task(), pipeline.width());
        Objective objective = quality.objective(pipeline.task());
        DataSet[] split = trainingSplits(spec, pipeline.task(), data, quality);
        TrainingResult r = quality.metricChosen()
                ? Trainer.fitSelecting(spec, split[0], split[1], selection(objective, split[1], pipeline, quality), listeners)
                : Trainer.fit(spec, split[0], split[1], listeners);
        Recipe recipe = data.options() == null ? null : Recipe.of(Recipe.SINGLE, spec, data.options(), quality, 1);
        Provenance provenance = Provenance.now(spec, dataSource, data.sha256(), Backend.current(), r.bestEpoch(),
                r.epochsRun(), r.seconds(), recipe);
        BinaryDecision decision = decide(r.network(), spec, pipeline, data.validation(), quality);
        TrainedModel model = new TrainedModel(r.network(), spec, pipeline, null, provenance, decision);
        Metrics test = model.evaluate(data.test());
        return new TrainedModel(List.of(r.network()), spec, pipeline, test, provenance, decision, TrainingHistory.of(r));
    }

    /**
     * The training and validation splits as a spec trains on them: a binary (sigmoid) spec's labels reduced to the
     * positive column, and with class weights, each row's class weight (from the training split's counts) as its
     * per-example weight ({@link ClassWeight#weighted}).
     *
     * @return {@code {train, validation}}
     */
    public static DataSet[] trainingSplits(MicromodelSpec spec, TaskInfo task, PreparedData data, QualityOptions quality) {
        DataSet train = labelsFor(spec, task, data.train());
        DataSet validation = labelsFor(spec, task, data.validation());
        if (quality.classWeight() != ClassWeight.NONE && task.kind() != TaskKind.REGRESSION) {
            double[] cw = quality.classWeight().classWeights(train.getLabels());
            train = ClassWeight.weighted(train, cw);
            validation = ClassWeight.weighted(validation, cw);
        }
        return new DataSet[] {train, validation};
    }

    /** Early stopping on the objective of the validation split (at the fixed threshold, or the best one). */
    public static Trainer.Selection selection(Objective objective, DataSet validation, FittedPipeline pipeline,
                                              QualityOptions quality) {
        INDArray x = validation.getFeatures().castTo(DataType.FLOAT);
        java.util.function.ToDoubleFunction<double[][]> f = objective.selection(validation, pipeline,
                quality.fixedThreshold().orElse(Double.NaN));
        return net -> f.applyAsDouble(net.output(x, false).castTo(DataType.DOUBLE).toDoubleMatrix());
    }

    /**
     * A binary model's decision fitted on the validation split: Platt scaling of the positive-class probability when
     * asked for, then the threshold: the fixed one, or for {@code auto} the one that maximises a threshold-dependent
     * objective ({@link Objective#bestThreshold}) on the (calibrated) probabilities, else 0.5.
     *
     * @param validation features and one-hot {@code [n, 2]} labels as the pipeline produced them
     * @return the decision, or null for a non-binary task
     */
    public static BinaryDecision decide(MultiLayerNetwork net, MicromodelSpec spec, FittedPipeline pipeline,
                                        DataSet validation, QualityOptions quality) {
        TaskInfo task = pipeline.task();
        if (task.kind() != TaskKind.BINARY) {
            return null;
        }
        int pos = task.positiveClass();
        double[][] out = net.output(validation.getFeatures().castTo(DataType.FLOAT), false).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] p = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            p[i] = spec.output() == TaskKind.BINARY ? out[i][0] : out[i][pos];
        }
        return decide(p, pipeline, validation, quality);
    }

    /**
     * As {@link #decide(MultiLayerNetwork, MicromodelSpec, FittedPipeline, DataSet, QualityOptions)} from the
     * positive-class probabilities of the validation rows (e.g. an ensemble's averaged probabilities).
     *
     * @param positive   {@code [n]} uncalibrated positive-class probabilities of the validation rows
     * @param validation features and labels ({@code [n, 2]} one-hot, or {@code [n, 1]} positive column)
     * @return the decision, or null for a non-binary task
     */
    public static BinaryDecision decide(double[] positive, FittedPipeline pipeline, DataSet validation, QualityOptions quality) {
        TaskInfo task = pipeline.task();
        if (task.kind() != TaskKind.BINARY) {
            return null;
        }
        int pos = task.positiveClass();
        double[][] y = validation.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        if (y.length != positive.length) {
            throw new IllegalArgumentException("positive has " + positive.length + " probabilities for " + y.length + " validation rows");
        }
        double[] labels = new double[positive.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (y[i].length == 1 ? y[i][0] : y[i][pos]) > 0.5 ? 1 : 0;
        }
        return decide(positive, labels, task, quality);
    }

    /**
     * The decision itself, from positive-class probabilities and their 0/1 labels (of the validation split, or of
     * out-of-fold predictions): Platt scaling when asked for, then the fixed threshold, or for {@code auto} the one that
     * maximises a threshold-dependent objective on the (calibrated) probabilities, else 0.5. When
     * {@link #decisionReadsScores} is false the arrays are not read (they may be empty).
     *
     * @param positive {@code [n]} uncalibrated positive-class probabilities
     * @param labels   {@code [n]} 1 for the positive class, 0 otherwise
     * @return the decision, or null for a non-binary task
     */
    public static BinaryDecision decide(double[] positive, double[] labels, TaskInfo task, QualityOptions quality) {
        if (task.kind() != TaskKind.BINARY) {
            return null;
        }
        if (labels.length != positive.length) {
            throw new IllegalArgumentException("positive has " + positive.length + " probabilities for " + labels.length + " labels");
        }
        Objective objective = quality.objective(task);
        int pos = task.positiveClass();
        double[] p = positive.clone();
        BinaryDecision d = BinaryDecision.standard(pos);
        if (quality.platt()) {
            double[] ab = Platt.fit(labels, p);
            d = BinaryDecision.platt(pos, 0.5, ab[0], ab[1]);
            for (int i = 0; i < p.length; i++) {
                p[i] = d.calibrate(p[i]);
            }
        }
        if (quality.fixedThreshold().isPresent()) {
            return d.withThreshold(quality.fixedThreshold().getAsDouble());
        }
        return objective.thresholdDependent() ? d.withThreshold(objective.bestThreshold(labels, p)) : d;
    }

    /**
     * Whether {@link #decide} fits anything to scored rows for these options: a binary task with Platt calibration, or
     * with the automatic threshold and a threshold-dependent metric ({@code f1}, {@code accuracy}). When false the
     * decision is the standard one or a fixed threshold, known without scoring a row.
     */
    public static boolean decisionReadsScores(TaskInfo task, QualityOptions quality) {
        return task.kind() == TaskKind.BINARY && (quality.platt()
                || (quality.fixedThreshold().isEmpty() && quality.objective(task).thresholdDependent()));
    }

    /**
     * The members' specs of an ensemble of {@code n}: member 0 is {@code spec} itself, member {@code i} the same spec
     * with a seed derived from {@code spec.seed()} and {@code i} (SplitMix64), so an ensemble of one is the model
     * {@link #train} gives.
     */
    public static List<MicromodelSpec> ensembleSpecs(MicromodelSpec spec, int n) {
        List<MicromodelSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(i == 0 ? spec : spec.withSeed(memberSeed(spec.seed(), i)));
        }
        return specs;
    }

    private static long memberSeed(long seed, int i) {
        long z = seed + 0x9e3779b97f4a7c15L * (i + 1) ^ 0x454E53454D424C45L; // "ENSEMBLE"
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * A model of trained members (one or more; {@code spec} is member 0's) with its test metrics on {@code data}'s
     * test split and provenance of member 0's training.
     */
    public static TrainedModel assemble(List<TrainingResult> results, MicromodelSpec spec, PreparedData data,
                                        String dataSource) {
        return assemble(results, spec, data, dataSource, Recipe.ASSEMBLED);
    }

    /**
     * As {@link #assemble(List, MicromodelSpec, PreparedData, String)}, recording how the members were trained.
     *
     * @param trainer a {@link Recipe} trainer name ({@link Recipe#ENSEMBLE} for {@code population.Ensemble.train})
     */
    public static TrainedModel assemble(List<TrainingResult> results, MicromodelSpec spec, PreparedData data,
                                        String dataSource, String trainer) {
        return assemble(results, spec, data, dataSource, trainer, QualityOptions.defaults(), null);
    }

    /**
     * As {@link #assemble(List, MicromodelSpec, PreparedData, String, String)} with the quality options the members
     * were trained and decided with (recorded in the recipe) and a binary task's decision (applied to the members'
     * average, in the test metrics too).
     *
     * @param quality  recorded in the {@link Recipe}
     * @param decision a binary task's decision (fitted by the caller, e.g. on out-of-fold predictions), or null for
     *                 the standard one
     */
    public static TrainedModel assemble(List<TrainingResult> results, MicromodelSpec spec, PreparedData data,
                                        String dataSource, String trainer, QualityOptions quality, BinaryDecision decision) {
        TrainingResult first = results.get(0);
        Recipe recipe = data.options() == null ? null
                : Recipe.of(trainer, spec, data.options(), quality, results.size());
        Provenance provenance = Provenance.now(spec, dataSource, data.sha256(), Backend.current(), first.bestEpoch(),
                first.epochsRun(), first.seconds(), recipe);
        List<MultiLayerNetwork> nets = results.stream().map(TrainingResult::network).toList();
        TrainedModel untested = new TrainedModel(nets, spec, data.pipeline(), null, provenance, decision);
        return new TrainedModel(nets, spec, data.pipeline(), untested.evaluate(data.test()), provenance, decision,
                TrainingHistory.of(first));
    }

    /** A binary (sigmoid) spec trains on the positive-class column; the others on the labels as they are. */
    private static DataSet labelsFor(MicromodelSpec spec, TaskInfo task, DataSet d) {
        if (spec.output() != TaskKind.BINARY) {
            return d;
        }
        return new DataSet(d.getFeatures(), d.getLabels().getColumns(task.positiveClass()));
    }

    /**
     * Checks that a spec fits prepared data: its inputs are the pipeline's width and its output fits the task.
     *
     * @throws IllegalArgumentException naming the spec's field, what the data needs and the value
     */
    public static void checkCompatible(MicromodelSpec spec, TaskInfo task, int width) {
        if (spec.inputs() != width) {
            throw new IllegalArgumentException("the spec has inputs = " + spec.inputs() + " but the data has " + width
                    + " features after preprocessing; set \"inputs\": " + width);
        }
        boolean ok = switch (task.kind()) {
            case REGRESSION -> spec.output() == TaskKind.REGRESSION && spec.outputs() == 1;
            case BINARY -> spec.output() == TaskKind.BINARY
                    || (spec.output() == TaskKind.MULTICLASS && spec.outputs() == 2);
            case MULTICLASS -> spec.output() == TaskKind.MULTICLASS && spec.outputs() == task.classes().size();
        };
        if (!ok) {
            throw new IllegalArgumentException("the spec's output (" + spec.output().name().toLowerCase(java.util.Locale.ROOT)
                    + " with outputs = " + spec.outputs() + ") does not fit the " + task.kind().jsonName()
                    + " target '" + task.target() + "'" + (task.classes().isEmpty() ? "" : " with classes " + task.classes()));
        }
    }

    /**
     * Predictions for preprocessed features.
     *
     * @param features {@code [n, width]}
     * @return {@code [n][classes]} class probabilities (in {@code task().classes()} order), or {@code [n][1]}
     *         regression predictions in the target's original units
     */
    public double[][] predict(INDArray features) {
        INDArray x = features.castTo(DataType.FLOAT);
        INDArray out = network.output(x, false).castTo(DataType.DOUBLE);
        if (members.size() > 1) {
            for (int m = 1; m < members.size(); m++) {
                out.addi(members.get(m).output(x, false).castTo(DataType.DOUBLE));
            }
            out.divi(members.size());
        }
        TaskInfo task = pipeline.task();
        if (task.kind() == TaskKind.REGRESSION) {
            double[] y = pipeline.targetEncoder().toOriginalUnits(out.getColumn(0).toDoubleVector());
            double[][] r = new double[y.length][1];
            for (int i = 0; i < y.length; i++) {
                r[i][0] = y[i];
            }
            return r;
        }
        double[][] p = out.toDoubleMatrix();
        if (spec.output() == TaskKind.BINARY) {
            int pos = task.positiveClass();
            double[][] two = new double[p.length][2];
            for (int i = 0; i < p.length; i++) {
                two[i][pos] = p[i][0];
                two[i][1 - pos] = 1 - p[i][0];
            }
            p = two;
        }
        if (decision != null && decision.calibrated()) {
            for (double[] row : p) {
                decision.apply(row, 0);
            }
        }
        return p;
    }

    /**
     * The predicted class index of one row of {@link #predict} output: the binary decision's threshold, else the
     * most probable class (ties: the first).
     *
     * @param probabilities {@code [classes]}, as {@link #predict} returns them (calibrated)
     */
    public int predictedClass(double[] probabilities) {
        if (decision != null && !decision.isStandard()) {
            return decision.label(probabilities, 0);
        }
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * A binary model's reliability diagram on a split: equal-width bins of the (calibrated) positive-class
     * probability, see {@link Scores#reliability}.
     *
     * @return rows {@code [lower, upper, meanPredicted, observedFrequency, count]} of the non-empty bins
     * @throws IllegalStateException for a non-binary task
     */
    public double[][] reliability(DataSet data, int bins) {
        if (decision == null) {
            throw new IllegalStateException("a reliability diagram needs a binary task");
        }
        double[][] p = predict(data.getFeatures());
        double[][] y = data.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        int pos = decision.positive();
        double[] prob = new double[p.length];
        double[] labels = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            prob[i] = p[i][pos];
            labels[i] = y[i][pos] > 0.5 ? 1 : 0;
        }
        return Scores.reliability(labels, prob, bins);
    }

    /** A binary task's decision (calibration and threshold); null for other tasks. */
    public BinaryDecision decision() {
        return decision;
    }

    /** Predictions for raw rows (cells in {@code pipeline().inputColumns()} order); see {@link #predict(INDArray)}. */
    public double[][] predictRaw(List<String[]> rawRows) {
        return predict(pipeline.transform(rawRows));
    }

    /** Predictions for a parsed CSV (columns matched by name; the target and extra columns are ignored). */
    public double[][] predict(io.micromodels.data.Table table) {
        return predict(pipeline.transform(table));
    }

    /** Names of the prediction columns: {@code p_<class>} per class, or the target name for regression. */
    public List<String> outputNames() {
        TaskInfo task = pipeline.task();
        if (task.kind() == TaskKind.REGRESSION) {
            return List.of(task.target());
        }
        List<String> names = new ArrayList<>();
        for (String c : task.classes()) {
            names.add("p_" + c);
        }
        return names;
    }

    /** Metrics on a prepared split (labels as the pipeline produced them). */
    public Metrics evaluate(DataSet data) {
        TaskInfo task = pipeline.task();
        double[][] p = predict(data.getFeatures());
        if (task.kind() == TaskKind.REGRESSION) {
            double[] actual = pipeline.targetEncoder().toOriginalUnits(data.getLabels().castTo(DataType.DOUBLE).getColumn(0).toDoubleVector());
            double[] pred = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                pred[i] = p[i][0];
            }
            return Metrics.regression(actual, pred);
        }
        return task.kind() == TaskKind.BINARY ? Metrics.classification(data.getLabels(), Nd4j.create(p), task.classes(), decision)
                : Metrics.classification(data.getLabels(), Nd4j.create(p), task.classes(), task.positiveClass());
    }

    /** The DL4J network (member 0 of an ensemble). */
    public MultiLayerNetwork network() {
        return network;
    }

    /** Every member network, member 0 first (one for an ordinary model). */
    public List<MultiLayerNetwork> members() {
        return members;
    }

    /** Whether the model averages more than one network. */
    public boolean isEnsemble() {
        return members.size() > 1;
    }

    /** The spec it was built from. */
    public MicromodelSpec spec() {
        return spec;
    }

    /** The fitted data pipeline. */
    public FittedPipeline pipeline() {
        return pipeline;
    }

    /** Per-epoch training history of member 0 (null when the model file predates it). */
    public TrainingHistory history() {
        return history;
    }

    /** Test-split metrics recorded at training time (null if none). */
    public Metrics testMetrics() {
        return testMetrics;
    }

    /** Where the model came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** Frees the network's native memory. */
    @Override
    public void close() {
        for (MultiLayerNetwork m : members) {
            TrainingResult.release(m);
        }
    }
}

package io.micromodels.explain;

import io.micromodels.data.PipelineCompiler;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.Table;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.FrozenNetwork;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.io.Freezer;
import io.micromodels.train.TrainedModel;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A {@link TrainedModel} as the explainers see it: a {@link BatchModel} over the model's input
 * features, the {@link FeatureGroups} of its original columns, and the metric that fits its task.
 * Obtain one from {@link Explainer#model(TrainedModel)}.
 *
 * <h2>What is explained</h2>
 * One number per row ({@link #outputName()}):
 * <ul>
 *   <li>binary: the probability of the positive class ({@code TaskInfo.positiveClass()}) by default;</li>
 *   <li>multiclass: the probability of one class, by default the first of {@code TaskInfo.classes()}
 *       (a fixed, data-independent choice; SHAP needs one function for all rows, so "the predicted
 *       class" is not an option); choose another with {@link Explainer#model(TrainedModel, String)};</li>
 *   <li>regression: the prediction in the target's original units (the network's standardised
 *       output times the training target's std plus its mean).</li>
 * </ul>
 *
 * <h2>Speed and fidelity</h2>
 * The network is evaluated through its frozen form ({@link Freezer#freeze}): plain-Java double
 * precision, batch-scored in blocks ({@link FrozenNetwork#predictBatch(double[], int, double[])}),
 * a fraction of a microsecond per row for a micromodel, and no DL4J call per coalition. It computes
 * DL4J's formula in double where DL4J uses float32, so outputs agree with
 * {@link TrainedModel#predict(INDArray)} to about 1e-6 (probabilities; relative for regression in
 * large units). Features are taken in double precision ({@link #features(Table)}).
 *
 * <h2>Feature groups and display</h2>
 * One group per original input column ({@link FittedPipeline#featureGroups()}): a one-hot
 * categorical, a date-time's sin/cos columns and any missing-indicator column move together. Plots
 * and labels show raw values: numeric columns de-standardised with the pipeline's fitted shift and
 * scale, categorical ones as the level name, "missing" when the missing indicator is set, "unseen"
 * for a level not seen in training.
 *
 * <h2>Permutation metric</h2>
 * AUC of the positive-class probability (binary), accuracy of the most probable class (multiclass),
 * RMSE in original units (regression); see {@link #metric()} and {@link #targets(INDArray)}.
 *
 * <p>Immutable and thread-safe; it keeps no reference to the DL4J network, so the
 * {@code TrainedModel} may be closed afterwards.
 *
 * <pre>{@code
 * PreparedData data = Datasets.load("german_credit").prepare(42);
 * try (TrainedModel model = TrainedModel.train(data, TrainedModel.defaultSpec(data), "german_credit")) {
 *     ModelExplainer m = Explainer.model(model);                        // explains P(class = bad)
 *     ShapExplainer shap = m.shap(m.background(data.train().getFeatures(), BackgroundOptions.DEFAULTS));
 *     double[][] test = ModelExplainer.rows(data.test().getFeatures());  // [n][width]
 *     ShapExplanation e = shap.explain(test[0]);                         // per original column
 *     PermutationImportance pi = m.permutationImportance(data.test(), PermutationOptions.DEFAULTS);
 * }
 * }</pre>
 */
public final class ModelExplainer {

    /** The DL4J-side pipeline, or null for an explainer made from the frozen form alone. */
    private final FittedPipeline pipeline;
    private final CompiledPipeline compiled;
    private final TaskInfo task;
    private final FeatureGroups groups;
    private final int explainedClass;
    private final String outputName;
    private final BatchModel model;
    private final BatchModel metricModel;

    private ModelExplainer(TrainedModel trained, String classLabel) {
        this(Check.notNull("model", trained).pipeline(), PipelineCompiler.compile(trained.pipeline()),
                trained.pipeline().task(), Freezer.freeze(trained).members(),
                trained.spec().output() == TaskKind.BINARY, classLabel);
    }

    /**
     * The explainer of a frozen model: its compiled pipeline, its member networks and what its metadata and decision
     * say of the task. Needs no DL4J network and no ND4J.
     */
    private ModelExplainer(FrozenMicromodel frozen, TaskInfo task, String classLabel) {
        this(null, (CompiledPipeline) frozen.pipeline(), task, frozen.members(),
                frozen.members().get(0).outputWidth() == 1 && task.kind() != TaskKind.REGRESSION, classLabel);
    }

    private ModelExplainer(FittedPipeline pipeline, CompiledPipeline compiled, TaskInfo task, List<FrozenNetwork> net,
                           boolean sigmoid, String classLabel) {
        this.pipeline = pipeline;
        this.compiled = compiled;
        this.task = task;
        this.groups = pipeline == null ? PipelineFeatures.groups(compiled) : PipelineFeatures.groups(pipeline, compiled);
        // an ensemble explains the members' average (SHAP values of an average are the average of the members')
        if (net.get(0).inputWidth() != compiled.width()) {
            throw new IllegalStateException("the network takes " + net.get(0).inputWidth() + " inputs but the pipeline makes "
                    + compiled.width() + " features");
        }
        if (task.kind() == TaskKind.REGRESSION) {
            if (classLabel != null) {
                throw new IllegalArgumentException("a class applies to classifiers only; '" + task.target()
                        + "' is a regression target");
            }
            double[] inv = compiled.inverseTarget();
            double shift = inv.length == 2 ? inv[0] : 0;
            double scale = inv.length == 2 ? inv[1] : 1;
            this.explainedClass = -1;
            this.outputName = task.target();
            this.model = new FrozenBatchModel(net, FrozenBatchModel.Mode.AFFINE, 0, scale, shift);
            this.metricModel = model;
        } else {
            List<String> classes = task.classes();
            int c;
            if (classLabel == null) {
                c = task.kind() == TaskKind.BINARY ? task.positiveClass() : 0;
            } else {
                c = classes.indexOf(classLabel);
                if (c < 0) {
                    throw new IllegalArgumentException("unknown class '" + classLabel + "' of target '" + task.target()
                            + "'; classes: " + String.join(", ", classes));
                }
            }
            this.explainedClass = c;
            this.outputName = "P(" + task.target() + " = " + classes.get(c) + ")";
            if (sigmoid) {
                // one sigmoid unit: P(positive class)
                boolean positive = c == task.positiveClass();
                this.model = new FrozenBatchModel(net, FrozenBatchModel.Mode.AFFINE, 0, positive ? 1 : -1, positive ? 0 : 1);
                this.metricModel = new FrozenBatchModel(net, FrozenBatchModel.Mode.AFFINE, 0, 1, 0);
            } else {
                // softmax over task.classes() in order
                this.model = new FrozenBatchModel(net, FrozenBatchModel.Mode.AFFINE, c, 1, 0);
                this.metricModel = task.kind() == TaskKind.BINARY
                        ? new FrozenBatchModel(net, FrozenBatchModel.Mode.AFFINE, task.positiveClass(), 1, 0)
                        : new FrozenBatchModel(net, FrozenBatchModel.Mode.ARGMAX, 0, 1, 0);
            }
        }
    }

    /** Explains {@code model}'s default output (see the class comment). */
    static ModelExplainer of(TrainedModel model) {
        return new ModelExplainer(model, null);
    }

    /** Explains the probability of class {@code classLabel} (null: the default output). */
    static ModelExplainer of(TrainedModel model, String classLabel) {
        return new ModelExplainer(model, classLabel);
    }

    /**
     * The explainer of a frozen model, when its frozen form says all an explanation needs: a compiled pipeline and,
     * for two classes, which one is positive (a one-sigmoid network's second label, the saved decision's positive
     * class, or {@code positiveLabel}: the training task's, from the model zip's pipeline). Empty otherwise: explain
     * the DL4J model then.
     *
     * @param positiveLabel the positive class of a two-class model as training recorded it, or null if unknown
     * @throws IllegalArgumentException for an unknown class (listing the classes) or a class of a regression model
     */
    public static java.util.Optional<ModelExplainer> ofFrozen(FrozenMicromodel frozen, String classLabel,
                                                              String positiveLabel) {
        Check.notNull("frozen", frozen);
        if (!(frozen.pipeline() instanceof CompiledPipeline)) return java.util.Optional.empty();
        FrozenMetadata md = frozen.metadata();
        TaskInfo task;
        if (!md.task().isClassification()) {
            if (frozen.outputWidth() != 1) return java.util.Optional.empty();
            task = new TaskInfo(TaskKind.REGRESSION, md.target(), List.of(), -1);
        } else if (md.classLabels().size() == 2) {
            int positive;
            if (frozen.members().get(0).outputWidth() == 1) {
                positive = 1; // one sigmoid unit, reported as [negative, positive]
            } else if (frozen.decision().isPresent()) {
                positive = frozen.decision().get().positive();
            } else if (positiveLabel != null && md.classLabels().contains(positiveLabel)) {
                positive = md.classLabels().indexOf(positiveLabel);
            } else {
                return java.util.Optional.empty();
            }
            task = new TaskInfo(TaskKind.BINARY, md.target(), md.classLabels(), positive);
        } else {
            task = new TaskInfo(TaskKind.MULTICLASS, md.target(), md.classLabels(), -1);
        }
        return java.util.Optional.of(new ModelExplainer(frozen, task, classLabel));
    }

    /** Whether this explainer reads rows with the frozen form's compiled pipeline (no DL4J pipeline, no ND4J). */
    public boolean frozenOnly() {
        return pipeline == null;
    }

    /** The explained output as a batch model: rows [n][width] of features in, [n] outputs out. */
    public BatchModel model() {
        return model;
    }

    /** One group per original input column, with raw-value display. */
    public FeatureGroups groups() {
        return groups;
    }

    /** The task of the model. */
    public TaskInfo task() {
        return task;
    }

    /** Number of model input columns, {@code width}. */
    public int width() {
        return groups.width();
    }

    /** Index in {@code task().classes()} of the explained class, or -1 for regression. */
    public int explainedClass() {
        return explainedClass;
    }

    /** What the explained number is, e.g. {@code "P(class = bad)"} or the regression target's name. */
    public String outputName() {
        return outputName;
    }

    /**
     * Features of a parsed CSV (columns matched by name, the target and extra columns ignored), in
     * double precision.
     *
     * @return shape [n][width]
     */
    public double[][] features(Table table) {
        Check.notNull("table", table);
        if (table.rowCount() == 0) return new double[0][];
        if (pipeline != null) return pipeline.transform(table, DataType.DOUBLE).toDoubleMatrix();
        int[] map = io.micromodels.io.BatchPredictions.columnMap(compiled.columns(), table.header(), table.source());
        double[][] x = new double[table.rowCount()][compiled.width()];
        String[] raw = new String[map.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < map.length; j++) raw[j] = table.cell(i, map[j]);
            try {
                compiled.transform(raw, x[i]);
            } catch (IllegalArgumentException e) {
                throw new io.micromodels.data.DataException(table.source() + ": line " + table.line(i) + ": "
                        + e.getMessage(), e);
            }
        }
        return x;
    }

    /** An ND4J feature matrix [n, width] as Java rows, shape [n][width]. */
    public static double[][] rows(INDArray features) {
        Check.notNull("features", features);
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be a matrix [n, width], got shape "
                    + java.util.Arrays.toString(features.shape()));
        }
        if (features.rows() == 0) return new double[0][];
        return features.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** A background summarising training features [n][width] as {@code options} says (seeded). */
    public Background background(double[][] train, BackgroundOptions options) {
        checkWidth("train", train);
        return Background.sample(train, groups, options);
    }

    /** A background summarising training features [n, width] (e.g. {@code data.train().getFeatures()}). */
    public Background background(INDArray train, BackgroundOptions options) {
        return background(rows(train), options);
    }

    /** SHAP over the original columns, default options. */
    public ShapExplainer shap(Background background) {
        return shap(background, ShapOptions.DEFAULTS);
    }

    /** SHAP over the original columns. */
    public ShapExplainer shap(Background background, ShapOptions options) {
        Check.notNull("background", background);
        if (background.width() != width()) {
            throw new IllegalArgumentException("background rows have " + background.width() + " columns but the model takes "
                    + width() + " features");
        }
        return Explainer.shap(model, background, groups, options);
    }

    /**
     * The permutation metric of the task: {@link Metric#auc()} (binary), {@link Metric#classAccuracy()}
     * (multiclass) or {@link Metric#rmse()} (regression).
     */
    public Metric metric() {
        return switch (task.kind()) {
            case BINARY -> Metric.auc();
            case MULTICLASS -> Metric.classAccuracy();
            case REGRESSION -> Metric.rmse();
        };
    }

    /**
     * What {@link #metric()} scores, as a batch model: P(positive class) (binary, whatever class is
     * explained), the index of the most probable class (multiclass), the prediction in original units
     * (regression). Rows [n][width] in, [n] out.
     */
    public BatchModel metricModel() {
        return metricModel;
    }

    /**
     * The metric's targets from labels as the pipeline makes them ({@code DataSet.getLabels()},
     * {@link io.micromodels.data.TargetEncoder#labels(Table)}): 1 for the positive class else 0 (binary), the class
     * index (multiclass), the target in original units (regression).
     *
     * @param labels one-hot [n, classes] or standardised [n, 1]
     * @return shape [n]
     */
    public double[] targets(INDArray labels) {
        Check.notNull("labels", labels);
        double[][] y = labels.rows() == 0 ? new double[0][] : labels.castTo(DataType.DOUBLE).toDoubleMatrix();
        int n = y.length;
        double[] out = new double[n];
        if (task.kind() == TaskKind.REGRESSION) {
            double[] z = new double[n];
            for (int i = 0; i < n; i++) z[i] = y[i][0];
            return pipeline.targetEncoder().toOriginalUnits(z);
        }
        int k = task.classes().size();
        for (int i = 0; i < n; i++) {
            if (y[i].length != k) {
                throw new IllegalArgumentException("labels must be one-hot [n, " + k + "], got " + y[i].length + " columns");
            }
            int best = 0;
            for (int j = 1; j < k; j++) if (y[i][j] > y[i][best]) best = j;
            out[i] = task.kind() == TaskKind.BINARY ? (best == task.positiveClass() ? 1 : 0) : best;
        }
        return out;
    }

    /**
     * The metric's targets read from the target column of {@code table}, as {@link #targets(INDArray)} makes them from
     * labels: 1 for the positive class else 0 (binary), the class index (multiclass), the number (regression).
     *
     * @return shape [rows]
     * @throws io.micromodels.data.DataException naming the file and line of a missing target or unknown class
     */
    public double[] targets(Table table) {
        Check.notNull("table", table);
        if (pipeline != null) return targets(pipeline.targetEncoder().labels(table));
        int col = table.indexOf(task.target());
        if (col < 0) {
            throw new io.micromodels.data.DataException(table.source() + ": no target column '" + task.target() + "'");
        }
        double[] y = new double[table.rowCount()];
        for (int i = 0; i < y.length; i++) {
            String cell = table.cell(i, col);
            String v = cell == null ? "" : cell.strip();
            if (io.micromodels.frozen.plan.Cells.isMissing(cell)) {
                throw new io.micromodels.data.DataException(table.source() + ": line " + table.line(i) + ": target '"
                        + task.target() + "' is missing");
            }
            if (task.kind() == TaskKind.REGRESSION) {
                try {
                    y[i] = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new io.micromodels.data.DataException(table.source() + ": line " + table.line(i) + ": target '"
                            + task.target() + "' value '" + v + "' is not a number");
                }
                continue;
            }
            int c = task.classes().indexOf(v);
            if (c < 0) {
                throw new io.micromodels.data.DataException(table.source() + ": line " + table.line(i) + ": target '"
                        + task.target() + "' value '" + v + "' is not a class (" + String.join(", ", task.classes()) + ")");
            }
            y[i] = task.kind() == TaskKind.BINARY ? (c == task.positiveClass() ? 1 : 0) : c;
        }
        return y;
    }

    /** A permutation explainer with {@link #metricModel()} and {@link #metric()}. */
    public PermutationExplainer permutation(PermutationOptions options) {
        return Explainer.permutation(metricModel, groups, metric(), options);
    }

    /**
     * Permutation importance on held-out rows.
     *
     * @param x features [n][width], n &ge; 2
     * @param y targets [n] as {@link #targets(INDArray)} makes them
     */
    public PermutationImportance permutationImportance(double[][] x, double[] y, PermutationOptions options) {
        checkWidth("x", x);
        return permutation(options).importance(x, y);
    }

    /** Permutation importance on a held-out split (e.g. {@code data.test()}). */
    public PermutationImportance permutationImportance(DataSet heldOut, PermutationOptions options) {
        Check.notNull("heldOut", heldOut);
        return permutationImportance(rows(heldOut.getFeatures()), targets(heldOut.getLabels()), options);
    }

    /**
     * {@code e} with the features whose raw cell in row {@code row} (0-based) of {@code table} is missing
     * shown as such: label {@code "missing (imputed as X)"}, where X is the value the pipeline filled in
     * and the model saw, and colour value NaN (grey). Without a missing-indicator column the features
     * alone cannot tell an imputed cell from a real one, hence this look at the raw row. SHAP values
     * are unchanged.
     */
    public ShapExplanation markMissing(ShapExplanation e, Table table, int row) {
        Check.notNull("e", e);
        Check.notNull("table", table);
        if (row < 0 || row >= table.rowCount()) {
            throw new IllegalArgumentException("row must be in [0, " + table.rowCount() + "), got " + row);
        }
        if (!e.featureNames().equals(groups.names())) {
            throw new IllegalArgumentException("the explanation's features " + e.featureNames() + " are not this model's "
                    + groups.names());
        }
        String[] cells = table.row(row);
        double[] values = e.featureValues();
        List<String> labels = new java.util.ArrayList<>(e.featureValueLabels());
        for (int g = 0; g < groups.size(); g++) {
            int c = table.indexOf(groups.name(g));
            if (c >= 0 && io.micromodels.frozen.plan.Cells.isMissing(cells[c]) && !labels.get(g).startsWith("missing")) {
                labels.set(g, "missing (imputed as " + labels.get(g) + ")");
                values[g] = Double.NaN;
            }
        }
        return new ShapExplanation(e.featureNames(), e.baseValue(), e.values(), e.output(), values, labels);
    }

    private void checkWidth(String field, double[][] x) {
        int w = Check.matrix(field, x, 1);
        if (w != width()) {
            throw new IllegalArgumentException(field + " rows have " + w + " columns but the model takes " + width()
                    + " features");
        }
    }

    @Override
    public String toString() {
        return "ModelExplainer(" + outputName + ", " + groups.size() + " features over " + width() + " columns)";
    }

    /**
     * The frozen network (or an ensemble's member networks, their outputs averaged) as a {@link BatchModel}: rows are
     * copied into one flat per-thread buffer and scored by {@link FrozenNetwork#predictBatch(double[], int, double[])};
     * the output is {@code out[column] * scale + shift} (AFFINE) or the index of the largest output (ARGMAX).
     */
    static final class FrozenBatchModel implements BatchModel {
        enum Mode { AFFINE, ARGMAX }

        private final List<FrozenNetwork> nets;
        private final FrozenNetwork net;
        private final Mode mode;
        private final int column;
        private final double scale;
        private final double shift;
        private final int width;
        private final int outWidth;
        private final ThreadLocal<double[][]> buffers = ThreadLocal.withInitial(
                () -> new double[][] {new double[0], new double[0], new double[0]});

        FrozenBatchModel(List<FrozenNetwork> nets, Mode mode, int column, double scale, double shift) {
            this.nets = List.copyOf(nets);
            this.net = this.nets.get(0);
            this.mode = mode;
            this.column = column;
            this.scale = scale;
            this.shift = shift;
            this.width = net.inputWidth();
            this.outWidth = net.outputWidth();
            if (column < 0 || column >= outWidth) {
                throw new IllegalArgumentException("output column " + column + " out of range [0, " + outWidth + ")");
            }
        }

        @Override
        public double[] predict(double[][] rows) {
            int n = rows.length;
            double[][] buf = buffers.get();
            if (buf[0].length < (long) n * width) buf[0] = new double[n * width];
            if (buf[1].length < (long) n * outWidth) buf[1] = new double[n * outWidth];
            double[] flat = buf[0];
            double[] out = buf[1];
            for (int i = 0; i < n; i++) {
                double[] r = rows[i];
                if (r.length != width) {
                    throw new IllegalArgumentException("row " + i + " has " + r.length + " columns, the model takes " + width);
                }
                System.arraycopy(r, 0, flat, i * width, width);
            }
            net.predictBatch(flat, n, out);
            if (nets.size() > 1) {
                if (buf[2].length < (long) n * outWidth) buf[2] = new double[n * outWidth];
                double[] part = buf[2];
                int total = n * outWidth;
                for (int m = 1; m < nets.size(); m++) {
                    nets.get(m).predictBatch(flat, n, part);
                    for (int j = 0; j < total; j++) out[j] += part[j];
                }
                double inv = 1.0 / nets.size();
                for (int j = 0; j < total; j++) out[j] *= inv;
            }
            double[] y = new double[n];
            if (mode == Mode.AFFINE) {
                for (int i = 0; i < n; i++) y[i] = out[i * outWidth + column] * scale + shift;
            } else {
                for (int i = 0; i < n; i++) {
                    int off = i * outWidth;
                    int best = 0;
                    for (int j = 1; j < outWidth; j++) if (out[off + j] > out[off + best]) best = j;
                    y[i] = best;
                }
            }
            return y;
        }
    }
}

package io.micromodels.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micromodels.data.ColumnKind;
import io.micromodels.data.DataReport;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.PreparedData;
import io.micromodels.data.Table;
import io.micromodels.data.TaskInfo;
import io.micromodels.frozen.TaskKind;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.files.AtomicFiles;
import io.micromodels.json.StrictJson;
import io.micromodels.train.EpochReport;
import io.micromodels.train.Metrics;
import io.micromodels.train.TrainedModel;
import io.micromodels.train.TrainingHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's report as one self-contained HTML page ({@value #FILE}): test metrics and confusion matrix, training
 * curves (train and validation loss per epoch, the kept epoch), for two classes the ROC and precision-recall curves
 * and a reliability diagram, for regression predicted-against-actual and residuals, the data report of a CSV
 * (columns, kinds, missing cells, class shares), and the spec, pipeline and provenance. Charts are drawn by Chart.js,
 * inlined: the page fetches nothing.
 *
 * <pre>{@code
 * try (TrainedModel m = ModelStore.load(Path.of("model.zip"))) {
 *     Table data = m.pipeline().readCsv(Path.of("holdout.csv"), ',');
 *     Path page = ModelReport.write(m, "model.zip", data, Path.of("report"), false);
 * }
 * }</pre>
 */
public final class ModelReport {
    /** The page's file name inside the output folder. */
    public static final String FILE = "report.html";
    private static final ObjectMapper JSON = StrictJson.mapper();

    private ModelReport() {
    }

    /**
     * The report page.
     *
     * @param model     the model
     * @param modelName shown in the title (for example the zip's file name)
     * @param data      a CSV with the target column to compute metrics and curves on, or null (then the stored test
     *                  metrics are shown and no curves)
     * @return the whole HTML document
     */
    public static String html(TrainedModel model, String modelName, Table data) {
        if (data == null) {
            return html(model, modelName, null, null, null, null);
        }
        INDArray features = model.pipeline().transform(data);
        return html(model, modelName, data.source() + " (" + data.rowCount() + " rows)", features,
                model.pipeline().targetEncoder().labels(data), dataReport(model.pipeline(), data));
    }

    /**
     * The report page of a model just trained on {@code data}: metrics and curves on its test split, and the data
     * report of its preparation (columns, dropped rows and columns and why, class shares per split).
     */
    public static String html(TrainedModel model, String modelName, PreparedData data) {
        DataSet test = data.test();
        return html(model, modelName, "the test split of " + data.report().source() + " (" + test.numExamples() + " rows)",
                test.getFeatures(), test.getLabels(), dataReport(data.report()));
    }

    /** {@link #html(TrainedModel, String, PreparedData)} written as {@code outDir/report.html} (see {@link #write}). */
    public static Path write(TrainedModel model, String modelName, PreparedData data, Path outDir, boolean overwrite) {
        return writeHtml(html(model, modelName, data), outDir, overwrite);
    }

    private static String html(TrainedModel model, String modelName, String source, INDArray features, INDArray labels,
                               ObjectNode dataNode) {
        FittedPipeline pipeline = model.pipeline();
        TaskInfo task = pipeline.task();
        ObjectNode d = JSON.createObjectNode();
        d.put("kind", task.kind().jsonName());
        d.put("target", task.target());
        d.put("lossName", model.spec().loss().name().toLowerCase(java.util.Locale.ROOT));
        d.putNull("threshold");
        d.put("positiveClass", task.kind() != TaskKind.BINARY ? "" : task.classes().get(task.positiveClass()));
        Metrics metrics;
        if (labels != null) {
            d.put("curveSource", source);
            metrics = evaluate(model, labels, model.predict(features), d);
            d.put("metricsSource", "Computed on " + source + ".");
            importance(model, features, labels, d);
            shapSummary(model, features, d);
        } else {
            metrics = model.testMetrics();
            d.put("metricsSource", metrics == null ? "This model file holds no test metrics and no data file was given."
                    : "Recorded on the test split at training time.");
        }
        ObjectNode m = d.putObject("metrics");
        if (metrics != null) {
            for (Map.Entry<String, Double> e : metrics.values().entrySet()) {
                num(m, e.getKey(), e.getValue());
            }
            if (metrics.confusion().length > 0) {
                ObjectNode cm = d.putObject("confusion");
                ArrayNode cls = cm.putArray("classes");
                metrics.classes().forEach(cls::add);
                ArrayNode rows = cm.putArray("matrix");
                for (long[] row : metrics.confusion()) {
                    ArrayNode r = rows.addArray();
                    for (long v : row) {
                        r.add(v);
                    }
                }
                if (task.kind() == TaskKind.BINARY) {
                    d.put("threshold", model.decision() != null ? model.decision().threshold() : 0.5);
                    d.put("calibrated", model.decision() != null && model.decision().calibrated());
                }
            }
        }
        TrainingHistory h = model.history();
        if (h != null && !h.epochs().isEmpty()) {
            ObjectNode hn = d.putObject("history");
            ArrayNode ep = hn.putArray("epoch");
            ArrayNode tr = hn.putArray("train");
            ArrayNode va = hn.putArray("validation");
            for (EpochReport r : h.epochs()) {
                ep.add(r.epoch());
                add(tr, r.trainLoss());
                add(va, r.validationLoss());
            }
            hn.put("best", h.bestEpoch());
            hn.put("stop", h.stop().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        if (dataNode != null) {
            d.set("data", dataNode);
        }
        d.put("spec", model.spec().toJson());
        d.put("pipeline", pipeline.toString());
        d.put("provenance", StrictJson.write(model.provenance()));
        String subtitle = task.kind().jsonName() + " model of '" + task.target() + "', "
                + model.spec().parameterCount() + " parameters" + (model.isEnsemble() ? ", ensemble of " + model.members().size() : "");
        return Web.page("Model report: " + modelName, subtitle, d.toString(), "report.js");
    }

    /**
     * Writes {@value #FILE} into {@code outDir} through a temporary file and an atomic rename.
     *
     * @param overwrite replace an existing report; otherwise an existing one is an error and is kept
     * @return the written file
     */
    public static Path write(TrainedModel model, String modelName, Table data, Path outDir, boolean overwrite) {
        return writeHtml(html(model, modelName, data), outDir, overwrite);
    }

    private static Path writeHtml(String html, Path outDir, boolean overwrite) {
        Path file = outDir.resolve(FILE);
        AtomicFiles.writeUnchecked(file, overwrite, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    /** Seed of the permutations, forked from the model's seed for this one purpose. */
    private static final long PERMUTATION_SEED_SALT = 0x5245504F52545045L; // "REPORTPE"

    /**
     * Permutation importance on the evaluated rows into {@code d} (5 repeats per feature; the metric is the
     * explainer's: log loss of the explained class, or squared error for regression).
     */
    private static void importance(TrainedModel model, INDArray features, INDArray labels, ObjectNode d) {
        if (features.rows() < 2) {
            return;
        }
        io.micromodels.explain.ModelExplainer m = io.micromodels.explain.Explainer.model(model);
        io.micromodels.explain.PermutationImportance pi = m.permutationImportance(
                io.micromodels.explain.ModelExplainer.rows(features), m.targets(labels),
                new io.micromodels.explain.PermutationOptions(5, 65_536, model.spec().seed() ^ PERMUTATION_SEED_SALT));
        ObjectNode o = d.putObject("importance");
        o.put("metric", pi.metric());
        o.put("explained", m.outputName());
        num(o, "baseline", pi.baselineScore());
        ArrayNode names = o.putArray("features");
        ArrayNode mean = o.putArray("mean");
        ArrayNode std = o.putArray("std");
        for (int i : pi.order()) {
            names.add(pi.featureNames().get(i));
            add(mean, pi.mean()[i]);
            add(std, pi.std()[i]);
        }
    }

    /** Rows explained for the SHAP summary: enough for a stable mean |SHAP|, few enough to keep a report fast. */
    static final int SHAP_ROWS = 40;

    /**
     * Kernel SHAP for the summary with 2M + 512 coalitions a row instead of the explainer's 2M + 2048: the summary
     * averages 40 rows, and on German credit (20 columns, a tuned 3x37 ELU model) its mean |SHAP| moved by at most
     * 0.00046 (the largest bar is 0.10) for a 4.7x cheaper report (measured in gpu-bench/RESULTS.md).
     */
    static final io.micromodels.explain.ShapOptions SHAP_OPTIONS =
            io.micromodels.explain.ShapOptions.DEFAULTS.withKernelExtraCoalitions(512);

    /**
     * A SHAP summary into {@code d}: the mean absolute SHAP value of each original column over the first
     * {@value #SHAP_ROWS} evaluated rows (exact or Kernel SHAP ({@link #SHAP_OPTIONS}) as the explainer chooses,
     * against a background of up to 100 of the same rows), with the mean SHAP value for the sign.
     */
    private static void shapSummary(TrainedModel model, INDArray features, ObjectNode d) {
        int n = (int) Math.min(SHAP_ROWS, features.rows());
        if (n < 2) {
            return;
        }
        double[][] all = features.castTo(DataType.DOUBLE).toDoubleMatrix();
        io.micromodels.explain.ModelExplainer explainer = io.micromodels.explain.Explainer.model(model);
        io.micromodels.explain.ShapExplainer shap = explainer.shap(
                explainer.background(all, io.micromodels.explain.BackgroundOptions.DEFAULTS), SHAP_OPTIONS);
        io.micromodels.explain.ShapExplanations ex = shap.explain(java.util.Arrays.copyOf(all, n));
        double[] meanAbs = ex.meanAbs();
        double[][] v = ex.values();
        double[] mean = new double[meanAbs.length];
        for (double[] row : v) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j] / v.length;
            }
        }
        Integer[] order = new Integer[meanAbs.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(meanAbs[b], meanAbs[a]));
        ObjectNode o = d.putObject("shap");
        o.put("rows", n);
        o.put("explained", io.micromodels.explain.Explainer.model(model).outputName());
        num(o, "base", shap.baseValue());
        ArrayNode names = o.putArray("features");
        ArrayNode abs = o.putArray("meanAbs");
        ArrayNode signed = o.putArray("mean");
        for (int j : order) {
            names.add(ex.featureNames().get(j));
            add(abs, meanAbs[j]);
            add(signed, mean[j]);
        }
    }

    /** Metrics on {@code data}, and the curves into {@code d}. */
    private static Metrics evaluate(TrainedModel model, INDArray labels, double[][] p, ObjectNode d) {
        FittedPipeline pipeline = model.pipeline();
        TaskInfo task = pipeline.task();
        if (task.kind() == TaskKind.REGRESSION) {
            double[] predicted = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                predicted[i] = p[i][0];
            }
            double[] actual = pipeline.targetEncoder().toOriginalUnits(labels.castTo(DataType.DOUBLE).getColumn(0).toDoubleVector());
            ObjectNode r = d.putObject("regression");
            ArrayNode a = r.putArray("actual");
            ArrayNode q = r.putArray("predicted");
            for (int i = 0; i < p.length; i++) {
                add(a, actual[i]);
                add(q, predicted[i]);
            }
            return Metrics.regression(actual, predicted);
        }
        Metrics metrics = task.kind() == TaskKind.BINARY && model.decision() != null
                ? Metrics.classification(labels, Nd4j.create(p), task.classes(), model.decision())
                : Metrics.classification(labels, Nd4j.create(p), task.classes(), task.positiveClass());
        if (task.kind() == TaskKind.BINARY) {
            int pos = task.positiveClass();
            double[][] y2 = labels.castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] y = new double[p.length];
            double[] s = new double[p.length];
            double positives = 0;
            for (int i = 0; i < p.length; i++) {
                y[i] = y2[i][pos];
                s[i] = p[i][pos];
                positives += y[i];
            }
            Curves.Curve roc = Curves.roc(y, s);
            ObjectNode rn = d.putObject("roc");
            xy(rn, roc.x(), roc.y());
            num(rn, "auc", metrics.values().getOrDefault("auc", Double.NaN));
            Curves.Curve pr = Curves.precisionRecall(y, s);
            ObjectNode pn = d.putObject("pr");
            xy(pn, pr.x(), pr.y());
            num(pn, "ap", metrics.values().getOrDefault("pr_auc", Double.NaN));
            num(pn, "base", positives / p.length);
            Curves.Calibration c = Curves.calibration(y, s, 10);
            ObjectNode cn = d.putObject("calibration");
            xy(cn, c.meanPredicted(), c.fractionPositive());
            ArrayNode counts = cn.putArray("count");
            for (int v : c.count()) {
                counts.add(v);
            }
        }
        return metrics;
    }

    /** Columns (role, kind, missing and distinct cells) and class shares of a CSV. */
    private static ObjectNode dataReport(FittedPipeline pipeline, Table data) {
        ObjectNode o = JSON.createObjectNode();
        TaskInfo task = pipeline.task();
        Map<String, ColumnKind> kinds = pipeline.columnKinds();
        ArrayNode cols = o.putArray("columns");
        int missingTotal = 0;
        for (String name : data.header()) {
            int missing = 0;
            Set<String> distinct = new HashSet<>();
            for (String v : data.column(name)) {
                if (Cells.isMissing(v)) {
                    missing++;
                } else {
                    distinct.add(v.strip());
                }
            }
            missingTotal += missing;
            ObjectNode c = cols.addObject();
            c.put("name", name);
            boolean target = name.equals(task.target());
            c.put("role", target ? "target" : kinds.containsKey(name) ? "input" : "ignored (not a model input)");
            c.put("kind", target ? task.kind().jsonName()
                    : kinds.containsKey(name) ? kinds.get(name).name().toLowerCase(java.util.Locale.ROOT) : "");
            c.put("missing", missing);
            c.put("distinct", distinct.size());
        }
        o.put("summary", data.source() + ": " + data.rowCount() + " rows, " + data.header().size() + " columns, "
                + missingTotal + " missing cells. Rows are not dropped here: every row is scored with the model's fitted pipeline.");
        if (task.kind() != TaskKind.REGRESSION) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            task.classes().forEach(c -> counts.put(c, 0));
            for (String v : data.column(task.target())) {
                counts.merge(v.strip(), 1, Integer::sum);
            }
            ArrayNode cls = o.putArray("classes");
            counts.forEach((k, v) -> cls.addObject().put("label", k).put("count", v));
        }
        return o;
    }

    /** The data report of a preparation: columns, dropped rows and columns with reasons, class shares per split. */
    private static ObjectNode dataReport(DataReport r) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode cols = o.putArray("columns");
        for (DataReport.ColumnSummary c : r.columns()) {
            String role = c.role();
            if (r.droppedColumns().containsKey(c.name())) {
                role = "dropped: " + r.droppedColumns().get(c.name());
            }
            cols.addObject().put("name", c.name()).put("role", role)
                    .put("kind", c.kind() == null ? "" : c.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .put("missing", c.missing()).put("distinct", c.distinct());
        }
        o.put("summary", r.source() + ": " + r.rowsRead() + " rows and " + r.columnsRead() + " columns read; " + r.rowsUsed()
                + " rows used (dropped: " + r.duplicateRows() + " duplicates, " + r.missingTargetRows() + " without a target, "
                + r.missingValueRows() + " with missing values); " + r.imputedCells() + " cells imputed; split " + r.split()
                + " into " + r.trainRows() + " train, " + r.validationRows() + " validation, " + r.testRows() + " test rows."
                + (r.notes().isEmpty() ? "" : " " + String.join(" ", r.notes())));
        if (!r.classes().isEmpty()) {
            ArrayNode cls = o.putArray("classes");
            for (DataReport.ClassCount c : r.classes()) {
                cls.addObject().put("label", c.label()).put("count", c.total()).put("train", c.train())
                        .put("validation", c.validation()).put("test", c.test());
            }
        }
        return o;
    }

    private static void xy(ObjectNode o, double[] x, double[] y) {
        ArrayNode xs = o.putArray("x");
        ArrayNode ys = o.putArray("y");
        for (int i = 0; i < x.length; i++) {
            add(xs, x[i]);
            add(ys, y[i]);
        }
    }

    private static void add(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    private static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }
}

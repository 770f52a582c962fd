package io.micromodels.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.data.PipelineSpec.TaskSpec;
import io.micromodels.frozen.FrozenPipeline;
import io.micromodels.frozen.plan.BooleanStep;
import io.micromodels.frozen.plan.CategoricalStep;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.frozen.plan.DateTimeStep;
import io.micromodels.frozen.plan.EncodedNumericStep;
import io.micromodels.frozen.plan.NumericStep;
import io.micromodels.frozen.plan.Step;
import org.datavec.api.transform.ColumnType;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.condition.column.NullWritableColumnCondition;
import org.datavec.api.transform.schema.Schema;
import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.NullWritable;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * A fitted preprocessing pipeline: turns raw CSV cells into model features exactly as during training.
 *
 * <p>How it runs: each raw cell is first checked and typed by this class (missing → {@link NullWritable}, numbers
 * parsed strictly, booleans and date-times validated: errors name the row, column and value); then a DataVec
 * {@link TransformProcess} does the per-column work — missing indicators and imputation with
 * {@code ConditionalReplaceValueTransform}s, booleans with {@code StringMapTransform} + {@code convertToDouble},
 * categorical columns with {@link SafeOneHotTransform} (unseen → zeros, counted), date-times with
 * {@link CyclicalTimeTransform} (after all narrow steps, so no step copies the wide rows), quantile or piecewise-linear
 * numeric columns with {@link NumericEncodingTransform} (the same maths as the frozen step), and, when there are
 * indicator columns, a final {@code reorderColumns}; finally numeric features are scaled by an ND4J
 * {@link NormalizerStandardize} or {@link NormalizerMinMaxScaler} fitted on the training split. One-hot, boolean,
 * missing-indicator and cyclical features are not scaled.
 *
 * <p>Feature layout: input columns in {@link #inputColumns()} order, each contributing a contiguous group (see
 * {@link #featureGroups()}): a numeric or boolean column one feature named after it; a categorical column
 * {@code column=level} per training level; a date-time column {@code column:hour_sin, column:hour_cos, column:dow_sin,
 * column:dow_cos, column:month_sin, column:month_cos} (the hour pair only when the values carry a time); then, when
 * the column had missing cells in training and indicators were requested, {@code column:missing}.
 *
 * <p>At predict time missing cells are always imputed with the fitted values, whatever the training missing policy.
 *
 * <p>Thread-safe; the unseen-category counter is a {@link LongAdder}. {@link #write}/{@link #read} round-trip exactly
 * (strict JSON, unknown or missing keys are errors naming the key); {@link #toFrozen()} compiles the same computation
 * to plain Java for the frozen runtime.
 */
public final class FittedPipeline {
    /** The strict JSON mapper, created on first use (no static initialiser work). */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
                .build();
    }

    private final PipelineSpec spec;
    private final List<String> inputColumns;
    private final ColumnSpec[] columns;
    private final DateTimeFormatter[] dateFormats;
    private final TransformProcess process;
    private final List<String> featureNames;
    private final LinkedHashMap<String, int[]> groups;
    private final int[] scaled;
    private final NormalizerStandardize standardizer;
    private final NormalizerMinMaxScaler minMax;
    private final NormalizerStandardize targetScaler;
    private final TaskInfo task;
    private final Map<String, Integer> classIndex = new HashMap<>();
    private final LongAdder unseen = new LongAdder();

    FittedPipeline(PipelineSpec spec) {
        this.spec = spec;
        this.columns = spec.columns().toArray(new ColumnSpec[0]);
        List<String> names = new ArrayList<>();
        for (ColumnSpec c : columns) {
            if (names.contains(c.name())) {
                throw new DataException("pipeline: duplicate input column '" + c.name() + "'");
            }
            names.add(c.name());
            validate(c, spec.normalization());
        }
        this.inputColumns = List.copyOf(names);
        this.task = taskInfo(spec.task());
        for (int i = 0; i < task.classes().size(); i++) {
            classIndex.put(task.classes().get(i), i);
        }
        if (names.contains(task.target())) {
            throw new DataException("pipeline: the target '" + task.target() + "' is also an input column");
        }
        this.dateFormats = new DateTimeFormatter[columns.length];
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].kind() == ColumnKind.DATETIME) {
                dateFormats[i] = DateTimeStep.formatter(columns[i].pattern());
            }
        }
        this.process = buildProcess();
        this.featureNames = List.copyOf(process.getFinalSchema().getColumnNames());
        this.groups = new LinkedHashMap<>();
        List<Integer> scaledList = new ArrayList<>();
        int at = 0;
        for (ColumnSpec c : columns) {
            int w = groupWidth(c, spec.normalization());
            int[] idx = new int[w];
            for (int j = 0; j < w; j++) {
                idx[j] = at + j;
            }
            groups.put(c.name(), idx);
            if (c.kind().isNumeric() && spec.normalization() != Normalization.NONE) {
                int valueWidth = w - (c.indicator() ? 1 : 0);
                for (int j = 0; j < valueWidth; j++) {
                    scaledList.add(at + j);
                }
            }
            at += w;
        }
        if (at != featureNames.size()) {
            throw new IllegalStateException("feature layout mismatch: " + at + " vs " + featureNames);
        }
        this.scaled = scaledList.stream().mapToInt(Integer::intValue).toArray();
        double[] a = new double[scaled.length];
        double[] b = new double[scaled.length];
        int s = 0;
        for (ColumnSpec c : columns) {
            if (c.kind().isNumeric() && (spec.normalization() == Normalization.STANDARDIZE || spec.normalization() == Normalization.MIN_MAX)) {
                a[s] = spec.normalization() == Normalization.STANDARDIZE ? c.mean() : c.min();
                b[s] = spec.normalization() == Normalization.STANDARDIZE ? c.std() : c.max();
                s++;
            }
        }
        if (scaled.length > 0 && spec.normalization() == Normalization.STANDARDIZE) {
            standardizer = new NormalizerStandardize(Nd4j.createFromArray(a), Nd4j.createFromArray(b));
            minMax = null;
        } else if (scaled.length > 0 && spec.normalization() == Normalization.MIN_MAX) {
            standardizer = null;
            minMax = new NormalizerMinMaxScaler(0.0, 1.0);
            minMax.setFeatureStats(Nd4j.createFromArray(a), Nd4j.createFromArray(b));
        } else {
            standardizer = null;
            minMax = null;
        }
        if (task.kind() == TaskKind.REGRESSION) {
            targetScaler = new NormalizerStandardize(Nd4j.createFromArray(spec.task().targetMean()),
                    Nd4j.createFromArray(spec.task().targetStd()));
        } else {
            targetScaler = null;
        }
        // The compiled form must describe the same layout.
        List<String> frozenNames = compile().featureNames();
        if (!frozenNames.equals(featureNames)) {
            throw new IllegalStateException("feature names differ between DataVec " + featureNames + " and compiled " + frozenNames);
        }
    }

    private static void validate(ColumnSpec c, Normalization normalization) {
        String where = "pipeline: column '" + c.name() + "' (" + c.kind() + "): ";
        boolean numeric = c.kind().isNumeric();
        boolean encoded = numeric && normalization.encoded();
        if (encoded != !c.edges().isEmpty()) {
            throw new DataException(where + "edges must be set exactly for quantile or piecewise-linear numeric columns");
        }
        if (encoded) {
            try {
                EncodedNumericStep.checkEdges(c.name(), c.edgeArray(), normalization == Normalization.PIECEWISE_LINEAR);
            } catch (IllegalArgumentException e) {
                throw new DataException(where + e.getMessage());
            }
        }
        boolean std = numeric && normalization == Normalization.STANDARDIZE;
        boolean mm = numeric && normalization == Normalization.MIN_MAX;
        if (std != (c.mean() != null && c.std() != null) || (!std && (c.mean() != null || c.std() != null))) {
            throw new DataException(where + "mean and std must be set exactly for standardised numeric columns");
        }
        if (std && !(c.std() > 0)) {
            throw new DataException(where + "std must be > 0, got " + c.std());
        }
        if (mm != (c.min() != null && c.max() != null) || (!mm && (c.min() != null || c.max() != null))) {
            throw new DataException(where + "min and max must be set exactly for min-max scaled numeric columns");
        }
        if ((numeric || c.kind() == ColumnKind.BOOLEAN) != (c.imputeNumber() != null)) {
            throw new DataException(where + "imputeNumber must be set exactly for numeric and boolean columns");
        }
        if (c.kind() == ColumnKind.BOOLEAN && c.imputeNumber() != 0.0 && c.imputeNumber() != 1.0) {
            throw new DataException(where + "imputeNumber must be 0 or 1 for a boolean column, got " + c.imputeNumber());
        }
        if (c.kind() != ColumnKind.CATEGORICAL && (c.imputeLevel() != null || !c.levels().isEmpty())) {
            throw new DataException(where + "levels and imputeLevel apply only to categorical columns");
        }
        if (c.kind() == ColumnKind.CATEGORICAL && (c.levels().isEmpty() || !c.levels().contains(c.imputeLevel())
                || c.levels().stream().distinct().count() != c.levels().size())) {
            throw new DataException(where + "needs distinct levels and an imputeLevel among them");
        }
        try {
            c.info();
        } catch (IllegalArgumentException e) {
            throw new DataException(where + e.getMessage());
        }
    }

    private static TaskInfo taskInfo(TaskSpec t) {
        try {
            TaskInfo info = t.info();
            boolean regression = info.kind() == TaskKind.REGRESSION;
            if (regression != (t.targetMean() != null && t.targetStd() != null) || !regression && (t.targetMean() != null || t.targetStd() != null)) {
                throw new DataException("pipeline: targetMean and targetStd must be set exactly for regression");
            }
            if (regression && !(t.targetStd() > 0)) {
                throw new DataException("pipeline: targetStd must be > 0, got " + t.targetStd());
            }
            return info;
        } catch (IllegalArgumentException e) {
            throw new DataException("pipeline: task: " + e.getMessage());
        }
    }

    /** A column's feature width without the piecewise-linear encoding (the columnar fast path's pipelines). */
    static int groupWidth(ColumnSpec c) {
        return groupWidth(c, Normalization.NONE);
    }

    static int groupWidth(ColumnSpec c, Normalization normalization) {
        int w = switch (c.kind()) {
            case NUMERIC, INTEGER -> normalization == Normalization.PIECEWISE_LINEAR ? c.edges().size() - 1 : 1;
            case BOOLEAN -> 1;
            case CATEGORICAL -> c.levels().size();
            case DATETIME -> c.info().hasTime() ? 6 : 4;
        };
        return w + (c.indicator() ? 1 : 0);
    }

    private TransformProcess buildProcess() {
        Schema.Builder in = new Schema.Builder();
        for (ColumnSpec c : columns) {
            if (c.kind().isNumeric()) {
                in.addColumnDouble(c.name());
            } else {
                in.addColumnString(c.name());
            }
        }
        TransformProcess.Builder tp = new TransformProcess.Builder(in.build());
        List<String> order = new ArrayList<>();
        // Pass 1, narrow rows: indicators, imputation, booleans. Pass 2: the expanding encoders (one-hot, cyclical),
        // so that no step has to copy the wide rows they produce.
        for (ColumnSpec c : columns) {
            String name = c.name();
            if (c.indicator()) {
                String indicator = name + ":missing";
                tp.addConstantColumn(indicator, ColumnType.Double, new DoubleWritable(0.0));
                tp.conditionalReplaceValueTransform(indicator, new DoubleWritable(1.0), new NullWritableColumnCondition(name));
            }
            switch (c.kind()) {
                case NUMERIC, INTEGER ->
                        tp.conditionalReplaceValueTransform(name, new DoubleWritable(c.imputeNumber()), new NullWritableColumnCondition(name));
                case BOOLEAN -> {
                    String imputeToken = c.imputeNumber() == 1.0 ? c.trueTokens().get(0) : c.falseTokens().get(0);
                    tp.conditionalReplaceValueTransform(name, new Text(imputeToken), new NullWritableColumnCondition(name));
                    Map<String, String> map = new HashMap<>();
                    c.trueTokens().forEach(t -> map.put(t, "1"));
                    c.falseTokens().forEach(t -> map.put(t, "0"));
                    tp.stringMapTransform(name, map);
                    tp.convertToDouble(name);
                }
                case CATEGORICAL ->
                        tp.conditionalReplaceValueTransform(name, new Text(c.imputeLevel()), new NullWritableColumnCondition(name));
                case DATETIME -> {
                    // missing cells stay NullWritable: the cyclical encoder writes zeros for them
                }
            }
        }
        for (ColumnSpec c : columns) {
            String name = c.name();
            switch (c.kind()) {
                case NUMERIC, INTEGER -> {
                    if (spec.normalization().encoded()) {
                        NumericEncodingTransform t = new NumericEncodingTransform(encodedStep(c));
                        tp.transform(t);
                        order.addAll(List.of(t.outputColumnNames()));
                    } else {
                        order.add(name);
                    }
                }
                case BOOLEAN -> order.add(name);
                case CATEGORICAL -> {
                    List<String> outs = new ArrayList<>();
                    for (String level : c.levels()) {
                        outs.add(name + "=" + level);
                    }
                    tp.transform(new SafeOneHotTransform(name, c.levels(), outs, unseen));
                    order.addAll(outs);
                }
                case DATETIME -> {
                    boolean hasTime = c.info().hasTime();
                    List<String> outs = new ArrayList<>();
                    if (hasTime) {
                        outs.add(name + ":hour_sin");
                        outs.add(name + ":hour_cos");
                    }
                    outs.addAll(List.of(name + ":dow_sin", name + ":dow_cos", name + ":month_sin", name + ":month_cos"));
                    tp.transform(new CyclicalTimeTransform(name, c.pattern(), hasTime, outs));
                    order.addAll(outs);
                }
            }
            if (c.indicator()) {
                order.add(name + ":missing");
            }
        }
        // Indicator columns were appended at the end: move each next to its column (only needed when there are any).
        if (columns.length > 0 && java.util.Arrays.stream(columns).anyMatch(ColumnSpec::indicator)) {
            tp.reorderColumns(order.toArray(new String[0]));
        }
        return tp.build();
    }

    PipelineSpec spec() {
        return spec;
    }

    /** The frozen step of a quantile or piecewise-linear numeric column (shared by the DataVec transform and {@link #compile}). */
    private EncodedNumericStep encodedStep(ColumnSpec c) {
        return new EncodedNumericStep(c.name(), c.imputeNumber(), c.indicator(),
                spec.normalization() == Normalization.PIECEWISE_LINEAR ? EncodedNumericStep.PIECEWISE_LINEAR : EncodedNumericStep.QUANTILE,
                c.edgeArray());
    }

    /** Raw columns expected at predict time, in the order {@link #transform(List)} expects (target and dropped columns excluded). */
    public List<String> inputColumns() {
        return inputColumns;
    }

    /** Kind of each input column, in input order. */
    public LinkedHashMap<String, ColumnKind> columnKinds() {
        LinkedHashMap<String, ColumnKind> out = new LinkedHashMap<>();
        for (ColumnSpec c : columns) {
            out.put(c.name(), c.kind());
        }
        return out;
    }

    /** Training levels of a categorical input column (empty for other kinds). */
    public List<String> levels(String column) {
        for (ColumnSpec c : columns) {
            if (c.name().equals(column)) {
                return c.levels();
            }
        }
        throw new DataException("no input column '" + column + "'; input columns: " + String.join(", ", inputColumns));
    }

    /** Number of features produced. */
    public int width() {
        return featureNames.size();
    }

    /** Feature names, [width()], e.g. {@code purpose=car}, {@code date:hour_sin}, {@code Income:missing}. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Original input column → its feature indices, in order; one-hot, cyclical and indicator features of a column are together. A copy. */
    public LinkedHashMap<String, int[]> featureGroups() {
        LinkedHashMap<String, int[]> copy = new LinkedHashMap<>();
        groups.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Indices of the features scaled by the normaliser (the numeric columns' values). */
    public int[] scaledFeatures() {
        return scaled.clone();
    }

    /** The normalisation method. */
    public Normalization normalization() {
        return spec.normalization();
    }

    public TaskInfo task() {
        return task;
    }

    /** Categorical cells not seen in training, counted since this pipeline was created or read. */
    public long unseenCategories() {
        return unseen.sum();
    }

    void resetUnseen() {
        unseen.reset();
    }

    /** Adds categorical cells not seen in training, counted by {@link ColumnarTransform}. */
    void addUnseen(long cells) {
        unseen.add(cells);
    }

    /**
     * Transforms rows of raw cells in {@link #inputColumns()} order to features.
     *
     * @param rawRows each [inputColumns().size()] cells; null, "" and NA-like tokens are missing (see {@link Cells})
     * @return float32 [n, width()]
     * @throws DataException naming the row (1-based), column and value for a cell that cannot be parsed, or a row of the wrong length
     */
    public INDArray transform(List<String[]> rawRows) {
        return transform(rawRows, DataType.FLOAT);
    }

    /** Like {@link #transform(List)} with the result's data type chosen (DOUBLE keeps full precision). */
    public INDArray transform(List<String[]> rawRows, DataType type) {
        return toArray(scale(unscaled(rawRows, null, i -> "row " + (i + 1))), type);
    }

    /**
     * Transforms rows given with their own header: columns are matched by name, extra columns (the target, dropped
     * columns) are ignored.
     *
     * @return float32 [n, width()]
     * @throws DataException listing the input columns missing from the header
     */
    public INDArray transform(List<String> header, List<String[]> rows) {
        int[] map = columnMap(header, "the given header");
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != header.size()) {
                throw new DataException("row " + (i + 1) + " has " + rows.get(i).length + " cells, expected " + header.size()
                        + " (header: " + String.join(", ", header) + ")");
            }
        }
        return toArray(scale(unscaled(rows, map, i -> "row " + (i + 1))), DataType.FLOAT);
    }

    /** Transforms a table read by {@link #readCsv}; errors name the file and line. float32 [n, width()]. */
    public INDArray transform(Table table) {
        return transform(table, DataType.FLOAT);
    }

    /** Like {@link #transform(Table)} with the result's data type chosen. */
    public INDArray transform(Table table, DataType type) {
        return toArray(scaledFeatures(table), type);
    }

    Rows scaledFeatures(Table table) {
        int[] map = columnMap(table.header(), table.source());
        return scale(unscaled(table.rowsView(), map, i -> table.source() + ": line " + table.line(i)));
    }

    /**
     * Reads a CSV for prediction: parses it and checks that every input column is present (the target may be present
     * or absent; extra columns are ignored by {@link #transform(Table)}).
     *
     * @throws DataException naming the file for a missing file, a malformed CSV, or missing input columns (listed)
     */
    public Table readCsv(Path csv, char separator) {
        Table t = Table.read(csv, separator);
        columnMap(t.header(), t.source());
        return t;
    }

    /**
     * The labels of a table that contains the target column: float32 one-hot [n, k] for classification, standardised
     * [n, 1] for regression.
     *
     * @throws DataException when the target column is absent, a target cell is missing, a class is unknown, or a
     *                       regression target is not a number (naming file, line and value)
     */
    public INDArray labels(Table table) {
        int t = table.require(task.target(), "target");
        int n = table.rowCount();
        if (task.kind() == TaskKind.REGRESSION) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = DataPipeline.parseTarget(table.cell(i, t), table, i, task.target());
            }
            return scaleTarget(y).castTo(DataType.FLOAT);
        }
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            String v = table.cell(i, t);
            if (Cells.isMissing(v)) {
                throw new DataException(table.source() + ": line " + table.line(i) + ", column '" + task.target() + "': the target is missing");
            }
            Integer k = classIndex.get(v.strip());
            if (k == null) {
                throw new DataException(table.source() + ": line " + table.line(i) + ", column '" + task.target() + "': unknown class '"
                        + v + "' (classes: " + String.join(", ", task.classes()) + ")");
            }
            cls[i] = k;
        }
        return oneHot(cls, task.classes().size());
    }

    /** Index of a class label, or -1. */
    public int classIndex(String label) {
        Integer k = classIndex.get(label);
        return k == null ? -1 : k;
    }

    static INDArray oneHot(int[] cls, int k) {
        float[] flat = new float[cls.length * k];
        for (int i = 0; i < cls.length; i++) {
            flat[i * k + cls[i]] = 1f;
        }
        if (cls.length == 0) {
            return Nd4j.create(DataType.FLOAT, 0, k);
        }
        return Nd4j.create(flat, new long[] {cls.length, k}, 'c');
    }

    /** Standardises raw regression targets with the training mean/std: DOUBLE [n, 1]. */
    INDArray scaleTarget(double[] y) {
        if (targetScaler == null) {
            throw new IllegalStateException("not a regression pipeline");
        }
        if (y.length == 0) {
            return Nd4j.create(DataType.DOUBLE, 0, 1);
        }
        INDArray a = Nd4j.create(y, new long[] {y.length, 1}, DataType.DOUBLE);
        targetScaler.transform(a);
        return a;
    }

    /** Regression: maps standardised predictions back to the target's units ({@code z * std + mean}); identity (a copy) otherwise. */
    public double[] toOriginalUnits(double[] standardisedPredictions) {
        if (targetScaler == null || standardisedPredictions.length == 0) {
            return standardisedPredictions.clone();
        }
        INDArray a = Nd4j.create(standardisedPredictions.clone(), new long[] {standardisedPredictions.length, 1}, DataType.DOUBLE);
        targetScaler.revertFeatures(a);
        return a.reshape(standardisedPredictions.length).toDoubleVector();
    }

    private int[] columnMap(List<String> header, String source) {
        int[] map = new int[inputColumns.size()];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < map.length; j++) {
            map[j] = header.indexOf(inputColumns.get(j));
            if (map[j] < 0) {
                missing.add(inputColumns.get(j));
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException(source + ": missing input column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + " (expected " + String.join(", ", inputColumns) + "; found "
                    + String.join(", ", header) + ")");
        }
        return map;
    }

    /** Raw rows → unscaled features [n, width]. map: input column j is raw cell map[j] (null = identity). */
    Rows unscaled(List<String[]> rows, int[] map, IntFunction<String> where) {
        int k = columns.length;
        int width = featureNames.size();
        Rows out = new Rows(rows.size(), width);
        double[] data = out.data;
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            if (map == null && row.length != k) {
                throw new DataException(where.apply(i) + " has " + row.length + " cells, expected " + k + " (columns: "
                        + String.join(", ", inputColumns) + ")");
            }
            List<Writable> cells = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                cells.add(cell(j, row[map == null ? j : map[j]], where, i));
            }
            List<Writable> f;
            try {
                f = process.execute(cells);
            } catch (RuntimeException e) {
                throw new DataException(where.apply(i) + ": " + e.getMessage(), e);
            }
            int at = i * width;
            for (int t = 0; t < width; t++) {
                data[at + t] = f.get(t).toDouble();
            }
        }
        return out;
    }

    /** Checks and types one raw cell for the transform process. */
    private Writable cell(int j, String raw, IntFunction<String> where, int i) {
        if (Cells.isMissing(raw)) {
            return NullWritable.INSTANCE;
        }
        ColumnSpec c = columns[j];
        switch (c.kind()) {
            case NUMERIC, INTEGER -> {
                try {
                    return new DoubleWritable(Cells.number(raw));
                } catch (NumberFormatException e) {
                    throw new DataException(where.apply(i) + ", column '" + c.name() + "': " + e.getMessage() + " (expected a number)");
                }
            }
            case BOOLEAN -> {
                String t = raw.strip().toLowerCase(Locale.ROOT);
                if (!c.trueTokens().contains(t) && !c.falseTokens().contains(t)) {
                    throw new DataException(where.apply(i) + ", column '" + c.name() + "': '" + raw + "' is not a boolean (expected one of "
                            + c.trueTokens() + " or " + c.falseTokens() + ")");
                }
                return new Text(t);
            }
            case DATETIME -> {
                String s = raw.strip();
                try {
                    dateFormats[j].parse(s);
                } catch (DateTimeParseException e) {
                    throw new DataException(where.apply(i) + ", column '" + c.name() + "': '" + raw + "' does not match the date-time pattern "
                            + c.pattern());
                }
                return new Text(s);
            }
            default -> {
                return new Text(raw.strip());
            }
        }
    }

    /** Applies the fitted normaliser to the numeric features, in place; returns its argument. */
    Rows scale(Rows x) {
        if (scaled.length == 0 || x.n == 0 || (standardizer == null && minMax == null)) {
            return x;
        }
        int n = x.n;
        int s = scaled.length;
        double[] flat = new double[n * s];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                flat[i * s + j] = x.data[i * x.width + scaled[j]];
            }
        }
        double[] back = scaleFlat(flat, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                x.data[i * x.width + scaled[j]] = back[i * s + j];
            }
        }
        return x;
    }

    /**
     * The fitted normaliser applied to the scaled features alone: {@code flat} is [n, scaledFeatures().length]
     * row-major, unscaled; returns the scaled values in the same layout (a new array).
     */
    double[] scaleFlat(double[] flat, int n) {
        if (scaled.length == 0 || n == 0 || (standardizer == null && minMax == null)) {
            return flat.clone();
        }
        INDArray sub = Nd4j.create(flat, new long[] {n, scaled.length}, DataType.DOUBLE);
        if (standardizer != null) {
            standardizer.transform(sub);
        } else {
            minMax.transform(sub);
        }
        return sub.data().asDouble();
    }

    /** The buffer as an ND4J array [n, width] of the given type. */
    INDArray toArray(Rows x, DataType type) {
        if (x.n == 0) {
            return Nd4j.create(type, 0, x.width);
        }
        if (type == DataType.FLOAT) {
            float[] flat = new float[x.data.length];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = (float) x.data[i];
            }
            return Nd4j.create(flat, new long[] {x.n, x.width}, 'c');
        }
        INDArray a = Nd4j.create(x.data, new long[] {x.n, x.width}, DataType.DOUBLE);
        return type == DataType.DOUBLE ? a : a.castTo(type);
    }

    /** The fitted scaling as ND4J uses it: per scaled feature {shift, scale} with value' = (value - shift) / scale. */
    private double[][] effectiveScaling() {
        double[][] out = new double[2][scaled.length];
        if (standardizer != null) {
            out[0] = standardizer.getMean().toDoubleVector();
            out[1] = standardizer.getStd().toDoubleVector();
        } else if (minMax != null) {
            double[] lo = minMax.getMin().toDoubleVector();
            double[] hi = minMax.getMax().toDoubleVector();
            for (int s = 0; s < scaled.length; s++) {
                out[0][s] = lo[s];
                out[1][s] = hi[s] - lo[s];
            }
        }
        return out;
    }

    /** The normaliser's stats as stored in the spec (after ND4J's own clamping), per scaled feature: {a, b}. */
    double[][] storedStats() {
        if (standardizer != null) {
            return new double[][] {standardizer.getMean().toDoubleVector(), standardizer.getStd().toDoubleVector()};
        }
        if (minMax != null) {
            return new double[][] {minMax.getMin().toDoubleVector(), minMax.getMax().toDoubleVector()};
        }
        return new double[][] {new double[0], new double[0]};
    }

    /** {@code [mean, std]} of the regression target as ND4J uses them, or null. */
    double[] targetStats() {
        if (targetScaler == null) {
            return null;
        }
        return new double[] {targetScaler.getMean().getDouble(0), targetScaler.getStd().getDouble(0)};
    }

    /** Writes this pipeline as JSON (UTF-8); the stream is flushed, not closed (so it can be a zip entry). */
    public void write(OutputStream out) {
        try {
            Json.MAPPER.writeValue(out, spec);
            out.flush();
        } catch (IOException e) {
            throw new DataException("cannot write pipeline: " + e.getMessage(), e);
        }
    }

    /** This pipeline as a JSON string. */
    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new DataException("cannot write pipeline: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a pipeline written by {@link #write}; the stream is not closed.
     *
     * @throws DataException for malformed JSON or an unknown or missing key (named in the message)
     */
    public static FittedPipeline read(InputStream in) {
        try {
            return new FittedPipeline(parse(Json.MAPPER.readTree(in)));
        } catch (JsonProcessingException e) {
            throw new DataException("invalid pipeline JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataException("cannot read pipeline: " + e.getMessage(), e);
        }
    }

    /**
     * Binds the JSON tree strictly; a version-1 pipeline (written before the numeric encodings) is read as version 2 with
     * empty {@code edges} on every column, which is what it means.
     */
    private static PipelineSpec parse(JsonNode tree) throws JsonProcessingException {
        if (tree != null && tree.isObject() && tree.path("version").isInt() && tree.get("version").intValue() == 1
                && tree.path("columns").isArray()) {
            ObjectNode copy = ((ObjectNode) tree).deepCopy();
            copy.put("version", PipelineSpec.VERSION);
            for (JsonNode col : (ArrayNode) copy.get("columns")) {
                if (col.isObject() && !col.has("edges")) {
                    ((ObjectNode) col).putArray("edges");
                }
            }
            tree = copy;
        }
        return Json.MAPPER.treeToValue(tree, PipelineSpec.class);
    }

    /** Reads a pipeline from a JSON string. */
    public static FittedPipeline fromJson(String json) {
        try {
            return new FittedPipeline(parse(Json.MAPPER.readTree(json)));
        } catch (JsonProcessingException e) {
            throw new DataException("invalid pipeline JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The same computation compiled to plain Java ({@link CompiledPipeline}, JSON type {@code "compiled"}): numeric
     * steps carry the normaliser's effective shift/scale, categorical steps the levels, date-time steps the pattern;
     * for regression {@code inverseTarget = [mean, std]} (empty for classification). Its JSON type name is
     * {@value CompiledPipeline#TYPE}. A new instance, with its own unseen counter.
     */
    public FrozenPipeline toFrozen() {
        return compile();
    }

    /** {@link #toFrozen()} with its concrete type. */
    public CompiledPipeline compile() {
        double[][] eff = effectiveScaling();
        List<Step> steps = new ArrayList<>(columns.length);
        int s = 0;
        int width = 0;
        for (ColumnSpec c : columns) {
            Step step = switch (c.kind()) {
                case NUMERIC, INTEGER -> {
                    if (spec.normalization().encoded()) {
                        yield encodedStep(c);
                    }
                    boolean isScaled = spec.normalization() != Normalization.NONE;
                    double shift = isScaled ? eff[0][s] : 0.0;
                    double scale = isScaled ? eff[1][s] : 1.0;
                    if (isScaled) {
                        s++;
                    }
                    yield new NumericStep(c.name(), c.imputeNumber(), c.indicator(), shift, scale);
                }
                case BOOLEAN -> new BooleanStep(c.name(), c.trueTokens(), c.falseTokens(), c.imputeNumber(), c.indicator());
                case CATEGORICAL -> new CategoricalStep(c.name(), c.levels(), c.imputeLevel(), c.indicator());
                case DATETIME -> new DateTimeStep(c.name(), c.pattern(), c.info().hasTime(), c.indicator());
            };
            steps.add(step);
            width += step.width();
        }
        return new CompiledPipeline(inputColumns, width, steps, targetStats());
    }

    @Override
    public String toString() {
        return "FittedPipeline(" + inputColumns.size() + " columns -> " + width() + " features, " + task.kind() + " "
                + task.target() + ", " + spec.normalization() + ")";
    }

    /** Groups as text, for reports: column → [first..last]. */
    String describeGroups() {
        StringBuilder sb = new StringBuilder();
        groups.forEach((k, v) -> sb.append(k).append(Arrays.toString(v)).append(' '));
        return sb.toString().trim();
    }
}

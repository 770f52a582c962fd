package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.data.PipelineSpec.TaskSpec;
import io.micromodels.frozen.plan.EncodedNumericStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A fitted preprocessing pipeline: the facts learned on the training split ({@link PipelineSpec}: per input column
 * its kind, imputation value, levels, scaling or encoding edges; the task) and the feature layout they give; it turns
 * raw CSV cells into model features exactly as during training. Immutable and thread-safe: nothing it does changes it.
 *
 * <p>Its jobs each have one place: the DataVec runtime that transforms rows ({@link DataVecTransform}), persistence
 * ({@link PipelineJson}: {@code pipeline.json}), compilation to the frozen plan ({@link PipelineCompiler}), and the
 * target side ({@link TargetEncoder}: labels, class indices, regression scaling). Categorical cells not seen in
 * training are encoded as zeros and counted into an {@link UnseenCounter} the caller passes, if any.
 *
 * <p>Feature layout: input columns in {@link #inputColumns()} order, each contributing a contiguous group (see
 * {@link #featureGroups()}): a numeric or boolean column one feature named after it (a quantile-encoded column one, a
 * piecewise-linear one a feature per bin); a categorical column {@code column=level} per training level; a date-time
 * column {@code column:hour_sin, column:hour_cos, column:dow_sin, column:dow_cos, column:month_sin, column:month_cos}
 * (the hour pair only when the values carry a time), then {@code column:trend} when it has one (the date in years
 * since 1970, standardised with the training split's mean and std: {@code mean}, {@code std} of its column spec); then, when the column had missing cells in training and
 * indicators were requested, {@code column:missing}. Numeric features are scaled ({@link #scaledFeatures()}); one-hot,
 * boolean, missing-indicator and cyclical features are not.
 *
 * <p>At predict time missing cells are always imputed with the fitted values, whatever the training missing policy.
 *
 * <pre>{@code
 * FittedPipeline p = data.pipeline();
 * UnseenCounter unseen = new UnseenCounter();
 * INDArray x = p.transform(p.readCsv(Path.of("new.csv"), ','), DataType.FLOAT, unseen);   // float32 [n, p.width()]
 * }</pre>
 */
public final class FittedPipeline {
    private final PipelineSpec spec;
    private final List<String> inputColumns;
    private final ColumnSpec[] columns;
    private final List<String> featureNames;
    private final LinkedHashMap<String, int[]> groups;
    private final int[] scaled;
    private final TaskInfo task;
    private final DataVecTransform runtime;
    private final TargetEncoder targetEncoder;

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
        if (names.contains(task.target())) {
            throw new DataException("pipeline: the target '" + task.target() + "' is also an input column");
        }
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
        this.scaled = scaledList.stream().mapToInt(Integer::intValue).toArray();
        this.runtime = new DataVecTransform(spec, scaled);
        this.featureNames = List.copyOf(runtime.featureNames());
        if (at != featureNames.size()) {
            throw new IllegalStateException("feature layout mismatch: " + at + " vs " + featureNames);
        }
        this.targetEncoder = new TargetEncoder(task, spec.task());
        // The compiled form must describe the same layout.
        List<String> frozenNames = PipelineCompiler.compile(this).featureNames();
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
        if (c.kind() == ColumnKind.DATETIME) {
            if ((c.mean() == null) != (c.std() == null)) {
                throw new DataException(where + "a trend needs both mean and std, or neither");
            }
            if (c.std() != null && !(c.std() > 0 && Double.isFinite(c.std()) && Double.isFinite(c.mean()))) {
                throw new DataException(where + "trend std must be finite and > 0, got " + c.std());
            }
            if ((c.min() == null) != (c.max() == null) || c.min() != null && c.mean() == null) {
                throw new DataException(where + "a trend range needs both min and max, and a trend");
            }
            if (c.min() != null && !(Double.isFinite(c.min()) && Double.isFinite(c.max()) && c.min() <= c.max())) {
                throw new DataException(where + "trend range must be finite with min <= max, got [" + c.min() + ", " + c.max() + "]");
            }
        }
        boolean std = numeric && normalization == Normalization.STANDARDIZE;
        boolean mm = numeric && normalization == Normalization.MIN_MAX;
        boolean trendScaling = c.kind() == ColumnKind.DATETIME;
        if (!trendScaling && (std != (c.mean() != null && c.std() != null) || !std && (c.mean() != null || c.std() != null))) {
            throw new DataException(where + "mean and std must be set exactly for standardised numeric columns");
        }
        if (std && !(c.std() > 0)) {
            throw new DataException(where + "std must be > 0, got " + c.std());
        }
        if (!trendScaling && (mm != (c.min() != null && c.max() != null) || (!mm && (c.min() != null || c.max() != null)))) {
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
            case DATETIME -> (c.info().hasTime() ? 6 : 4) + (c.trend() != null ? 1 : 0);
        };
        return w + (c.indicator() ? 1 : 0);
    }

    PipelineSpec spec() {
        return spec;
    }

    /** The DataVec runtime (transform and normaliser). */
    DataVecTransform runtime() {
        return runtime;
    }

    /** The target side: labels of a table, class indices, regression scaling and its inverse. */
    public TargetEncoder targetEncoder() {
        return targetEncoder;
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

    /** What the pipeline predicts: task kind, target column, class labels in one-hot order, positive class. */
    public TaskInfo task() {
        return task;
    }

    /**
     * Transforms rows of raw cells in {@link #inputColumns()} order to features.
     *
     * @param rawRows each [inputColumns().size()] cells; null, "" and NA-like tokens are missing (see
     *                {@link io.micromodels.frozen.plan.Cells})
     * @return float32 [n, width()]
     * @throws DataException naming the row (1-based), column and value for a cell that cannot be parsed, or a row of the wrong length
     */
    public INDArray transform(List<String[]> rawRows) {
        return transform(rawRows, DataType.FLOAT);
    }

    /** Like {@link #transform(List)} with the result's data type chosen (DOUBLE keeps full precision). */
    public INDArray transform(List<String[]> rawRows, DataType type) {
        return transform(rawRows, type, null);
    }

    /**
     * Like {@link #transform(List, DataType)}, adding the categorical cells not seen in training to {@code unseen}
     * (null: not counted).
     */
    public INDArray transform(List<String[]> rawRows, DataType type, UnseenCounter unseen) {
        return DataVecTransform.toArray(runtime.scale(runtime.unscaled(rawRows, null, i -> "row " + (i + 1), unseen)), type);
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
        return DataVecTransform.toArray(runtime.scale(runtime.unscaled(rows, map, i -> "row " + (i + 1), null)), DataType.FLOAT);
    }

    /** Transforms a table read by {@link #readCsv}; errors name the file and line. float32 [n, width()]. */
    public INDArray transform(Table table) {
        return transform(table, DataType.FLOAT);
    }

    /** Like {@link #transform(Table)} with the result's data type chosen. */
    public INDArray transform(Table table, DataType type) {
        return transform(table, type, null);
    }

    /**
     * Like {@link #transform(Table, DataType)}, adding the categorical cells not seen in training to {@code unseen}
     * (null: not counted).
     */
    public INDArray transform(Table table, DataType type, UnseenCounter unseen) {
        return DataVecTransform.toArray(scaledFeatures(table, unseen), type);
    }

    /** Scaled features of every row of a table, [rows, width()]. */
    Rows scaledFeatures(Table table, UnseenCounter unseen) {
        return runtime.scale(unscaled(table.rowsView(), columnMap(table.header(), table.source()),
                i -> table.source() + ": line " + table.line(i), unseen));
    }

    /** Raw rows → unscaled features [n, width()] through DataVec; map: input column j is raw cell map[j] (null = identity). */
    Rows unscaled(List<String[]> rows, int[] map, java.util.function.IntFunction<String> where, UnseenCounter unseen) {
        return runtime.unscaled(rows, map, where, unseen);
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

package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.DateTimeStep;
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

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The DataVec runtime of a {@link FittedPipeline}: raw cells to features through a DataVec {@link TransformProcess},
 * then the ND4J normaliser. Immutable once built; unseen categorical cells are counted into a caller's
 * {@link UnseenCounter}, never into this object.
 *
 * <p>How it runs: each raw cell is first checked and typed here (missing → {@link NullWritable}, numbers parsed
 * strictly, booleans and date-times validated: errors name the row, column and value; a categorical value outside the
 * training levels is counted); then the {@link TransformProcess} does the per-column work — missing indicators and
 * imputation with {@code ConditionalReplaceValueTransform}s, booleans with {@code StringMapTransform} +
 * {@code convertToDouble}, categorical columns with {@link SafeOneHotTransform} (unseen → zeros), date-times with
 * {@link CyclicalTimeTransform} (after all narrow steps, so no step copies the wide rows), quantile or piecewise-linear
 * numeric columns with {@link NumericEncodingTransform} (the same maths as the frozen step), and, when there are
 * indicator columns, a final {@code reorderColumns}; finally the numeric features ({@link #scaled}) are scaled by an ND4J
 * {@link NormalizerStandardize} or {@link NormalizerMinMaxScaler} with the fitted stats.
 */
final class DataVecTransform {
    private final PipelineSpec spec;
    private final ColumnSpec[] columns;
    private final DateTimeFormatter[] dateFormats;
    /** Per input column: the training levels of a categorical column, else null. */
    private final List<Set<String>> levels;
    private final TransformProcess process;
    private final int[] scaled;
    private final NormalizerStandardize standardizer;
    private final NormalizerMinMaxScaler minMax;

    /** @param scaled indices of the features the normaliser scales, in column order */
    DataVecTransform(PipelineSpec spec, int[] scaled) {
        this.spec = spec;
        this.columns = spec.columns().toArray(new ColumnSpec[0]);
        this.scaled = scaled;
        this.dateFormats = new DateTimeFormatter[columns.length];
        this.levels = new ArrayList<>(columns.length);
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].kind() == ColumnKind.DATETIME) {
                dateFormats[i] = DateTimeStep.formatter(columns[i].pattern());
            }
            levels.add(columns[i].kind() == ColumnKind.CATEGORICAL ? new HashSet<>(columns[i].levels()) : null);
        }
        this.process = buildProcess();
        double[] a = new double[scaled.length];
        double[] b = new double[scaled.length];
        int s = 0;
        Normalization normalization = spec.normalization();
        for (ColumnSpec c : columns) {
            if (c.kind().isNumeric() && (normalization == Normalization.STANDARDIZE || normalization == Normalization.MIN_MAX)) {
                a[s] = normalization == Normalization.STANDARDIZE ? c.mean() : c.min();
                b[s] = normalization == Normalization.STANDARDIZE ? c.std() : c.max();
                s++;
            }
        }
        if (scaled.length > 0 && normalization == Normalization.STANDARDIZE) {
            standardizer = new NormalizerStandardize(Nd4j.createFromArray(a), Nd4j.createFromArray(b));
            minMax = null;
        } else if (scaled.length > 0 && normalization == Normalization.MIN_MAX) {
            standardizer = null;
            minMax = new NormalizerMinMaxScaler(0.0, 1.0);
            minMax.setFeatureStats(Nd4j.createFromArray(a), Nd4j.createFromArray(b));
        } else {
            standardizer = null;
            minMax = null;
        }
    }

    /** The feature names the transform process produces, in order. */
    List<String> featureNames() {
        return process.getFinalSchema().getColumnNames();
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
                        NumericEncodingTransform t = new NumericEncodingTransform(PipelineCompiler.encodedStep(c, spec.normalization()));
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
                    tp.transform(new SafeOneHotTransform(name, c.levels(), outs));
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
                    if (c.trend() != null) {
                        outs.add(name + ":trend");
                    }
                    tp.transform(new CyclicalTimeTransform(name, c.pattern(), hasTime, c.trend(), outs));
                    order.addAll(outs);
                }
            }
            if (c.indicator()) {
                order.add(name + ":missing");
            }
        }
        // Indicator columns were appended at the end: move each next to its column (only needed when there are any).
        if (columns.length > 0 && Arrays.stream(columns).anyMatch(ColumnSpec::indicator)) {
            tp.reorderColumns(order.toArray(new String[0]));
        }
        return tp.build();
    }

    /**
     * Raw rows → unscaled features [n, width]. map: input column j is raw cell map[j] (null = identity); categorical
     * cells outside the training levels are added to {@code unseen} (may be null: not counted).
     */
    Rows unscaled(List<String[]> rows, int[] map, IntFunction<String> where, UnseenCounter unseen) {
        int k = columns.length;
        int width = process.getFinalSchema().numColumns();
        Rows out = new Rows(rows.size(), width);
        double[] data = out.data;
        long unseenCells = 0;
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            if (map == null && row.length != k) {
                throw new DataException(where.apply(i) + " has " + row.length + " cells, expected " + k + " (columns: "
                        + String.join(", ", spec.columns().stream().map(ColumnSpec::name).toList()) + ")");
            }
            List<Writable> cells = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                Writable w = cell(j, row[map == null ? j : map[j]], where, i);
                if (levels.get(j) != null && w instanceof Text t && !levels.get(j).contains(t.toString())) {
                    unseenCells++;
                }
                cells.add(w);
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
        if (unseen != null && unseenCells > 0) {
            unseen.add(unseenCells);
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
     * The fitted normaliser applied to the scaled features alone: {@code flat} is [n, scaled.length] row-major,
     * unscaled; returns the scaled values in the same layout (a new array).
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
    static INDArray toArray(Rows x, DataType type) {
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
    double[][] effectiveScaling() {
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
}

package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.DateTimeStep;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training-time fast path of {@link FittedPipeline}'s unscaled features: one column at a time, straight from a
 * {@link Table}'s cells into one row-major buffer, with no DataVec {@code List<Writable>} per row. It computes exactly
 * what the pipeline's DataVec {@code TransformProcess} computes (missing indicators, median/mode imputation, booleans
 * as 0/1, one-hot over the training levels with unseen levels as zeros and counted, cyclical date-time features) and
 * in the same layout; {@code FastPathParityTest} checks the two bit for bit on every bundled dataset and on synthetic
 * dirty data. The DataVec process stays the reference and what predict-time {@code transform} uses; the saved
 * pipeline is the same either way.
 */
final class ColumnarTransform {
    private ColumnarTransform() {
    }

    /** Where {@link #write} puts feature {@code feature} of output row {@code i}. */
    private interface Sink {
        void put(int i, int feature, double value);
    }

    /**
     * Unscaled features of some rows of a table, exactly as {@code FittedPipeline.unscaled} computes them through DataVec.
     *
     * @param pipeline the fitted pipeline (its input columns must be in the table)
     * @param rows     table row indices, in output order
     * @return [rows.length, pipeline.width()] doubles, before the normaliser; categorical cells not among the training
     *         levels are added to {@code unseen} (null: not counted)
     * @throws DataException naming the file, line, column and value for a cell that does not parse as its kind
     */
    static Rows unscaled(FittedPipeline pipeline, Table table, int[] rows, UnseenCounter unseen) {
        return unscaled(pipeline, table, rows, null, unseen);
    }

    /**
     * Like {@link #unscaled(FittedPipeline, Table, int[], UnseenCounter)}, reading numeric columns from {@code numbers} where given:
     * {@code numbers[c]} holds table column c parsed ([rowCount], NaN = missing), or is null (then the text is parsed).
     */
    static Rows unscaled(FittedPipeline pipeline, Table table, int[] rows, double[][] numbers, UnseenCounter unseen) {
        int width = pipeline.width();
        Rows out = new Rows(rows.length, width);
        double[] x = out.data;
        write(pipeline, table, rows, (i, f, v) -> x[i * width + f] = v, false, numbers, unseen);
        return out;
    }

    /**
     * The numeric (NUMERIC and INTEGER) columns' unscaled, imputed values alone, in column order: what the normaliser
     * is fitted on. [rows.length, number of numeric columns].
     */
    static Rows numeric(FittedPipeline pipeline, Table table, int[] rows, double[][] numbers) {
        List<ColumnSpec> columns = pipeline.spec().columns();
        int[] slot = new int[pipeline.width()];
        int k = 0;
        int at = 0;
        for (ColumnSpec c : columns) {
            if (c.kind().isNumeric()) {
                slot[at] = k++;
            }
            at += FittedPipeline.groupWidth(c);
        }
        int s = k;
        Rows out = new Rows(rows.length, s);
        double[] x = out.data;
        write(pipeline, table, rows, (i, f, v) -> x[i * s + slot[f]] = v, true, numbers, null);
        return out;
    }

    /**
     * The final features, scaled, as float32 [rows.length, width], written straight into the ND4J array (no
     * row-major double copy on the heap): bit for bit {@code toArray(scale(unscaled(rows)), FLOAT)}. Unseen categorical
     * cells are added to {@code unseen} (null: not counted).
     */
    static INDArray features(FittedPipeline pipeline, Table table, int[] rows, double[][] numbers, UnseenCounter unseen) {
        int n = rows.length;
        int width = pipeline.width();
        if (n == 0) {
            return Nd4j.create(DataType.FLOAT, 0, width);
        }
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {n, width}, 'c');
        DataBuffer buf = out.data();
        int[] scaled = pipeline.scaledFeatures();
        int s = scaled.length;
        int[] slot = new int[width];
        Arrays.fill(slot, -1);
        for (int j = 0; j < s; j++) {
            slot[scaled[j]] = j;
        }
        double[] flat = new double[n * s];
        write(pipeline, table, rows, (i, f, v) -> {
            int j = slot[f];
            if (j >= 0) {
                flat[i * s + j] = v;
            } else if (Double.doubleToRawLongBits(v) != 0L) { // the array starts at +0.0; -0.0 must still be written
                buf.put((long) i * width + f, (float) v);
            }
        }, false, numbers, unseen);
        if (s > 0) {
            double[] back = pipeline.runtime().scaleFlat(flat, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    buf.put((long) i * width + scaled[j], (float) back[i * s + j]);
                }
            }
        }
        return out;
    }

    /** Every feature of every row through {@code sink} (zeros of one-hot groups and missing date-times are not written). */
    private static void write(FittedPipeline pipeline, Table table, int[] rows, Sink sink, boolean numericOnly, double[][] numbers,
                              UnseenCounter counter) {
        List<ColumnSpec> columns = pipeline.spec().columns();
        int at = 0;
        long unseen = 0;
        for (ColumnSpec c : columns) {
            if (numericOnly && !c.kind().isNumeric()) {
                at += FittedPipeline.groupWidth(c);
                continue;
            }
            int col = table.require(c.name(), "input");
            double[] parsed = numbers == null || !c.kind().isNumeric() ? null : numbers[col];
            int w = switch (c.kind()) {
                case NUMERIC, INTEGER -> parsed != null ? parsed(c, parsed, rows, sink, at) : numeric(c, table, col, rows, sink, at);
                case BOOLEAN -> bool(c, table, col, rows, sink, at);
                case CATEGORICAL -> {
                    long[] u = new long[1];
                    int k = categorical(c, table, col, rows, sink, at, u);
                    unseen += u[0];
                    yield k;
                }
                case DATETIME -> dateTime(c, table, col, rows, sink, at);
            };
            at += w;
            if (c.indicator()) {
                if (!numericOnly) {
                    for (int i = 0; i < rows.length; i++) {
                        boolean missing = parsed != null ? Double.isNaN(parsed[rows[i]]) : Cells.isMissing(table.cell(rows[i], col));
                        sink.put(i, at, missing ? 1.0 : 0.0);
                    }
                }
                at++;
            }
        }
        if (at != pipeline.width()) {
            throw new IllegalStateException("columnar layout " + at + " != pipeline width " + pipeline.width());
        }
        if (counter != null && unseen > 0) {
            counter.add(unseen);
        }
    }

    private static String where(Table table, int row, ColumnSpec c) {
        return table.source() + ": line " + table.line(row) + ", column '" + c.name() + "'";
    }

    /** One scalar feature per row: the imputed value for a missing cell, else the cell's value as {@code read} gives it. */
    private static int scalar(ColumnSpec c, Table table, int col, int[] rows, Sink sink, int at, CellReader read) {
        double impute = c.imputeNumber();
        for (int i = 0; i < rows.length; i++) {
            String v = table.cell(rows[i], col);
            sink.put(i, at, Cells.isMissing(v) ? impute : read.value(v, rows[i]));
        }
        return 1;
    }

    /** A present cell's feature value; throws a {@link DataException} naming the line and column when it is invalid. */
    @FunctionalInterface
    private interface CellReader {
        double value(String cell, int row);
    }

    private static int numeric(ColumnSpec c, Table table, int col, int[] rows, Sink sink, int at) {
        return scalar(c, table, col, rows, sink, at, (v, row) -> {
            try {
                return Cells.number(v);
            } catch (NumberFormatException e) {
                throw new DataException(where(table, row, c) + ": " + e.getMessage() + " (expected a number)");
            }
        });
    }

    /** A numeric column already parsed ([rowCount], NaN = missing). */
    private static int parsed(ColumnSpec c, double[] parsed, int[] rows, Sink sink, int at) {
        double impute = c.imputeNumber();
        for (int i = 0; i < rows.length; i++) {
            double d = parsed[rows[i]];
            sink.put(i, at, Double.isNaN(d) ? impute : d);
        }
        return 1;
    }

    private static int bool(ColumnSpec c, Table table, int col, int[] rows, Sink sink, int at) {
        return scalar(c, table, col, rows, sink, at, (v, row) -> {
            String t = v.strip().toLowerCase(Locale.ROOT);
            if (c.trueTokens().contains(t)) {
                return 1.0;
            }
            if (c.falseTokens().contains(t)) {
                return 0.0;
            }
            throw new DataException(where(table, row, c) + ": '" + v + "' is not a boolean (expected one of "
                    + c.trueTokens() + " or " + c.falseTokens() + ")");
        });
    }

    private static int categorical(ColumnSpec c, Table table, int col, int[] rows, Sink sink, int at, long[] unseen) {
        List<String> levels = c.levels();
        Map<String, Integer> index = new HashMap<>(levels.size() * 2);
        for (int l = 0; l < levels.size(); l++) {
            index.put(levels.get(l), l);
        }
        int impute = index.get(c.imputeLevel());
        for (int i = 0; i < rows.length; i++) {
            String v = table.cell(rows[i], col);
            int hot;
            if (Cells.isMissing(v)) {
                hot = impute;
            } else {
                Integer k = index.get(v.strip());
                if (k == null) {
                    unseen[0]++;
                    continue;
                }
                hot = k;
            }
            sink.put(i, at + hot, 1.0);
        }
        return levels.size();
    }

    private static int dateTime(ColumnSpec c, Table table, int col, int[] rows, Sink sink, int at) {
        DateTimeFormatter check = DateTimeStep.formatter(c.pattern());
        boolean hasTime = c.info().hasTime();
        CyclicalTimeTransform.Encoder encoder = new CyclicalTimeTransform.Encoder(c.pattern(), hasTime, c.trend());
        int w = encoder.width();
        double[] v6 = new double[w];
        for (int i = 0; i < rows.length; i++) {
            String v = table.cell(rows[i], col);
            if (Cells.isMissing(v)) {
                continue; // zeros
            }
            String s = v.strip();
            try {
                check.parse(s);
            } catch (DateTimeParseException e) {
                throw new DataException(where(table, rows[i], c) + ": '" + v + "' does not match the date-time pattern " + c.pattern());
            }
            encoder.encode(s, v6, 0);
            for (int k = 0; k < w; k++) {
                sink.put(i, at + k, v6[k]);
            }
        }
        return w;
    }
}

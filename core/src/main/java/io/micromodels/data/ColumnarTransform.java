package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.DateTimeStep;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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

    /**
     * Unscaled features of some rows of a table.
     *
     * @param pipeline the fitted pipeline (its input columns must be in the table)
     * @param rows     table row indices, in output order
     * @return [rows.length, pipeline.width()] doubles, before the normaliser; categorical cells not among the training
     *         levels are added to the pipeline's unseen counter
     * @throws DataException naming the file, line, column and value for a cell that does not parse as its kind
     */
    static Rows unscaled(FittedPipeline pipeline, Table table, int[] rows) {
        List<ColumnSpec> columns = pipeline.spec().columns();
        int width = pipeline.width();
        Rows out = new Rows(rows.length, width);
        double[] x = out.data;
        int at = 0;
        long unseen = 0;
        for (ColumnSpec c : columns) {
            int col = table.require(c.name(), "input");
            int w = switch (c.kind()) {
                case NUMERIC, INTEGER -> numeric(c, table, col, rows, x, width, at);
                case BOOLEAN -> bool(c, table, col, rows, x, width, at);
                case CATEGORICAL -> {
                    long[] u = new long[1];
                    int k = categorical(c, table, col, rows, x, width, at, u);
                    unseen += u[0];
                    yield k;
                }
                case DATETIME -> dateTime(c, table, col, rows, x, width, at);
            };
            at += w;
            if (c.indicator()) {
                for (int i = 0; i < rows.length; i++) {
                    if (Cells.isMissing(table.cell(rows[i], col))) {
                        x[i * width + at] = 1.0;
                    }
                }
                at++;
            }
        }
        if (at != width) {
            throw new IllegalStateException("columnar layout " + at + " != pipeline width " + width);
        }
        if (unseen > 0) {
            pipeline.addUnseen(unseen);
        }
        return out;
    }

    private static String where(Table table, int row, ColumnSpec c) {
        return table.source() + ": line " + table.line(row) + ", column '" + c.name() + "'";
    }

    private static int numeric(ColumnSpec c, Table table, int col, int[] rows, double[] x, int width, int at) {
        double impute = c.imputeNumber();
        for (int i = 0; i < rows.length; i++) {
            String v = table.cell(rows[i], col);
            double d;
            if (Cells.isMissing(v)) {
                d = impute;
            } else {
                try {
                    d = Cells.number(v);
                } catch (NumberFormatException e) {
                    throw new DataException(where(table, rows[i], c) + ": " + e.getMessage() + " (expected a number)");
                }
            }
            x[i * width + at] = d;
        }
        return 1;
    }

    private static int bool(ColumnSpec c, Table table, int col, int[] rows, double[] x, int width, int at) {
        double impute = c.imputeNumber();
        for (int i = 0; i < rows.length; i++) {
            String v = table.cell(rows[i], col);
            double d;
            if (Cells.isMissing(v)) {
                d = impute;
            } else {
                String t = v.strip().toLowerCase(Locale.ROOT);
                if (c.trueTokens().contains(t)) {
                    d = 1.0;
                } else if (c.falseTokens().contains(t)) {
                    d = 0.0;
                } else {
                    throw new DataException(where(table, rows[i], c) + ": '" + v + "' is not a boolean (expected one of "
                            + c.trueTokens() + " or " + c.falseTokens() + ")");
                }
            }
            x[i * width + at] = d;
        }
        return 1;
    }

    private static int categorical(ColumnSpec c, Table table, int col, int[] rows, double[] x, int width, int at, long[] unseen) {
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
            x[i * width + at + hot] = 1.0;
        }
        return levels.size();
    }

    private static int dateTime(ColumnSpec c, Table table, int col, int[] rows, double[] x, int width, int at) {
        DateTimeFormatter check = DateTimeStep.formatter(c.pattern());
        boolean hasTime = c.info().hasTime();
        CyclicalTimeTransform.Encoder encoder = new CyclicalTimeTransform.Encoder(c.pattern(), hasTime);
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
            encoder.encode(s, x, i * width + at);
        }
        return hasTime ? 6 : 4;
    }
}

package io.micromodels.explain;

import io.micromodels.data.FittedPipeline;
import io.micromodels.frozen.plan.BooleanStep;
import io.micromodels.frozen.plan.CategoricalStep;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.frozen.plan.DateTimeStep;
import io.micromodels.frozen.plan.EncodedNumericStep;
import io.micromodels.frozen.plan.NumericStep;
import io.micromodels.frozen.plan.Step;
import io.micromodels.text.Fmt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * {@link FeatureGroups} of a fitted data pipeline: one group per original input column, in
 * {@link FittedPipeline#featureGroups()} order and with its columns, each with a
 * {@link FeatureDecoder} that shows the value as it was in the raw data:
 * <ul>
 *   <li>quantile or piecewise-linear numeric: the raw value read back from the encoding;</li>
 *   <li>numeric: the scaled column undone ({@code raw = x * scale + shift} with the normaliser's
 *       fitted shift and scale, which the compiled pipeline exposes; identity under
 *       {@code Normalization.NONE}); the colour is the raw value;</li>
 *   <li>categorical: the level name, "unseen" for an all-zero one-hot row; no colour value (NaN,
 *       grey in the summary plot), since levels have no order that low-to-high colours could show;</li>
 *   <li>boolean: the column's first true or false token (colour 1 or 0);</li>
 *   <li>date-time: weekday, month and (when the column has a time) hour read back from the
 *       sin/cos pairs (colour: hour of day, else month);</li>
 *   <li>any kind with a missing-indicator column set: "missing" (colour NaN, grey).</li>
 * </ul>
 */
final class PipelineFeatures {
    private PipelineFeatures() {}

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /** The groups of a compiled pipeline alone (a frozen model's), one per step. */
    static FeatureGroups groups(CompiledPipeline compiled) {
        return groups(null, compiled);
    }

    static FeatureGroups groups(FittedPipeline pipeline, CompiledPipeline compiled) {
        LinkedHashMap<String, int[]> expected = pipeline == null ? null : pipeline.featureGroups();
        FeatureGroups.Builder b = FeatureGroups.builder();
        int offset = 0;
        List<Step> steps = compiled.steps();
        if (expected != null && steps.size() != expected.size()) {
            throw new IllegalStateException("the pipeline has " + expected.size() + " feature groups but its compiled form "
                    + steps.size() + " steps");
        }
        for (Step step : steps) {
            int[] cols = new int[step.width()];
            for (int k = 0; k < cols.length; k++) cols[k] = offset + k;
            int[] want = expected == null ? cols : expected.get(step.column());
            if (want == null || !Arrays.equals(want, cols)) {
                throw new IllegalStateException("feature group of column '" + step.column() + "' is "
                        + Arrays.toString(want) + " in the pipeline but " + Arrays.toString(cols) + " in its compiled form");
            }
            String name = step.column();
            if (step instanceof NumericStep s) {
                b.decoded(name, numeric(offset, s), cols);
            } else if (step instanceof BooleanStep s) {
                b.decoded(name, bool(offset, s), cols);
            } else if (step instanceof CategoricalStep s) {
                List<String> labels = new ArrayList<>(s.levels());
                if (s.indicator()) labels.add("missing");
                b.categorical(name, labels, categorical(offset, s), cols);
            } else if (step instanceof DateTimeStep s) {
                b.decoded(name, dateTime(offset, s), cols);
            } else if (step instanceof EncodedNumericStep s) {
                b.decoded(name, encoded(offset, s), cols);
            } else {
                throw new IllegalStateException("unknown pipeline step " + step.getClass().getName());
            }
            offset += step.width();
        }
        if (pipeline != null && offset != pipeline.width()) {
            throw new IllegalStateException("the compiled pipeline covers " + offset + " features, the pipeline "
                    + pipeline.width());
        }
        return b.build();
    }

    private static FeatureDecoder numeric(int col, NumericStep s) {
        double shift = s.shift();
        double scale = s.scale();
        int missing = s.indicator() ? col + 1 : -1;
        return new FeatureDecoder() {
            @Override
            public double value(double[] row) {
                return missing >= 0 && row[missing] >= 0.5 ? Double.NaN : row[col] * scale + shift;
            }

            @Override
            public String label(double[] row) {
                double v = value(row);
                return Double.isNaN(v) ? "missing" : Fmt.num(v);
            }
        };
    }

    /** A quantile or piecewise-linear column: the raw value read back from the encoding. */
    private static FeatureDecoder encoded(int col, EncodedNumericStep s) {
        int missing = s.indicator() ? col + s.valueWidth() : -1;
        return new FeatureDecoder() {
            @Override
            public double value(double[] row) {
                return missing >= 0 && row[missing] >= 0.5 ? Double.NaN : s.decode(row, col);
            }

            @Override
            public String label(double[] row) {
                double v = value(row);
                return Double.isNaN(v) ? "missing" : Fmt.num(v);
            }
        };
    }

    private static FeatureDecoder bool(int col, BooleanStep s) {
        String yes = s.trueTokens().isEmpty() ? "true" : s.trueTokens().get(0);
        String no = s.falseTokens().isEmpty() ? "false" : s.falseTokens().get(0);
        int missing = s.indicator() ? col + 1 : -1;
        return new FeatureDecoder() {
            @Override
            public double value(double[] row) {
                return missing >= 0 && row[missing] >= 0.5 ? Double.NaN : row[col] >= 0.5 ? 1 : 0;
            }

            @Override
            public String label(double[] row) {
                double v = value(row);
                return Double.isNaN(v) ? "missing" : v == 1 ? yes : no;
            }
        };
    }

    private static FeatureDecoder categorical(int col, CategoricalStep s) {
        List<String> levels = s.levels();
        int k = levels.size();
        int missing = s.indicator() ? col + k : -1;
        return new FeatureDecoder() {
            /** Index of the hot level, -1 for none (unseen), -2 for missing. */
            private int level(double[] row) {
                if (missing >= 0 && row[missing] >= 0.5) return -2;
                int best = -1;
                for (int j = 0; j < k; j++) {
                    if (row[col + j] >= 0.5 && (best < 0 || row[col + j] > row[col + best])) best = j;
                }
                return best;
            }

            @Override
            public double value(double[] row) {
                return Double.NaN;          // levels are unordered: no low/high colour
            }

            @Override
            public String label(double[] row) {
                int l = level(row);
                return l == -2 ? "missing" : l == -1 ? "unseen" : levels.get(l);
            }
        };
    }

    private static FeatureDecoder dateTime(int col, DateTimeStep s) {
        boolean hasTime = s.hasTime();
        int base = hasTime ? col + 2 : col;
        int missing = s.indicator() ? col + s.width() - 1 : -1;
        return new FeatureDecoder() {
            private boolean isMissing(double[] row) {
                if (missing >= 0 && row[missing] >= 0.5) return true;
                return row[base] == 0 && row[base + 1] == 0;       // a real date never has sin = cos = 0
            }

            @Override
            public double value(double[] row) {
                if (isMissing(row)) return Double.NaN;
                return hasTime ? hour(row) : month(row) + 1;
            }

            @Override
            public String label(double[] row) {
                if (isMissing(row)) return "missing";
                String date = DAYS[cyclic(row[base], row[base + 1], 7)] + ", " + MONTHS[month(row)];
                if (!hasTime) return date;
                double h = hour(row);
                int minutes = (int) Math.round(h * 60) % (24 * 60);
                return String.format(Locale.ROOT, "%s %02d:%02d", date, minutes / 60, minutes % 60);
            }

            private double hour(double[] row) {
                double a = Math.atan2(row[col], row[col + 1]);
                if (a < 0) a += 2 * Math.PI;
                return a * 24 / (2 * Math.PI);
            }

            private int month(double[] row) {
                return cyclic(row[base + 2], row[base + 3], 12);
            }
        };
    }

    /** The step k in 0..period-1 whose angle 2 pi k / period is nearest to atan2(sin, cos). */
    static int cyclic(double sin, double cos, int period) {
        double a = Math.atan2(sin, cos);
        if (a < 0) a += 2 * Math.PI;
        return (int) Math.round(a * period / (2 * Math.PI)) % period;
    }
}

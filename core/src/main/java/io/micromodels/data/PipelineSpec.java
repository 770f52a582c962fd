package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link FittedPipeline} learned, as plain values: the JSON written by {@link PipelineJson#write}.
 * Records, so every key is required on read; unknown keys are rejected.
 */
@JsonPropertyOrder({"format", "version", "columns", "normalization", "task"})
@JsonIgnoreProperties(ignoreUnknown = false)
record PipelineSpec(String format, int version, List<ColumnSpec> columns, Normalization normalization, TaskSpec task) {
    static final String FORMAT = "micromodels-pipeline";
    /** 2: numeric columns carry {@code edges} (quantile and piecewise-linear encodings). Version 1 is read too. */
    static final int VERSION = 2;

    PipelineSpec {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format must be '" + FORMAT + "', got " + format);
        }
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported pipeline version " + version + " (this build reads 1 and " + VERSION + ")");
        }
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(task, "task");
    }

    /**
     * One raw input column and its fitted parameters. Fields that do not apply to the kind are null (or empty lists).
     *
     * @param imputeNumber numeric: median; boolean: 0 or 1 (the mode); else null
     * @param imputeLevel  categorical: the training mode (one of the levels); else null
     * @param levels       categorical: training levels in one-hot order; else empty
     * @param mean         standardised numeric columns: the mean; else null
     * @param std          standardised numeric columns: the std (as ND4J uses it); else null
     * @param min          min-max scaled numeric columns: the lower bound; else null
     * @param max          min-max scaled numeric columns: the upper bound (as ND4J pads it); else null
     * @param edges        quantile-encoded numeric columns: the training quantiles; piecewise-linear: the bin edges;
     *                     else empty (see {@link io.micromodels.frozen.plan.NumericEncodings})
     */
    @JsonPropertyOrder({"name", "kind", "pattern", "trueTokens", "falseTokens", "indicator", "imputeNumber", "imputeLevel",
            "levels", "mean", "std", "min", "max", "edges"})
    @JsonIgnoreProperties(ignoreUnknown = false)
    record ColumnSpec(String name, ColumnKind kind, String pattern, List<String> trueTokens, List<String> falseTokens,
                      boolean indicator, Double imputeNumber, String imputeLevel, List<String> levels,
                      Double mean, Double std, Double min, Double max, List<Double> edges) {
        ColumnSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            trueTokens = List.copyOf(Objects.requireNonNull(trueTokens, "trueTokens"));
            falseTokens = List.copyOf(Objects.requireNonNull(falseTokens, "falseTokens"));
            levels = List.copyOf(Objects.requireNonNull(levels, "levels"));
            edges = List.copyOf(Objects.requireNonNull(edges, "edges"));
        }

        double[] edgeArray() {
            return edges.stream().mapToDouble(Double::doubleValue).toArray();
        }

        ColumnSpec withEdges(double[] e) {
            List<Double> list = new java.util.ArrayList<>(e.length);
            for (double v : e) {
                list.add(v);
            }
            return new ColumnSpec(name, kind, pattern, trueTokens, falseTokens, indicator, imputeNumber, imputeLevel, levels, mean, std, min, max, list);
        }

        /**
         * A date-time column's trend scaling [mean, std, min, max] (its {@code mean}, {@code std}, and the clipping range
         * {@code min}, {@code max}), or [mean, std] for a pipeline written before the clipping (no min, max), or null
         * when it has no trend.
         */
        double[] trend() {
            if (kind != ColumnKind.DATETIME || mean == null || std == null) {
                return null;
            }
            return min != null && max != null ? new double[]{mean, std, min, max} : new double[]{mean, std};
        }

        ColumnInfo info() {
            return new ColumnInfo(name, kind, pattern, trueTokens, falseTokens);
        }

        ColumnSpec withScaling(Double mean, Double std, Double min, Double max) {
            return new ColumnSpec(name, kind, pattern, trueTokens, falseTokens, indicator, imputeNumber, imputeLevel, levels, mean, std, min, max, edges);
        }
    }

    /**
     * The task and, for regression, the target scaling. {@code kind} is written as the constant name ({@code "BINARY"}),
     * the spelling of every {@code pipeline.json} so far.
     *
     * @param targetMean regression: training-split mean of the target; else null
     * @param targetStd  regression: training-split std of the target (as ND4J uses it); else null
     */
    @JsonPropertyOrder({"kind", "target", "classes", "positiveClass", "targetMean", "targetStd"})
    @JsonIgnoreProperties(ignoreUnknown = false)
    record TaskSpec(@JsonSerialize(using = TaskKind.ConstantName.Writer.class) @JsonDeserialize(using = TaskKind.ConstantName.Reader.class)
                    TaskKind kind, String target, List<String> classes, int positiveClass, Double targetMean, Double targetStd) {
        TaskSpec {
            classes = List.copyOf(Objects.requireNonNull(classes, "classes"));
        }

        TaskInfo info() {
            return new TaskInfo(kind, target, classes, positiveClass);
        }
    }
}

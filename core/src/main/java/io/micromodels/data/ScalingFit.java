package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.data.PipelineSpec.TaskSpec;
import io.micromodels.frozen.TaskKind;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 7 of {@link DataPipeline#prepare}: scaling fitted on the training split — the ND4J normaliser
 * ({@link NormalizerStandardize} or {@link NormalizerMinMaxScaler}) or the quantile / piecewise-linear edges
 * ({@link NumericEncodingFit}) of the numeric columns, and for regression the target's mean and std — giving the
 * {@link FittedPipeline}. Its stats are a fixed point of the spec → ND4J → spec round trip, so writing and reading the
 * pipeline is exact.
 */
final class ScalingFit {
    private ScalingFit() {
    }

    /**
     * A pipeline of {@code columns} without scaling, for the steps before it is known (its regression target scaling is
     * a neutral placeholder, mean 0 and std 1).
     */
    static FittedPipeline unscaled(List<ColumnSpec> columns, TaskInfo task) {
        return new FittedPipeline(new PipelineSpec(PipelineSpec.FORMAT, PipelineSpec.VERSION, columns,
                Normalization.NONE, regressionPlaceholder(taskSpec(task, null))));
    }

    /**
     * The fitted pipeline.
     *
     * @param columns      the selected columns, unscaled
     * @param numericTrain the numeric columns' unscaled training values alone, in column order: [train rows, numeric columns]
     * @param trainTarget  the training split's regression targets, or null for classification
     */
    static FittedPipeline fit(List<ColumnSpec> columns, Rows numericTrain, TaskInfo task, double[] trainTarget, Normalization normalization) {
        List<ColumnSpec> scaled = fitScaling(columns, numericTrain, normalization);
        TaskSpec taskSpec = taskSpec(task, task.kind() == TaskKind.REGRESSION ? trainTarget : null);
        return stable(new PipelineSpec(PipelineSpec.FORMAT, PipelineSpec.VERSION, scaled, normalization, taskSpec));
    }

    /** The numeric training values for {@link #fit}: taken from the selection's features, or computed from the table. */
    static Rows numericTrain(List<ColumnSpec> columns, Rows xTrain, FittedPipeline unscaled, Table table, int[] trainRows,
                             double[][] numbers) {
        return xTrain != null ? numericColumns(columns, xTrain) : ColumnarTransform.numeric(unscaled, table, trainRows, numbers);
    }

    /** A pipeline whose normaliser stats are a fixed point of the spec → ND4J → spec round trip (so write/read is exact). */
    private static FittedPipeline stable(PipelineSpec spec) {
        FittedPipeline p = new FittedPipeline(spec);
        for (int iteration = 0; iteration < 5; iteration++) {
            PipelineSpec again = withStats(spec, p.runtime().storedStats(), p.targetEncoder().stats());
            if (again.equals(spec)) {
                return p;
            }
            spec = again;
            p = new FittedPipeline(spec);
        }
        return p;
    }

    private static PipelineSpec withStats(PipelineSpec spec, double[][] stats, double[] targetStats) {
        List<ColumnSpec> cols = new ArrayList<>();
        int s = 0;
        for (ColumnSpec c : spec.columns()) {
            if (c.kind().isNumeric() && spec.normalization() == Normalization.STANDARDIZE) {
                cols.add(c.withScaling(stats[0][s], stats[1][s], null, null));
                s++;
            } else if (c.kind().isNumeric() && spec.normalization() == Normalization.MIN_MAX) {
                cols.add(c.withScaling(null, null, stats[0][s], stats[1][s]));
                s++;
            } else {
                cols.add(c);
            }
        }
        TaskSpec t = spec.task();
        TaskSpec task = targetStats == null ? t : new TaskSpec(t.kind(), t.target(), t.classes(), t.positiveClass(), targetStats[0], targetStats[1]);
        return new PipelineSpec(spec.format(), spec.version(), cols, spec.normalization(), task);
    }

    /** During fitting the target scaling is not known yet: a regression spec gets a neutral placeholder. */
    private static TaskSpec regressionPlaceholder(TaskSpec t) {
        if (t.kind() != TaskKind.REGRESSION) {
            return t;
        }
        return new TaskSpec(t.kind(), t.target(), t.classes(), t.positiveClass(), 0.0, 1.0);
    }

    private static TaskSpec taskSpec(TaskInfo task, double[] trainTarget) {
        if (task.kind() != TaskKind.REGRESSION || trainTarget == null) {
            return new TaskSpec(task.kind(), task.target(), task.classes(), task.positiveClass(), null, null);
        }
        INDArray y = Nd4j.create(trainTarget, new long[] {trainTarget.length, 1}, DataType.DOUBLE);
        NormalizerStandardize s = new NormalizerStandardize();
        s.fit(new DataSet(y, y));
        return new TaskSpec(task.kind(), task.target(), task.classes(), task.positiveClass(), s.getMean().getDouble(0), s.getStd().getDouble(0));
    }

    /** The numeric columns' features of {@code x} alone, in column order: [x.n, number of numeric columns]. */
    private static Rows numericColumns(List<ColumnSpec> specs, Rows x) {
        List<Integer> numericAt = new ArrayList<>();
        int at = 0;
        for (ColumnSpec c : specs) {
            if (c.kind().isNumeric()) {
                numericAt.add(at);
            }
            at += FittedPipeline.groupWidth(c);
        }
        int s = numericAt.size();
        Rows out = new Rows(x.n, s);
        for (int i = 0; i < x.n; i++) {
            for (int j = 0; j < s; j++) {
                out.data[i * s + j] = x.get(i, numericAt.get(j));
            }
        }
        return out;
    }

    /** Normaliser stats from the numeric columns' training values ({@code numeric}: [n, numeric columns]). */
    static List<ColumnSpec> fitScaling(List<ColumnSpec> specs, Rows numeric, Normalization normalization) {
        if (normalization == Normalization.NONE || numeric.width == 0) {
            return specs;
        }
        if (normalization.encoded()) {
            // numeric holds only the numeric columns, in column order: column j of it is the j-th numeric column
            List<Integer> at = new ArrayList<>();
            for (int j = 0; j < numeric.width; j++) {
                at.add(j);
            }
            return NumericEncodingFit.fit(specs, at, numeric, normalization);
        }
        int n = numeric.n;
        int s = numeric.width;
        double[] flat = numeric.data;
        INDArray sub = Nd4j.create(flat, new long[] {n, s}, DataType.DOUBLE);
        DataSet ds = new DataSet(sub, sub);
        double[] a;
        double[] b;
        if (normalization == Normalization.STANDARDIZE) {
            NormalizerStandardize norm = new NormalizerStandardize();
            norm.fit(ds);
            a = norm.getMean().toDoubleVector();
            b = norm.getStd().toDoubleVector();
        } else {
            NormalizerMinMaxScaler norm = new NormalizerMinMaxScaler(0.0, 1.0);
            norm.fit(ds);
            a = norm.getMin().toDoubleVector();
            b = norm.getMax().toDoubleVector();
        }
        List<ColumnSpec> out = new ArrayList<>();
        int j = 0;
        for (ColumnSpec c : specs) {
            if (!c.kind().isNumeric()) {
                out.add(c);
            } else if (normalization == Normalization.STANDARDIZE) {
                out.add(c.withScaling(a[j], b[j], null, null));
                j++;
            } else {
                out.add(c.withScaling(null, null, a[j], b[j]));
                j++;
            }
        }
        return out;
    }
}

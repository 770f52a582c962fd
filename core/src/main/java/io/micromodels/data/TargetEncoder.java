package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import io.micromodels.data.PipelineSpec.TaskSpec;
import io.micromodels.frozen.plan.Cells;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The target side of a fitted pipeline: class labels to one-hot rows, regression targets to standardised values and
 * back. Immutable; obtained from {@link FittedPipeline#targetEncoder()}.
 *
 * <ul>
 *   <li>classification (binary, multiclass):
 *       label {@code classes().get(i)} is one-hot column i, float32 [n, k];</li>
 *   <li>regression: {@code (y - mean) / std} with the training split's mean and std as ND4J's
 *       {@link NormalizerStandardize} computes them, [n, 1]; {@link #toOriginalUnits} inverts it.</li>
 * </ul>
 */
public final class TargetEncoder {
    private final TaskInfo task;
    private final Map<String, Integer> classIndex = new HashMap<>();
    private final NormalizerStandardize scaler;

    TargetEncoder(TaskInfo task, TaskSpec spec) {
        this.task = task;
        for (int i = 0; i < task.classes().size(); i++) {
            classIndex.put(task.classes().get(i), i);
        }
        this.scaler = task.kind() != TaskKind.REGRESSION ? null
                : new NormalizerStandardize(Nd4j.createFromArray(spec.targetMean()), Nd4j.createFromArray(spec.targetStd()));
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
                y[i] = TaskInference.parseTarget(table.cell(i, t), table, i, task.target());
            }
            return scale(y).castTo(DataType.FLOAT);
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

    /** Class indices as one-hot rows: float32 [cls.length, k]. */
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
    INDArray scale(double[] y) {
        if (scaler == null) {
            throw new IllegalStateException("not a regression pipeline");
        }
        if (y.length == 0) {
            return Nd4j.create(DataType.DOUBLE, 0, 1);
        }
        INDArray a = Nd4j.create(y, new long[] {y.length, 1}, DataType.DOUBLE);
        scaler.transform(a);
        return a;
    }

    /** Regression: maps standardised predictions back to the target's units ({@code z * std + mean}); identity (a copy) otherwise. */
    public double[] toOriginalUnits(double[] standardisedPredictions) {
        if (scaler == null || standardisedPredictions.length == 0) {
            return standardisedPredictions.clone();
        }
        INDArray a = Nd4j.create(standardisedPredictions.clone(), new long[] {standardisedPredictions.length, 1}, DataType.DOUBLE);
        scaler.revertFeatures(a);
        return a.reshape(standardisedPredictions.length).toDoubleVector();
    }

    /** {@code [mean, std]} of the regression target as ND4J uses them, or null. */
    double[] stats() {
        if (scaler == null) {
            return null;
        }
        return new double[] {scaler.getMean().getDouble(0), scaler.getStd().getDouble(0)};
    }

    /** The class labels, in one-hot column order (empty for regression). */
    public List<String> classes() {
        return task.classes();
    }
}

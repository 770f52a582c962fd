package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 8 of {@link DataPipeline#prepare}: the splits through the fitted pipeline. Features: the columnar fast path
 * ({@link ColumnarTransform}, bit for bit the DataVec result) for the plain normalisations; the DataVec transform for
 * the quantile and piecewise-linear encodings, which change the numeric features' width. Labels: one-hot classes or
 * standardised regression targets ({@link TargetEncoder}).
 */
final class SplitFeatures {
    private SplitFeatures() {
    }

    /**
     * Final features of some table rows, float32 [rows.length, pipeline.width()].
     *
     * @param xTrain  the rows' unscaled features when already computed (the training split after feature selection), else null
     * @param unseen  counts categorical cells not seen in training (null: not counted)
     */
    static INDArray features(FittedPipeline pipeline, Table table, int[] rows, Rows xTrain, double[][] numbers, UnseenCounter unseen) {
        if (pipeline.normalization().encoded()) {
            return DataVecTransform.toArray(pipeline.runtime().scale(pipeline.unscaled(cells(table, rows), columnMap(table, pipeline.inputColumns()),
                    i -> table.source() + ": line " + table.line(rows[i]), unseen)), DataType.FLOAT);
        }
        if (xTrain != null) {
            return DataVecTransform.toArray(pipeline.runtime().scale(xTrain), DataType.FLOAT);
        }
        return ColumnarTransform.features(pipeline, table, rows, numbers, unseen);
    }

    /** Labels at some kept positions: float32 one-hot [n, k], or standardised targets [n, 1] for regression. */
    static INDArray labels(FittedPipeline pipeline, TaskInference.Target target, int[] positions) {
        TaskInfo task = target.task();
        return task.kind() == TaskKind.REGRESSION
                ? pipeline.targetEncoder().scale(target.valuesAt(positions)).castTo(DataType.FLOAT)
                : TargetEncoder.oneHot(target.classesAt(positions), task.classes().size());
    }

    /** The table column of each of {@code columns}. */
    static int[] columnMap(Table table, List<String> columns) {
        int[] map = new int[columns.size()];
        for (int j = 0; j < map.length; j++) {
            map[j] = table.indexOf(columns.get(j));
        }
        return map;
    }

    /** The raw cells of the given table rows. */
    static List<String[]> cells(Table table, int[] rows) {
        List<String[]> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(table.row(r));
        }
        return out;
    }
}

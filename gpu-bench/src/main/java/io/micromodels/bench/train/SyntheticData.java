package io.micromodels.bench.train;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic binary classification data, the same distribution as the Python peers
 * ({@code peers/benchutil.py}): 10 standard-normal features, label
 * {@code 1[sum_j a_j x_j > 0]} with {@code a_j = (-1)^j / (1 + j)}, one-hot over two classes.
 */
public final class SyntheticData {

    /** Number of input features. */
    public static final int FEATURES = io.micromodels.bench.ReferenceNetwork.INPUTS;

    private SyntheticData() {
    }

    /** Label weight of feature j. */
    static double weight(int j) {
        return (j % 2 == 0 ? 1.0 : -1.0) / (1.0 + j);
    }

    /**
     * {@code count} distinct batches of {@code batch} rows.
     *
     * @param dtype FLOAT or DOUBLE arrays
     */
    public static List<DataSet> batches(int batch, int count, DataType dtype, long seed) {
        Random rnd = new Random(seed);
        List<DataSet> out = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            double[][] x = new double[batch][FEATURES];
            double[][] y = new double[batch][2];
            for (int i = 0; i < batch; i++) {
                double s = 0;
                for (int j = 0; j < FEATURES; j++) {
                    x[i][j] = rnd.nextGaussian();
                    s += weight(j) * x[i][j];
                }
                y[i][s > 0 ? 1 : 0] = 1;
            }
            INDArray f = Nd4j.create(x).castTo(dtype);
            INDArray l = Nd4j.create(y).castTo(dtype);
            out.add(new DataSet(f, l));
        }
        return out;
    }

    /** An iterator over the rows of {@code batches}, re-assembling batches of {@code batch} rows. */
    public static ListDataSetIterator<DataSet> rowIterator(List<DataSet> batches, int batch) {
        List<DataSet> rows = new ArrayList<>();
        for (DataSet d : batches) rows.addAll(d.asList());
        return new ListDataSetIterator<>(rows, batch);
    }
}

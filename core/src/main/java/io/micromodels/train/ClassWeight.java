package io.micromodels.train;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How classes are weighted in a classifier's training loss ({@code --class-weight}).
 *
 * <ul>
 *   <li>{@link #NONE}: every row weighs 1;</li>
 *   <li>{@link #BALANCED}: a row of class c weighs {@code n / (k * count_c)} with the counts of the training split,
 *       scikit-learn's {@code class_weight='balanced'}: every class then carries the same total weight, and the
 *       weights average 1 over the training rows.</li>
 * </ul>
 * The weights travel as a per-example labels mask {@code [n, 1]} of the DataSets, which the {@link Trainer} and the
 * population trainer read as loss weights (each row's loss and gradient times its weight; the Trainer does not hand it
 * to DL4J as a mask, see {@link ExampleWeightedLoss}); the validation split gets the same class weights, so early
 * stopping watches the loss that is trained.
 *
 * <pre>{@code
 * double[] w = ClassWeight.BALANCED.classWeights(train.getLabels());     // [k]
 * DataSet weighted = ClassWeight.weighted(train, w);                      // labels mask = w[class of each row]
 * }</pre>
 */
public enum ClassWeight {
    /** Unweighted. */
    @com.fasterxml.jackson.annotation.JsonProperty("none") NONE,
    /** {@code n / (k * count_c)}. */
    @com.fasterxml.jackson.annotation.JsonProperty("balanced") BALANCED;

    /** The flag value: {@code none} or {@code balanced}. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code none} or {@code balanced}
     * @throws IllegalArgumentException naming the allowed values and the value
     */
    public static ClassWeight parse(String name) {
        for (ClassWeight w : values()) {
            if (w.flagName().equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("class weight must be one of [none, balanced], got '" + name + "'");
    }

    /**
     * Per-class weights from training labels.
     *
     * @param labels one-hot {@code [n, k]}, or {@code [n, 1]} 0/1 for a binary sigmoid model (then k = 2: negative,
     *               positive)
     * @return {@code [k]} weights (all 1 for {@link #NONE}); a class absent from the labels gets weight 0
     */
    public double[] classWeights(INDArray labels) {
        long[] counts = counts(labels);
        double[] w = new double[counts.length];
        long n = Arrays.stream(counts).sum();
        for (int c = 0; c < counts.length; c++) {
            w[c] = this == NONE ? 1.0 : counts[c] == 0 ? 0.0 : n / ((double) counts.length * counts[c]);
        }
        return w;
    }

    /** Rows per class of one-hot {@code [n, k]} or 0/1 {@code [n, 1]} labels, {@code [k]} (k = 2 for one column). */
    static long[] counts(INDArray labels) {
        double[][] y = labels.castTo(DataType.DOUBLE).toDoubleMatrix();
        int k = y.length == 0 ? 2 : Math.max(2, y[0].length);
        long[] counts = new long[k];
        for (double[] row : y) {
            counts[classOf(row)]++;
        }
        return counts;
    }

    private static int classOf(double[] row) {
        if (row.length == 1) {
            return row[0] > 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The data with each row's class weight as its labels mask {@code [n, 1]} (float32); features and labels shared.
     *
     * @param data         labels one-hot {@code [n, k]} or 0/1 {@code [n, 1]}
     * @param classWeights {@code [k]} from {@link #classWeights}
     */
    public static DataSet weighted(DataSet data, double[] classWeights) {
        double[][] y = data.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        float[] w = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            int c = classOf(y[i]);
            if (c >= classWeights.length) {
                throw new IllegalArgumentException("row " + i + " has class " + c + " but there are " + classWeights.length
                        + " class weights");
            }
            w[i] = (float) classWeights[c];
        }
        return new DataSet(data.getFeatures(), data.getLabels(), null, Nd4j.createFromArray(w).reshape(y.length, 1));
    }
}

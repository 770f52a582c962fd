package io.micromodels.explain;

/**
 * A model as the explainers see it: a batch of feature rows in, one output per row out.
 *
 * <p>{@code rows} has shape {@code [n][width]}, where {@code width} is the number of model input
 * columns after preprocessing; the result has shape {@code [n]}: the positive-class probability,
 * the score of one chosen class, or the regression output.
 *
 * <p>Contract: the model is deterministic, returns exactly {@code rows.length} values, and neither
 * keeps nor relies on {@code rows} after returning: explainers reuse the same preallocated row
 * arrays from one call to the next. Explainers call it with up to a configured number of rows at a
 * time (65,536 by default), never one call per coalition or per permutation.
 *
 * <pre>{@code
 * BatchModel linear = rows -> {
 *     double[] out = new double[rows.length];
 *     for (int i = 0; i < rows.length; i++) out[i] = 0.5 + 2 * rows[i][0] - rows[i][1];
 *     return out;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface BatchModel {

    /**
     * Predicts one output per row.
     *
     * @param rows feature rows, shape {@code [n][width]}, n &ge; 1
     * @return outputs, shape {@code [n]}
     */
    double[] predict(double[][] rows);
}

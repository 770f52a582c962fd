package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.frozen.plan.NumericEncodings;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits the {@link Normalization#QUANTILE} and {@link Normalization#PIECEWISE_LINEAR} encodings of the numeric columns on
 * the training split's imputed values ({@link NumericEncodings#fitQuantiles}, {@link NumericEncodings#fitEdges} with
 * {@link NumericEncodings#MAX_BINS} bins) and stores the result as each column's {@code edges}.
 */
final class NumericEncodingFit {
    private NumericEncodingFit() {
    }

    /**
     * @param specs     the columns, in feature order
     * @param numericAt feature index, in {@code xTrain}, of each numeric column's value (one per numeric column, in order)
     * @param xTrain    unscaled, imputed training features [n, width]
     */
    static List<ColumnSpec> fit(List<ColumnSpec> specs, List<Integer> numericAt, Rows xTrain, Normalization normalization) {
        List<ColumnSpec> out = new ArrayList<>(specs.size());
        int j = 0;
        for (ColumnSpec c : specs) {
            if (!c.kind().isNumeric()) {
                out.add(c);
                continue;
            }
            int col = numericAt.get(j++);
            double[] v = new double[xTrain.n];
            for (int i = 0; i < v.length; i++) {
                v[i] = xTrain.get(i, col);
            }
            double[] edges = normalization == Normalization.QUANTILE
                    ? NumericEncodings.fitQuantiles(v)
                    : NumericEncodings.fitEdges(v, NumericEncodings.MAX_BINS);
            out.add(c.withEdges(edges));
        }
        return out;
    }
}

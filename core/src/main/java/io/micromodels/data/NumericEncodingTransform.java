package io.micromodels.data;

import io.micromodels.frozen.plan.EncodedNumericStep;
import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.Writable;

import java.util.List;

/**
 * A DataVec transform that replaces an imputed numeric column by its quantile score (one column) or its
 * piecewise-linear encoding ({@code T} columns), computed by the same {@link EncodedNumericStep#encode} the frozen
 * pipeline uses, so both paths give identical doubles.
 */
final class NumericEncodingTransform extends ExpandColumnTransform {
    private static final long serialVersionUID = 1L;
    private final transient EncodedNumericStep step;

    NumericEncodingTransform(EncodedNumericStep step) {
        super(step.column(), EncodedNumericStep.valueNames(step.column(), step.valueWidth(), step.piecewiseLinear()));
        this.step = step;
    }

    @Override
    void expand(Writable cell, List<Writable> out) {
        double[] f = new double[outputs.size()];
        step.encode(cell.toDouble(), f, 0);
        for (double v : f) {
            out.add(new DoubleWritable(v));
        }
    }

    @Override
    public String toString() {
        return "NumericEncodingTransform(" + step + ")";
    }
}

package io.micromodels.data;

import io.micromodels.data.PipelineSpec.ColumnSpec;
import io.micromodels.frozen.plan.BooleanStep;
import io.micromodels.frozen.plan.CategoricalStep;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.frozen.plan.DateTimeStep;
import io.micromodels.frozen.plan.EncodedNumericStep;
import io.micromodels.frozen.plan.NumericStep;
import io.micromodels.frozen.plan.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a {@link FittedPipeline} to the frozen plan: the same computation in plain Java ({@link CompiledPipeline},
 * JSON type {@value CompiledPipeline#TYPE}) for the ND4J-free runtime. Numeric steps carry the normaliser's effective
 * shift/scale (as ND4J applies it), quantile and piecewise-linear steps their edges, categorical steps the levels,
 * date-time steps the pattern (and the trend's mean and std); for regression {@code inverseTarget = [mean, std]} (empty for classification).
 *
 * <pre>{@code
 * CompiledPipeline plan = PipelineCompiler.compile(data.pipeline());
 * double[] features = new double[plan.width()];
 * plan.transform(rawRow, features);
 * }</pre>
 */
public final class PipelineCompiler {
    private PipelineCompiler() {
    }

    /** The frozen plan of a fitted pipeline: a new instance (with its own unseen counter). */
    public static CompiledPipeline compile(FittedPipeline pipeline) {
        PipelineSpec spec = pipeline.spec();
        double[][] eff = pipeline.runtime().effectiveScaling();
        List<Step> steps = new ArrayList<>(spec.columns().size());
        int s = 0;
        int width = 0;
        for (ColumnSpec c : spec.columns()) {
            Step step = switch (c.kind()) {
                case NUMERIC, INTEGER -> {
                    if (spec.normalization().encoded()) {
                        yield encodedStep(c, spec.normalization());
                    }
                    boolean isScaled = spec.normalization() != Normalization.NONE;
                    double shift = isScaled ? eff[0][s] : 0.0;
                    double scale = isScaled ? eff[1][s] : 1.0;
                    if (isScaled) {
                        s++;
                    }
                    yield new NumericStep(c.name(), c.imputeNumber(), c.indicator(), shift, scale);
                }
                case BOOLEAN -> new BooleanStep(c.name(), c.trueTokens(), c.falseTokens(), c.imputeNumber(), c.indicator());
                case CATEGORICAL -> new CategoricalStep(c.name(), c.levels(), c.imputeLevel(), c.indicator());
                case DATETIME -> c.trend() == null
                        ? new DateTimeStep(c.name(), c.pattern(), c.info().hasTime(), c.indicator())
                        : c.trend().length == 4
                        ? new DateTimeStep(c.name(), c.pattern(), c.info().hasTime(), c.indicator(), c.mean(), c.std(), c.min(), c.max())
                        : new DateTimeStep(c.name(), c.pattern(), c.info().hasTime(), c.indicator(), c.mean(), c.std());
            };
            steps.add(step);
            width += step.width();
        }
        return new CompiledPipeline(pipeline.inputColumns(), width, steps, pipeline.targetEncoder().stats());
    }

    /** The frozen step of a quantile or piecewise-linear numeric column (shared by the DataVec transform and {@link #compile}). */
    static EncodedNumericStep encodedStep(ColumnSpec c, Normalization normalization) {
        return new EncodedNumericStep(c.name(), c.imputeNumber(), c.indicator(),
                normalization == Normalization.PIECEWISE_LINEAR ? EncodedNumericStep.PIECEWISE_LINEAR : EncodedNumericStep.QUANTILE,
                c.edgeArray());
    }
}

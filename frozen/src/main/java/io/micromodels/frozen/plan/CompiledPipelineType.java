package io.micromodels.frozen.plan;

import io.micromodels.frozen.FrozenPipeline;
import io.micromodels.frozen.FrozenPipelineType;

/** Registers {@link CompiledPipeline} for frozen-model JSON under the type name {@value CompiledPipeline#TYPE}. */
public final class CompiledPipelineType implements FrozenPipelineType {
    @Override
    public String name() {
        return CompiledPipeline.TYPE;
    }

    @Override
    public Class<? extends FrozenPipeline> type() {
        return CompiledPipeline.class;
    }
}

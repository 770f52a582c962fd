/**
 * The micromodel search space: {@link io.micromodels.tune.space.SpaceConfig} (the ranges, strict JSON, the
 * {@code --space space.json} file) with {@link io.micromodels.tune.space.Range} and
 * {@link io.micromodels.tune.space.IntRange}, and {@link io.micromodels.tune.space.MicromodelSpace}, an Arbiter
 * {@code ParameterSpace<MicromodelSpec>} built from Arbiter's own leaves.
 */
package io.micromodels.tune.space;

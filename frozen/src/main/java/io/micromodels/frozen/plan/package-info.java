/**
 * Fitted preprocessing compiled to plain Java, with no DL4J, ND4J or DataVec on the class path.
 *
 * <p>{@link io.micromodels.frozen.plan.CompiledPipeline} is the {@code "compiled"} implementation of
 * {@link io.micromodels.frozen.FrozenPipeline}: one {@link io.micromodels.frozen.plan.Step} per raw input column, each
 * holding its fitted parameters in plain fields and arrays and writing its features into a caller-supplied
 * {@code double[]}. {@link io.micromodels.frozen.plan.Cells} defines what counts as a missing cell and as a number; the
 * training-side pipeline ({@code io.micromodels.data} in the core module) uses the same definitions, so both sides agree
 * on what they parse.
 *
 * <p>The JSON form ({@link io.micromodels.frozen.plan.CompiledPipeline#toJson()} /
 * {@link io.micromodels.frozen.plan.CompiledPipeline#fromJson(String)}) round-trips exactly; unknown and missing keys
 * are errors that name the key.
 */
package io.micromodels.frozen.plan;

/**
 * Population training: many compatible micromodels trained together on ND4J with batched matrix products, so
 * each op does K models' work for the fixed per-op cost that dominates tiny networks.
 *
 * <p>{@link io.micromodels.population.Population} is the entry point ({@code fit}, {@code groups}, {@code check},
 * {@code supports}); {@link io.micromodels.population.PopulationOptions} configures it and
 * {@link io.micromodels.population.PopulationResult} returns one ordinary DL4J network per member.
 */
package io.micromodels.population;

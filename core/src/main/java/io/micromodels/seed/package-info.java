/**
 * One root seed forked per purpose ({@link io.micromodels.seed.Seeds}): split, initialisation, sampler, batch order.
 * No dependencies.
 */
package io.micromodels.seed;

/**
 * Choosing the ND4J backend (CPU or CUDA GPU) in exactly one place, before ND4J initialises, with a clear error
 * when the choice cannot load. Entry point: {@link io.micromodels.backend.Backend}.
 */
package io.micromodels.backend;

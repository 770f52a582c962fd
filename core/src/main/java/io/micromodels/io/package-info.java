/**
 * Saving and loading micromodels: one zip holding the DL4J network, the spec, the fitted data pipeline, the
 * frozen form and the provenance; and strict JSON for every configuration value. Entry point:
 * {@link io.micromodels.io.ModelStore}.
 */
package io.micromodels.io;

/**
 * Writing files so that a reader never sees half of one: {@link io.micromodels.files.AtomicFiles} (temporary file in
 * the same folder, forced, then renamed over the target). No project dependencies.
 */
package io.micromodels.files;

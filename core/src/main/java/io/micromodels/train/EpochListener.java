package io.micromodels.train;

/** Told about every finished epoch of a {@link Trainer} run, for progress lines, logs or plots. */
@FunctionalInterface
public interface EpochListener {
    /** Called once per epoch, on the training thread, after validation. */
    void onEpoch(EpochReport report);
}

package io.micromodels.train;

import java.util.List;
import java.util.Objects;

/**
 * How a model's training went, epoch by epoch: what a report draws as training curves. Saved in the model zip as
 * {@code history.json} (member 0's for an ensemble).
 *
 * @param epochs    one report per epoch run, epoch 1 first
 * @param bestEpoch the 1-based epoch whose parameters were kept (0 if none)
 * @param stop      why training ended ({@link TrainingResult.Stop} name)
 */
public record TrainingHistory(List<EpochReport> epochs, int bestEpoch, String stop) {
    /** Validates and copies. */
    public TrainingHistory {
        Objects.requireNonNull(epochs, "epochs must not be null");
        epochs = List.copyOf(epochs);
        if (bestEpoch < 0 || bestEpoch > epochs.size()) {
            throw new IllegalArgumentException("bestEpoch must be in [0, " + epochs.size() + "], got " + bestEpoch);
        }
        Objects.requireNonNull(stop, "stop must not be null");
    }

    /** The history of one training run. */
    public static TrainingHistory of(TrainingResult r) {
        return new TrainingHistory(r.history(), r.bestEpoch(), r.stop().name());
    }
}

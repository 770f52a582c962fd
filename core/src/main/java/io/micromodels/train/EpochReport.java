package io.micromodels.train;

/**
 * One finished epoch.
 *
 * @param epoch          1-based epoch number
 * @param trainLoss      mean minibatch training score over the epoch (data loss plus the L1/L2 penalty, as DL4J reports it)
 * @param validationLoss mean per-example data loss on the validation set (no penalty)
 * @param improved       whether this epoch set a new best validation loss
 * @param bestEpoch      the best epoch so far
 * @param seconds        wall-clock seconds since training started
 */
public record EpochReport(int epoch, double trainLoss, double validationLoss, boolean improved, int bestEpoch,
                          double seconds) {
    /** One progress line. */
    public String line() {
        return String.format(java.util.Locale.ROOT, "epoch %4d  train %.5f  val %.5f%s  (best %d, %.1fs)",
                epoch, trainLoss, validationLoss, improved ? " *" : "  ", bestEpoch, seconds);
    }
}

package io.micromodels.cli;

import io.micromodels.train.EpochListener;
import io.micromodels.train.EpochReport;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long training run on stderr: epoch, time per epoch, losses, elapsed time. Quiet for short runs (so
 * tests and pipes see nothing): a line is printed only once the run has lasted {@link #AFTER_SECONDS} seconds, then at
 * most one per {@link #EVERY_SECONDS} seconds (one per second on a terminal).
 */
final class EpochProgress implements EpochListener {
    static final double AFTER_SECONDS = 3.0;
    static final double EVERY_SECONDS = 5.0;

    private final PrintWriter err;
    private final int maxEpochs;
    private final double every;
    private double lastSeconds;
    private double lastPrinted = Double.NEGATIVE_INFINITY;
    private int lastEpoch;

    EpochProgress(PrintWriter err, int maxEpochs) {
        this.err = err;
        this.maxEpochs = maxEpochs;
        this.every = System.console() != null ? 1.0 : EVERY_SECONDS;
    }

    @Override
    public void onEpoch(EpochReport r) {
        double perEpoch = (r.seconds() - lastSeconds) / Math.max(1, r.epoch() - lastEpoch);
        if (r.seconds() >= AFTER_SECONDS && r.seconds() - lastPrinted >= every) {
            err.println(line(r, perEpoch, maxEpochs));
            err.flush();
            lastPrinted = r.seconds();
            lastSeconds = r.seconds();
            lastEpoch = r.epoch();
        }
    }

    /** One progress line; {@code perEpoch} is the mean time of the epochs since the previous line. */
    static String line(EpochReport r, double perEpoch, int maxEpochs) {
        return String.format(Locale.ROOT, "epoch %d/%d: %.2f s/epoch, train loss %.5f, val loss %.5f, best epoch %d, %.0f s elapsed",
                r.epoch(), maxEpochs, perEpoch, r.trainLoss(), r.validationLoss(), r.bestEpoch(), r.seconds());
    }
}

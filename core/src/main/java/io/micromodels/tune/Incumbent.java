package io.micromodels.tune;

import io.micromodels.train.Objective;
import io.micromodels.train.TrainingResult;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A study's best complete trial (ties go to the lower number, so workers sharing a study agree whatever order they
 * see trials in) and, when it ran in this process, its trained network: the one owner of trial
 * networks. Every finished trial is {@link #offer}ed once: a network that does not become the best is released at
 * once, and the best's network is released when a better trial replaces it, when it is {@link #take}n over by a
 * final model, or when the study is closed. Thread-safe.
 */
final class Incumbent implements AutoCloseable {
    private final Objective objective;
    private TrialRecord best;
    private MultiLayerNetwork network;

    Incumbent(Objective objective) {
        this.objective = objective;
    }

    /**
     * @param r       a finished trial
     * @param network its trained network (owned from now on), or null
     * @return whether {@code r} is the new best
     */
    synchronized boolean offer(TrialRecord r, MultiLayerNetwork network) {
        if (r.complete() && (best == null || objective.better(r.score(), best.score())
                || (Double.compare(r.score(), best.score()) == 0 && r.number() < best.number()))) {
            release(this.network);
            best = r;
            this.network = network;
            return true;
        }
        release(network);
        return false;
    }

    synchronized Optional<TrialRecord> best() {
        return Optional.ofNullable(best);
    }

    /** @return the best trial's network if it is trial {@code number}'s (the caller owns it from now on), else null */
    synchronized MultiLayerNetwork take(int number) {
        if (best == null || best.number() != number || network == null) {
            return null;
        }
        MultiLayerNetwork n = network;
        network = null;
        return n;
    }

    private static void release(MultiLayerNetwork n) {
        if (n != null) {
            TrainingResult.release(n);
        }
    }

    @Override
    public synchronized void close() {
        release(network);
        network = null;
    }
}

package io.micromodels.train;

import io.micromodels.spec.MicromodelSpec;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained network with the parameters of its best epoch, and how training went. Holds native memory, so
 * close it (or the model that takes it over) when done.
 *
 * @param network            the DL4J network, parameters restored to the best validation epoch
 * @param spec               the spec it was built from
 * @param bestEpoch          1-based epoch with the lowest validation loss
 * @param bestValidationLoss that loss
 * @param epochsRun          epochs actually run
 * @param stop               why training stopped
 * @param history            one report per epoch run
 * @param seconds            wall-clock seconds of the whole fit
 */
public record TrainingResult(MultiLayerNetwork network, MicromodelSpec spec, int bestEpoch, double bestValidationLoss,
                             int epochsRun, Stop stop, List<EpochReport> history, double seconds)
        implements AutoCloseable {

    /** Why training ended. */
    public enum Stop {
        /** Ran all {@code spec.epochs()} epochs. */
        MAX_EPOCHS,
        /** No validation improvement for {@code spec.patience()} epochs. */
        EARLY_STOPPED,
        /** A training or validation loss became NaN or infinite; the best finite epoch was kept, if any. */
        DIVERGED
    }

    /** Copies the history. */
    public TrainingResult {
        history = List.copyOf(history);
    }

    /** Frees the network's native memory (without the {@code System.gc()} of {@code MultiLayerNetwork.close()}). */
    @Override
    public void close() {
        release(network);
    }

    /**
     * Frees a network's parameters and updater state. Not {@code MultiLayerNetwork.close()}: that calls
     * {@code System.gc()} (about 7 ms here), and hundreds of forced collections in a row gave ND4J's deallocator
     * threads a window to free buffers native code was still using (a crash inside DL4J's {@code fit} was seen).
     */
    public static void release(MultiLayerNetwork net) {
        INDArray params = net.params();
        if (params != null && !params.wasClosed() && params.closeable()) {
            params.close();
        }
        if (net.getUpdater(false) != null) {
            INDArray state = net.getUpdater(false).getStateViewArray();
            if (state != null && !state.wasClosed() && state.closeable()) {
                state.close();
            }
        }
    }
}

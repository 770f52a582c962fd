package io.micromodels.train;

import io.micromodels.spec.MicromodelSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The epoch bookkeeping of early-stopped training, one place for every trainer of one network ({@link Trainer}, and
 * the Spark trainer of the {@code spark} module): keeps the parameters of the epoch with the lowest validation loss,
 * tells the listeners, and says when to stop (a non-finite loss: diverged; {@code patience} epochs without
 * improvement: early stopped). After the loop, {@link #result} puts the best parameters back into the network.
 *
 * <pre>{@code
 * EarlyStopping stopping = new EarlyStopping(spec, listeners);
 * for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
 *     double trainLoss = fitOneEpoch(net);
 *     if (stopping.epoch(epoch, trainLoss, validationLoss(net), net)) break;
 * }
 * TrainingResult result = stopping.result(net);
 * }</pre>
 */
public final class EarlyStopping {
    private final MicromodelSpec spec;
    private final EpochListener[] listeners;
    private final long start = System.nanoTime();
    private final List<EpochReport> history = new ArrayList<>();
    private INDArray bestParams;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int since;
    private TrainingResult.Stop stop = TrainingResult.Stop.MAX_EPOCHS;

    /**
     * Starts the clock.
     *
     * @param spec      the spec trained (its {@code patience}; 0 = never stop early)
     * @param listeners told about every epoch, in order
     */
    public EarlyStopping(MicromodelSpec spec, EpochListener... listeners) {
        this.spec = spec;
        this.listeners = listeners.clone();
    }

    /**
     * Records one finished epoch.
     *
     * @param epoch     1-based epoch number
     * @param trainLoss mean training loss of the epoch
     * @param valLoss   validation loss (or the selection loss) after the epoch
     * @param net       the network; its parameters are copied when this epoch is the best so far
     * @return whether training stops now (diverged or out of patience)
     */
    public boolean epoch(int epoch, double trainLoss, double valLoss, MultiLayerNetwork net) {
        boolean finite = Double.isFinite(trainLoss) && Double.isFinite(valLoss);
        boolean improved = finite && valLoss < best;
        if (improved) {
            best = valLoss;
            bestEpoch = epoch;
            bestParams = net.params().dup();
            since = 0;
        } else {
            since++;
        }
        EpochReport report = new EpochReport(epoch, trainLoss, valLoss, improved, bestEpoch, seconds());
        history.add(report);
        for (EpochListener l : listeners) {
            l.onEpoch(report);
        }
        if (!finite) {
            stop = TrainingResult.Stop.DIVERGED;
            return true;
        }
        if (spec.patience() > 0 && since >= spec.patience()) {
            stop = TrainingResult.Stop.EARLY_STOPPED;
            return true;
        }
        return false;
    }

    /**
     * Ends training: the best epoch's parameters go back into {@code net} (unchanged when no epoch was finite).
     *
     * @param net the network trained
     * @return the result, owning {@code net}
     */
    public TrainingResult result(MultiLayerNetwork net) {
        if (bestParams != null) {
            net.setParams(bestParams);
        }
        return new TrainingResult(net, spec, bestEpoch, best, history.size(), stop, List.copyOf(history), seconds());
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}

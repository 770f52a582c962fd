package io.micromodels.train;

import io.micromodels.seed.Seeds;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.frozen.TaskKind;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fits a {@link MicromodelSpec} on training data with early stopping on validation loss, keeping the best epoch.
 *
 * <p>The loop is DL4J's {@code EarlyStoppingTrainer} in spirit, written out so that every cost is visible and
 * small: each epoch shuffles the rows with a {@link SplittableRandom} on the spec seed's {@link Seeds#BATCH_ORDER}
 * fork (one gather per
 * epoch, then contiguous minibatch views), calls {@link MultiLayerNetwork#fit(INDArray, INDArray)} per minibatch,
 * scores the validation set without the L1/L2 penalty, and copies the parameters when they improve. Before each
 * epoch it sets the network's epoch count (0-based), which the spec's learning-rate schedule reads. Training
 * stops after {@code patience} epochs without improvement, at {@code epochs}, or when a loss stops being finite.
 *
 * <pre>{@code
 * MicromodelSpec spec = Micromodel.classifier(2).input(10).dense(32, Activation.RELU).seed(7).build();
 * try (TrainingResult r = Trainer.fit(spec, train, validation, report -> System.out.println(report.line()))) {
 *     INDArray probabilities = r.network().output(test.getFeatures());
 * }
 * }</pre>
 *
 * <p>Labels: one-hot {@code [n, classes]} for classifiers (a {@code [n, 2]} one-hot is accepted for a binary spec
 * and reduced to its positive column), {@code [n, outputs]} for regression. Features: {@code [n, inputs]}.
 */
public final class Trainer {
    private Trainer() {
    }

    /**
     * Trains a new network built from {@code spec}.
     *
     * @throws IllegalArgumentException when the data shapes do not match the spec, naming both
     */
    public static TrainingResult fit(MicromodelSpec spec, DataSet train, DataSet validation, EpochListener... listeners) {
        MultiLayerNetwork net = new MultiLayerNetwork(spec.toConfiguration());
        net.init();
        return fit(net, spec, train, validation, listeners);
    }

    /** Trains an already initialised network (for example one whose parameters were set by a test). */
    public static TrainingResult fit(MultiLayerNetwork net, MicromodelSpec spec, DataSet train, DataSet validation,
                                     EpochListener... listeners) {
        return fit(net, spec, train, validation, null, listeners);
    }

    /**
     * Trains a new network, keeping the epoch that {@code selection} scores lowest on the validation split instead of
     * the one with the lowest validation loss (patience counts epochs without a lower selection score).
     *
     * @param selection what to minimise on the validation split, or null for the validation loss
     */
    public static TrainingResult fitSelecting(MicromodelSpec spec, DataSet train, DataSet validation, Selection selection,
                                              EpochListener... listeners) {
        MultiLayerNetwork net = new MultiLayerNetwork(spec.toConfiguration());
        net.init();
        return fit(net, spec, train, validation, selection, listeners);
    }

    /**
     * What early stopping and model selection minimise after each epoch, when not the validation loss: for example
     * the negated validation AUC. The epoch reports' {@code validationLoss} carries this value.
     */
    @FunctionalInterface
    public interface Selection {
        /**
         * @param net the network after an epoch (inference mode; do not train it)
         * @return the value to minimise; NaN or infinite counts as a divergence
         */
        double loss(MultiLayerNetwork net);
    }

    private static TrainingResult fit(MultiLayerNetwork net, MicromodelSpec spec, DataSet train, DataSet validation,
                                      Selection selection, EpochListener... listeners) {
        DataSet tr = conform(spec, train, "training");
        DataSet va = conform(spec, validation, "validation");
        SplittableRandom rng = Seeds.random(spec.seed(), Seeds.BATCH_ORDER);
        // DL4J draws dropout masks from the thread's ND4J random: its own fork, whatever initialisation drew before
        Nd4j.getRandom().setSeed(Seeds.fork(spec.seed(), Seeds.DROPOUT));
        int n = tr.numExamples();
        int bs = Math.min(spec.batchSize(), n);
        INDArray x = tr.getFeatures();
        INDArray y = tr.getLabels();
        INDArray w = tr.getLabelsMaskArray();
        EarlyStopping stopping = new EarlyStopping(spec, listeners);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        ExampleWeightedLoss weighted = w == null ? null : ExampleWeightedLoss.install(net);
        try {
        for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
            shuffle(order, rng);
            // DL4J counts epochs only in fit(DataSetIterator); its learning-rate schedule reads this count
            net.setEpochCount(epoch - 1);
            INDArray xs = Nd4j.pullRows(x, 1, order);
            INDArray ys = Nd4j.pullRows(y, 1, order);
            INDArray ws = w == null ? null : Nd4j.pullRows(w, 1, order);
            double lossSum = 0;
            for (int from = 0; from < n; from += bs) {
                int to = Math.min(n, from + bs);
                if (weighted != null) {
                    weighted.batch(ws.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
                }
                net.fit(xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                        ys.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
                lossSum += net.score() * (to - from);
            }
            if (weighted != null) {
                weighted.batch(null);
            }
            double trainLoss = lossSum / n;
            double valLoss = selection == null ? validationLoss(net, va) : selection.loss(net);
            if (stopping.epoch(epoch, trainLoss, valLoss, net)) {
                break;
            }
        }
        } finally {
            if (weighted != null) {
                weighted.uninstall(net);
            }
        }
        return stopping.result(net);
    }

    /**
     * Mean per-example data loss (no L1/L2 penalty) of {@code net} on {@code data}; with a labels mask {@code [n, 1]}
     * (per-example weights, see {@link #conform}), {@code sum_i w_i loss_i / n}.
     */
    public static double validationLoss(MultiLayerNetwork net, DataSet data) {
        INDArray w = data.getLabelsMaskArray();
        if (w == null) {
            return net.scoreExamples(data, false).meanNumber().doubleValue();
        }
        // per-example losses [n] (no mask), then weighted as DL4J weighs a training minibatch: sum w_i l_i / n
        INDArray perExample = net.scoreExamples(new DataSet(data.getFeatures(), data.getLabels()), false);
        INDArray weights = w.reshape(perExample.shape()).castTo(perExample.dataType());
        return perExample.mul(weights).meanNumber().doubleValue();
    }

    /**
     * Checks shapes against the spec and returns the data in the form the network trains on (float32; a binary
     * spec's {@code [n, 2]} one-hot labels reduced to the positive column). A labels mask {@code [n, 1]} is kept as
     * per-example loss weights ({@link ClassWeight} makes one): each row's loss and gradient are multiplied by its
     * weight and the minibatch mean still divides by the number of rows; weights must be finite and non-negative.
     */
    public static DataSet conform(MicromodelSpec spec, DataSet data, String what) {
        if (data == null || data.getFeatures() == null || data.getLabels() == null) {
            throw new IllegalArgumentException(what + " data must have features and labels");
        }
        INDArray f = data.getFeatures();
        INDArray l = data.getLabels();
        if (f.rank() != 2 || l.rank() != 2 || f.size(0) != l.size(0)) {
            throw new IllegalArgumentException(what + " data: features " + java.util.Arrays.toString(f.shape())
                    + " and labels " + java.util.Arrays.toString(l.shape()) + " must be [n, width] with the same n");
        }
        if (f.size(0) == 0) {
            throw new IllegalArgumentException(what + " data has no rows");
        }
        if (f.size(1) != spec.inputs()) {
            throw new IllegalArgumentException(what + " data has " + f.size(1) + " features but the spec expects inputs = "
                    + spec.inputs());
        }
        if (spec.output() == TaskKind.BINARY && l.size(1) == 2) {
            l = l.getColumns(1);
        }
        if (l.size(1) != spec.outputs()) {
            throw new IllegalArgumentException(what + " data has " + l.size(1) + " label columns but the spec's "
                    + spec.output().name().toLowerCase(java.util.Locale.ROOT) + " output has outputs = " + spec.outputs());
        }
        if (f.dataType() != DataType.FLOAT) {
            f = f.castTo(DataType.FLOAT);
        }
        if (l.dataType() != DataType.FLOAT) {
            l = l.castTo(DataType.FLOAT);
        }
        INDArray w = data.getLabelsMaskArray();
        if (w != null) {
            if (w.length() != f.size(0) || (w.rank() == 2 && w.size(1) != 1) || w.rank() > 2) {
                throw new IllegalArgumentException(what + " data: the labels mask (per-example weights) has shape "
                        + java.util.Arrays.toString(w.shape()) + ", expected [" + f.size(0) + ", 1]");
            }
            w = w.reshape(f.size(0), 1).castTo(DataType.FLOAT);
            double min = w.minNumber().doubleValue();
            double max = w.maxNumber().doubleValue();
            if (!(min >= 0) || !Double.isFinite(max)) {
                throw new IllegalArgumentException(what + " data: per-example weights must be finite and >= 0, got values in ["
                        + min + ", " + max + "]");
            }
        }
        return new DataSet(f, l, null, w);
    }

    /**
     * The batch order of every trainer of this project (this one, populations, stepped populations): Fisher-Yates from
     * the end, so a population member sees exactly the order it would see trained alone.
     *
     * @param a   shape {@code [n]}: shuffled in place
     * @param rng the batch-order stream ({@code Seeds.BATCH_ORDER})
     */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

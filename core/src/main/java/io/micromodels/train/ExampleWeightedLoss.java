package io.micromodels.train;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A DL4J loss that multiplies another loss's per-example scores and gradients by per-example weights
 * {@code [rows, 1]} set before each minibatch ({@link #batch}); with no weights set it is the other loss unchanged.
 * The {@link Trainer} installs it on a network's output layer for the time of a weighted fit and puts the original
 * loss back afterwards, so a saved network never holds it.
 *
 * <p>Why not DL4J's per-example labels mask: {@code MultiLayerNetwork.fit(x, y, null, mask)} also multiplies the output
 * layer's pre-activations by the mask (right for 0/1 masks, wrong for weights: measured, a mask of 2 did not double the
 * gradient), and {@code LossMCXENT}'s class weights do not exist for a single sigmoid output.
 */
final class ExampleWeightedLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;
    private final ILossFunction inner;
    private transient INDArray weights;

    private ExampleWeightedLoss(ILossFunction inner) {
        this.inner = inner;
    }

    /** Wraps the output layer's loss of {@code net}; returns the wrapper (call {@link #uninstall} when done). */
    static ExampleWeightedLoss install(MultiLayerNetwork net) {
        BaseOutputLayer conf = outputConf(net);
        ExampleWeightedLoss w = new ExampleWeightedLoss(conf.getLossFn());
        conf.setLossFn(w);
        return w;
    }

    /** Puts the original loss back. */
    void uninstall(MultiLayerNetwork net) {
        outputConf(net).setLossFn(inner);
    }

    private static BaseOutputLayer outputConf(MultiLayerNetwork net) {
        return (BaseOutputLayer) net.getLayer(net.getnLayers() - 1).conf().getLayer();
    }

    /** @param w the next minibatch's weights {@code [rows, 1]}, or null for none */
    void batch(INDArray w) {
        this.weights = w;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        if (weights == null) {
            return inner.computeScore(labels, preOutput, activationFn, mask, average);
        }
        double s = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? s / labels.size(0) : s;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray s = inner.computeScoreArray(labels, preOutput, activationFn, mask);
        return weights == null ? s : s.muliColumnVector(weights.castTo(s.dataType()));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray g = inner.computeGradient(labels, preOutput, activationFn, mask);
        return weights == null ? g : g.muliColumnVector(weights.castTo(g.dataType()));
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                         INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "weighted(" + inner.name() + ")";
    }
}

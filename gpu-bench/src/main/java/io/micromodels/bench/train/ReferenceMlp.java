package io.micromodels.bench.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The benchmark MLP, built directly with DL4J's {@link NeuralNetConfiguration.Builder}:
 * 10 inputs, two ReLU hidden layers of width W, 2-way softmax output with MCXENT loss,
 * dropout 0.1 on the hidden activations, L2 1e-4 on the weights, Adam with learning rate 1e-3.
 *
 * <p>DL4J's {@code dropOut(p)} takes the RETAIN probability and applies to a layer's input, so
 * "drop 0.1 after each hidden layer" (PyTorch's {@code Dropout(0.1)} after each ReLU) is
 * {@code dropOut(0.9)} on the second hidden layer and on the output layer; the raw features
 * are not dropped. The coordinator will later replace this with the project's spec builder.
 */
public final class ReferenceMlp {

    /** Number of classes. */
    public static final int OUTPUTS = 2;
    /** Retain probability (drop 0.1). */
    public static final double RETAIN = 0.9;
    public static final double L2 = 1e-4;
    public static final double LEARNING_RATE = 1e-3;

    private ReferenceMlp() {
    }

    /** A new, initialised 10-W-W-2 network with the given settings. */
    public static MultiLayerNetwork build(int width, TrainSettings s, long seed) {
        WorkspaceMode ws = s.workspaces() ? WorkspaceMode.ENABLED : WorkspaceMode.NONE;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.valueOf(s.dtype()))
                .updater(new Adam(LEARNING_RATE))
                .l2(L2)
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(ws)
                .inferenceWorkspaceMode(ws)
                .list()
                .layer(new DenseLayer.Builder().nIn(SyntheticData.FEATURES).nOut(width).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(width).nOut(width).activation(Activation.RELU).dropOut(RETAIN).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(OUTPUTS)
                        .activation(Activation.SOFTMAX).dropOut(RETAIN).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}

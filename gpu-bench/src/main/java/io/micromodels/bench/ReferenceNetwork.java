package io.micromodels.bench;

import io.micromodels.frozen.Activation;
import io.micromodels.frozen.FrozenLayer;
import io.micromodels.frozen.FrozenNetwork;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The one reference network of the benchmarks, defined once as a spec ({@link #spec}): 10 inputs, two ReLU hidden
 * layers of width W (32 by default), a 2-way softmax output with cross-entropy loss, drop rate 0.1 after each hidden
 * layer, L2 1e-4 on the weights, Adam with learning rate 1e-3 (the PyTorch peers build the same network). The training,
 * inference and population benchmarks take it from here: as the spec, as a DL4J network of a chosen data type and
 * workspace modes ({@link #dl4j}), or as a frozen network with seeded He-initialised float32-representable weights for
 * runs without ND4J ({@link #frozen}).
 */
public final class ReferenceNetwork {
    /** Input features. */
    public static final int INPUTS = 10;
    /** Width of each hidden layer of the reference 10-32-32-2. */
    public static final int WIDTH = 32;
    /** Classes. */
    public static final int OUTPUTS = 2;
    /** Drop rate after each hidden layer (DL4J: retain 0.9 on the next layer's input). */
    public static final double DROP_RATE = 0.1;
    /** L2 penalty on the weights. */
    public static final double L2 = 1e-4;
    /** Adam's learning rate. */
    public static final double LEARNING_RATE = 1e-3;

    private ReferenceNetwork() {
    }

    /** The reference network of hidden width {@code width} as a spec (batch 64, the defaults otherwise). */
    public static MicromodelSpec spec(int width, long seed) {
        return Micromodel.classifier(OUTPUTS).input(INPUTS)
                .dense(width, Activation.RELU).dropout(DROP_RATE)
                .dense(width, Activation.RELU).dropout(DROP_RATE)
                .l2(L2).adam(LEARNING_RATE).batchSize(64).seed(seed).build();
    }

    /** Layer widths, input first: {@code {10, width, width, 2}}. */
    public static int[] widths(int width) {
        MicromodelSpec s = spec(width, 0);
        int[] w = new int[s.hidden().size() + 2];
        w[0] = s.inputs();
        for (int i = 0; i < s.hidden().size(); i++) {
            w[i + 1] = s.hidden().get(i).width();
        }
        w[w.length - 1] = s.outputs();
        return w;
    }

    /**
     * A new, initialised DL4J network of {@link #spec}'s configuration, with the given data type and workspace modes.
     *
     * @param dtype data type of the parameters and activations (FLOAT or DOUBLE)
     */
    public static MultiLayerNetwork dl4j(int width, long seed, DataType dtype, WorkspaceMode training, WorkspaceMode inference) {
        MultiLayerConfiguration conf = spec(width, seed).toConfiguration();
        conf.setDataType(dtype);
        for (NeuralNetConfiguration c : conf.getConfs()) {
            c.setDataType(dtype);
        }
        conf.setTrainingWorkspaceMode(training);
        conf.setInferenceWorkspaceMode(inference);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The reference 10-32-32-2 as a frozen network (no ND4J): He-initialised weights (standard deviation
     * {@code sqrt(2 / nIn)}) and biases of standard deviation 0.1, each rounded to float32 as if copied out of DL4J.
     */
    public static FrozenNetwork frozen(long seed) {
        MicromodelSpec s = spec(WIDTH, seed);
        List<Activation> activations = new ArrayList<>();
        for (HiddenLayer h : s.hidden()) {
            activations.add(h.activation());
        }
        activations.add(Activation.SOFTMAX);
        return random(seed, activations, widths(WIDTH));
    }

    /** A random dense network of the given widths and activations (one per layer), float32-representable weights. */
    public static FrozenNetwork random(long seed, List<Activation> activations, int... widths) {
        Random rnd = new Random(seed);
        List<FrozenLayer> layers = new ArrayList<>();
        for (int k = 0; k + 1 < widths.length; k++) {
            int nIn = widths[k];
            int nOut = widths[k + 1];
            double[][] w = new double[nIn][nOut];
            double scale = Math.sqrt(2.0 / nIn);
            for (double[] row : w) for (int j = 0; j < nOut; j++) row[j] = (float) (rnd.nextGaussian() * scale);
            double[] b = new double[nOut];
            for (int j = 0; j < nOut; j++) b[j] = (float) (rnd.nextGaussian() * 0.1);
            layers.add(FrozenLayer.dense(w, b, activations.get(k)));
        }
        return FrozenNetwork.of(layers);
    }
}

package io.micromodels.spec;

import io.micromodels.frozen.TaskKind;
import io.micromodels.seed.Seeds;
import io.micromodels.frozen.Activation;
import io.micromodels.json.StrictJson;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A micromodel: an immutable, validated description of a small dense network and how to train it.
 *
 * <p>It is plain data: it round-trips exactly through JSON ({@link #toJson()}, {@link #fromJson(String)}; an
 * unknown or missing key is an error naming the key) and becomes a DL4J {@link MultiLayerConfiguration} with
 * {@link #toConfiguration()}. People usually build one with the fluent {@link Micromodel} builder:
 *
 * <pre>{@code
 * MicromodelSpec spec = Micromodel.classifier(2).input(20)
 *         .dense(32, Activation.RELU).dropout(0.1)
 *         .dense(16, Activation.RELU)
 *         .l2(1e-4).adam(1e-3).seed(7).build();
 * MultiLayerNetwork net = new MultiLayerNetwork(spec.toConfiguration());
 * net.init();
 * }</pre>
 *
 * <p>Weights of ReLU-family layers start with He initialisation, the others with Xavier; L1 and L2 act on
 * weights, not biases; the network computes in float32. Specs are {@link java.io.Serializable} because Arbiter's
 * candidate generators copy candidate values by Java serialization.
 *
 * @param inputs    input width (number of features), in [1, 100000]
 * @param hidden    hidden layers in order, at most 16 (empty = a linear model)
 * @param output    what the output layer predicts
 * @param outputs   output units: 1 for binary, the number of classes (&ge; 2) for multiclass, &ge; 1 for regression
 * @param loss      training loss; must fit {@code output}
 * @param updater   optimiser, learning rate, learning-rate schedule (over {@code epochs}) and decoupled weight decay
 * @param l1        L1 penalty coefficient on weights, in [0, 10]
 * @param l2        L2 penalty coefficient on weights, in [0, 10]
 * @param seed      root seed of one training: weight initialisation, minibatch order and dropout masks each use their
 *                  own fork of it ({@link Seeds#INIT}, {@link Seeds#BATCH_ORDER}, {@link Seeds#DROPOUT})
 * @param epochs    maximum passes over the training data, in [1, 100000]
 * @param batchSize minibatch size, in [1, 1048576]
 * @param patience  epochs without a better validation loss before training stops, in [0, 100000]; 0 = never stop early
 */
public record MicromodelSpec(int inputs, List<HiddenLayer> hidden, TaskKind output, int outputs, Loss loss,
                             Updater updater, double l1, double l2, long seed, int epochs, int batchSize,
                             int patience) implements java.io.Serializable {

    /** Largest number of hidden layers. */
    public static final int MAX_HIDDEN_LAYERS = 16;

    /** Validates every field; messages name the field, the allowed range and the value. */
    public MicromodelSpec {
        if (inputs < 1 || inputs > 100_000) {
            throw new IllegalArgumentException("inputs must be in [1, 100000], got " + inputs);
        }
        if (hidden == null) {
            throw new IllegalArgumentException("hidden must be a list (empty for a linear model), got null");
        }
        if (hidden.size() > MAX_HIDDEN_LAYERS) {
            throw new IllegalArgumentException("hidden must have at most " + MAX_HIDDEN_LAYERS + " layers, got " + hidden.size());
        }
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) == null) {
                throw new IllegalArgumentException("hidden[" + i + "] must be a layer, got null");
            }
        }
        hidden = List.copyOf(hidden);
        if (output == null) {
            throw new IllegalArgumentException("output must be one of [binary, multiclass, regression], got null");
        }
        switch (output) {
            case BINARY -> {
                if (outputs != 1) {
                    throw new IllegalArgumentException("outputs must be 1 for a binary output, got " + outputs);
                }
            }
            case MULTICLASS -> {
                if (outputs < 2 || outputs > 10_000) {
                    throw new IllegalArgumentException("outputs must be in [2, 10000] for a multiclass output, got " + outputs);
                }
            }
            case REGRESSION -> {
                if (outputs < 1 || outputs > 10_000) {
                    throw new IllegalArgumentException("outputs must be in [1, 10000] for a regression output, got " + outputs);
                }
            }
        }
        if (loss == null) {
            throw new IllegalArgumentException("loss must be given, got null");
        }
        if (!loss.fits(output)) {
            throw new IllegalArgumentException("loss " + loss + " does not fit a " + output + " output; use " + Loss.defaultFor(output));
        }
        if (updater == null) {
            throw new IllegalArgumentException("updater must be given, got null");
        }
        checkRange("l1", l1, 0, 10);
        checkRange("l2", l2, 0, 10);
        if (epochs < 1 || epochs > 100_000) {
            throw new IllegalArgumentException("epochs must be in [1, 100000], got " + epochs);
        }
        if (batchSize < 1 || batchSize > 1 << 20) {
            throw new IllegalArgumentException("batchSize must be in [1, 1048576], got " + batchSize);
        }
        if (patience < 0 || patience > 100_000) {
            throw new IllegalArgumentException("patience must be in [0, 100000], got " + patience);
        }
    }

    private static void checkRange(String field, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + "], got " + value);
        }
    }

    /**
     * The DL4J network configuration: {@code hidden.size()} dense layers and one output layer, float32.
     * A hidden layer's drop rate p becomes {@code dropOut(1 - p)} on the layer after it (DL4J applies dropout
     * to a layer's input and takes the retain probability). Weight decay is DL4J's {@code WeightDecay(weightDecay,
     * applyLR = true)} set on each layer: set on the network builder, DL4J 1.0.0-M2.1 puts it in each layer's
     * regularization list twice and so decays twice as fast (seen in the configuration JSON and in the step:
     * {@code ScheduleAndWeightDecayTest}).
     */
    public MultiLayerConfiguration toConfiguration() {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(Seeds.fork(seed, Seeds.INIT))
                .dataType(DataType.FLOAT)
                .updater(updater.toDl4j(epochs))
                .l1(l1)
                .l2(l2);
        NeuralNetConfiguration.ListBuilder list = builder.list();
        int width = inputs;
        double dropBefore = 0;
        for (int i = 0; i < hidden.size(); i++) {
            HiddenLayer h = hidden.get(i);
            DenseLayer.Builder layer = new DenseLayer.Builder()
                    .nIn(width).nOut(h.width())
                    .activation(org.nd4j.linalg.activations.Activation.valueOf(h.activation().name()))
                    .weightInit(initFor(h.activation()));
            if (dropBefore > 0) {
                layer.dropOut(1 - dropBefore);
            }
            if (updater.weightDecay() > 0) {
                layer.weightDecay(updater.weightDecay(), true);
            }
            list.layer(i, layer.build());
            width = h.width();
            dropBefore = h.dropRate();
        }
        OutputLayer.Builder out = new OutputLayer.Builder(loss.toDl4j())
                .nIn(width).nOut(outputs)
                .activation(outputActivation())
                .weightInit(WeightInit.XAVIER);
        if (dropBefore > 0) {
            out.dropOut(1 - dropBefore);
        }
        if (updater.weightDecay() > 0) {
            out.weightDecay(updater.weightDecay(), true);
        }
        list.layer(hidden.size(), out.build());
        return list.build();
    }

    /** The output layer's activation: sigmoid, softmax or identity. */
    public org.nd4j.linalg.activations.Activation outputActivation() {
        return switch (output) {
            case BINARY -> org.nd4j.linalg.activations.Activation.SIGMOID;
            case MULTICLASS -> org.nd4j.linalg.activations.Activation.SOFTMAX;
            case REGRESSION -> org.nd4j.linalg.activations.Activation.IDENTITY;
        };
    }

    private static WeightInit initFor(Activation a) {
        return switch (a) {
            case RELU, LEAKYRELU, ELU -> WeightInit.RELU;
            default -> WeightInit.XAVIER;
        };
    }

    /** Number of trainable parameters (weights and biases). */
    public long parameterCount() {
        long count = 0;
        int width = inputs;
        for (HiddenLayer h : hidden) {
            count += (long) width * h.width() + h.width();
            width = h.width();
        }
        return count + (long) width * outputs + outputs;
    }

    /** A short human description such as {@code 20-32-16-2 relu}. */
    public String shape() {
        StringBuilder sb = new StringBuilder().append(inputs);
        for (HiddenLayer h : hidden) {
            sb.append('-').append(h.width());
        }
        sb.append('-').append(outputs);
        if (!hidden.isEmpty()) {
            sb.append(' ').append(hidden.get(0).activation().jsonName());
        }
        return sb.toString();
    }

    /** A copy with another seed. */
    public MicromodelSpec withSeed(long newSeed) {
        return new MicromodelSpec(inputs, hidden, output, outputs, loss, updater, l1, l2, newSeed, epochs, batchSize, patience);
    }

    /** A copy with another input width (the data decides it). */
    public MicromodelSpec withInputs(int newInputs) {
        return new MicromodelSpec(newInputs, hidden, output, outputs, loss, updater, l1, l2, seed, epochs, batchSize, patience);
    }

    /** This spec as pretty-printed JSON; {@link #fromJson(String)} gives back an equal spec. */
    public String toJson() {
        return StrictJson.write(this);
    }

    /**
     * Reads a spec from JSON.
     *
     * @throws IllegalArgumentException naming an unknown or missing key, a wrong type, or an invalid value
     */
    public static MicromodelSpec fromJson(String json) {
        return StrictJson.read(json, MicromodelSpec.class, "spec");
    }
}

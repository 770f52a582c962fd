package io.micromodels.spec;

import io.micromodels.frozen.Activation;

/**
 * One dense hidden layer of a micromodel.
 *
 * @param width      number of units, in [1, 4096]
 * @param activation activation function, any but {@link Activation#SOFTMAX} (an output activation)
 * @param dropRate   probability of <em>dropping</em> each of this layer's outputs during training, in [0, 1)
 *                   (PyTorch/Keras convention; DL4J's {@code dropOut(x)} takes the probability of keeping,
 *                   so this becomes {@code dropOut(1 - dropRate)} on the next layer); 0 = no dropout
 */
public record HiddenLayer(int width, Activation activation, double dropRate) implements java.io.Serializable {
    /** Largest allowed width. */
    public static final int MAX_WIDTH = 4096;

    /** Validates every field; messages name the field, the allowed range and the value. */
    public HiddenLayer {
        if (width < 1 || width > MAX_WIDTH) {
            throw new IllegalArgumentException("width must be in [1, " + MAX_WIDTH + "], got " + width);
        }
        if (activation == null || !activation.hiddenLayer()) {
            throw new IllegalArgumentException("activation must be one of " + Activation.hiddenLayerActivations().stream()
                    .map(Activation::jsonName).toList() + ", got " + (activation == null ? null : activation.jsonName()));
        }
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw new IllegalArgumentException("dropRate must be in [0, 1), got " + dropRate);
        }
    }
}

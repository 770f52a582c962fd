package io.micromodels.frozen;

/** What a micromodel predicts. */
public enum TaskKind {
    /**
     * Two classes. The network ends in a {@link Activation#SIGMOID} layer of width 1 (its output is the
     * probability of the second class label) or a {@link Activation#SOFTMAX} layer of width 2.
     */
    BINARY,
    /** Two or more classes; the network ends in a {@link Activation#SOFTMAX} layer, one output per class label. */
    MULTICLASS,
    /** One or more real values, one per network output, each mapped through {@code value * targetScale + targetShift}. */
    REGRESSION;

    /** Whether this is {@link #BINARY} or {@link #MULTICLASS}. */
    public boolean isClassification() {
        return this != REGRESSION;
    }
}

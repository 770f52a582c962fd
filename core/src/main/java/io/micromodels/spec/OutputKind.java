package io.micromodels.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a micromodel's output layer predicts.
 *
 * <ul>
 *   <li>{@link #BINARY}: one sigmoid unit, the probability of the positive class, binary cross-entropy;</li>
 *   <li>{@link #MULTICLASS}: n &ge; 2 softmax units, one probability per class, cross-entropy (a two-class
 *       softmax is how {@code Micromodel.classifier(2)} and the reference 10-32-32-2 model are built);</li>
 *   <li>{@link #REGRESSION}: n &ge; 1 identity units, mean squared (or absolute) error.</li>
 * </ul>
 */
public enum OutputKind {
    @JsonProperty("binary") BINARY,
    @JsonProperty("multiclass") MULTICLASS,
    @JsonProperty("regression") REGRESSION;

    /** True for {@link #BINARY} and {@link #MULTICLASS}. */
    public boolean isClassification() {
        return this != REGRESSION;
    }

    /** The loss a model of this kind uses unless told otherwise. */
    public Loss defaultLoss() {
        return switch (this) {
            case BINARY -> Loss.BINARY_CROSS_ENTROPY;
            case MULTICLASS -> Loss.CROSS_ENTROPY;
            case REGRESSION -> Loss.MSE;
        };
    }
}

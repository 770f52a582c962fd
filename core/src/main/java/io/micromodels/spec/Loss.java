package io.micromodels.spec;

import io.micromodels.frozen.TaskKind;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A micromodel's training loss, named as in spec JSON; each is valid for some {@link TaskKind}s only. */
public enum Loss {
    /** Binary cross-entropy on one sigmoid unit (DL4J {@code XENT}). */
    @JsonProperty("binary_cross_entropy") BINARY_CROSS_ENTROPY(LossFunctions.LossFunction.XENT),
    /** Cross-entropy on softmax units (DL4J {@code MCXENT}). */
    @JsonProperty("cross_entropy") CROSS_ENTROPY(LossFunctions.LossFunction.MCXENT),
    /** Mean squared error (DL4J {@code MSE}). */
    @JsonProperty("mse") MSE(LossFunctions.LossFunction.MSE),
    /** Mean absolute error (DL4J {@code L1}). */
    @JsonProperty("mae") MAE(LossFunctions.LossFunction.L1);

    private final LossFunctions.LossFunction dl4j;

    Loss(LossFunctions.LossFunction dl4j) {
        this.dl4j = dl4j;
    }

    /** The DL4J loss function. */
    public LossFunctions.LossFunction toDl4j() {
        return dl4j;
    }

    /** Whether this loss fits an output layer of the given kind. */
    public boolean fits(TaskKind kind) {
        return switch (this) {
            case BINARY_CROSS_ENTROPY -> kind == TaskKind.BINARY;
            case CROSS_ENTROPY -> kind == TaskKind.MULTICLASS;
            case MSE, MAE -> kind == TaskKind.REGRESSION;
        };
    }

    /** The loss an output layer of this kind uses unless told otherwise. */
    public static Loss defaultFor(TaskKind kind) {
        return switch (kind) {
            case BINARY -> BINARY_CROSS_ENTROPY;
            case MULTICLASS -> CROSS_ENTROPY;
            case REGRESSION -> MSE;
        };
    }
}

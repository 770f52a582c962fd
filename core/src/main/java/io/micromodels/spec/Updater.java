package io.micromodels.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The optimiser that updates a micromodel's weights, and its learning rate.
 *
 * <p>Adam uses DL4J's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8), Nesterov momentum 0.9,
 * RMSProp decay 0.95 and epsilon 1e-8.
 *
 * @param kind         which optimiser
 * @param learningRate step size, in (0, 1]
 */
public record Updater(Kind kind, double learningRate) implements java.io.Serializable {

    /** The optimisers a spec can name. */
    public enum Kind {
        @JsonProperty("adam") ADAM,
        @JsonProperty("sgd") SGD,
        @JsonProperty("nesterov") NESTEROV,
        @JsonProperty("rmsprop") RMSPROP
    }

    /** Validates every field; messages name the field, the allowed range and the value. */
    public Updater {
        if (kind == null) {
            throw new IllegalArgumentException("updater kind must be one of [adam, sgd, nesterov, rmsprop], got null");
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
    }

    /** Adam with the given learning rate. */
    public static Updater adam(double learningRate) {
        return new Updater(Kind.ADAM, learningRate);
    }

    /** The DL4J updater configuration. */
    public IUpdater toDl4j() {
        return switch (kind) {
            case ADAM -> new Adam(learningRate);
            case SGD -> new Sgd(learningRate);
            case NESTEROV -> new Nesterovs(learningRate, 0.9);
            case RMSPROP -> new RmsProp(learningRate);
        };
    }
}

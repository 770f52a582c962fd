package io.micromodels.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A hidden layer's activation function, as it is written in spec JSON ({@code "relu"}, {@code "tanh"}, ...).
 *
 * <p>Each maps to the DL4J activation of the same name; {@link #LEAKYRELU} uses DL4J's default slope 0.01
 * and {@link #ELU} its default alpha 1.0.
 */
public enum Activation {
    @JsonProperty("relu") RELU(org.nd4j.linalg.activations.Activation.RELU),
    @JsonProperty("leakyrelu") LEAKYRELU(org.nd4j.linalg.activations.Activation.LEAKYRELU),
    @JsonProperty("elu") ELU(org.nd4j.linalg.activations.Activation.ELU),
    @JsonProperty("tanh") TANH(org.nd4j.linalg.activations.Activation.TANH),
    @JsonProperty("sigmoid") SIGMOID(org.nd4j.linalg.activations.Activation.SIGMOID),
    @JsonProperty("identity") IDENTITY(org.nd4j.linalg.activations.Activation.IDENTITY);

    private final org.nd4j.linalg.activations.Activation dl4j;

    Activation(org.nd4j.linalg.activations.Activation dl4j) {
        this.dl4j = dl4j;
    }

    /** The DL4J activation this stands for. */
    public org.nd4j.linalg.activations.Activation toDl4j() {
        return dl4j;
    }

    /** The spec JSON name, e.g. {@code relu}. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Parses a JSON/CLI name such as {@code relu}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.jsonName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation must be one of " + java.util.Arrays.stream(values())
                .map(Activation::jsonName).toList() + ", got '" + name + "'");
    }
}

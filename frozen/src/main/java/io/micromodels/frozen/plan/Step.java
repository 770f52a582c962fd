package io.micromodels.frozen.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The compiled preprocessing of one raw input column: parses the cell and writes {@link #width()} features.
 *
 * <p>Steps are immutable and thread-safe.
 * In JSON a step is an object whose {@code "kind"} names its type: {@code numeric}, {@code boolean}, {@code categorical},
 * {@code datetime} or {@code encoded_numeric}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = NumericStep.class, name = "numeric"),
        @JsonSubTypes.Type(value = BooleanStep.class, name = "boolean"),
        @JsonSubTypes.Type(value = CategoricalStep.class, name = "categorical"),
        @JsonSubTypes.Type(value = DateTimeStep.class, name = "datetime"),
        @JsonSubTypes.Type(value = EncodedNumericStep.class, name = "encoded_numeric")})
public sealed interface Step permits NumericStep, BooleanStep, CategoricalStep, DateTimeStep, EncodedNumericStep {
    /** The raw column this step reads. */
    String column();

    /** Features written, a missing-indicator feature included. */
    int width();

    /** Names of the features written, [width()], e.g. {@code purpose=car}, {@code date:hour_sin}, {@code Income:missing}. */
    java.util.List<String> featureNames();

    /**
     * Writes this column's features for one cell into {@code out[offset .. offset + width())}.
     *
     * @throws IllegalArgumentException naming the column and the value when the cell cannot be parsed
     */
    void apply(String cell, double[] out, int offset);
}

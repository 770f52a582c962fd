package io.micromodels.frozen;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The project's one task kind: what a model predicts, from the data pipeline's target through the spec's output layer
 * and the metrics to the frozen model.
 *
 * <ul>
 *   <li>{@link #BINARY}: exactly two classes, one of them the positive class. The data pipeline infers it for a target
 *       with exactly two distinct values. A spec with a {@code BINARY} output ends in one sigmoid unit (the positive
 *       class's probability); a frozen model of this kind may also end in a two-way softmax.</li>
 *   <li>{@link #MULTICLASS}: two or more mutually exclusive classes, one softmax probability per class. The data
 *       pipeline infers it for three or more distinct target values (a numeric target with more than ten is
 *       {@link #REGRESSION}); a two-class problem may be given this kind (a two-way softmax, how
 *       {@code Micromodel.classifier(2)} is built), so "multiclass" means <em>k &ge; 2</em> everywhere.</li>
 *   <li>{@link #REGRESSION}: one or more real values.</li>
 * </ul>
 *
 * <p>JSON: the Jackson spelling of this enum is the lower-case {@link #jsonName()} ({@code "binary"}), as in spec,
 * study and metrics JSON; the frozen model format and the data pipeline's {@code pipeline.json} write the constant
 * name ({@code "BINARY"}), as they always have, through {@link ConstantName}.
 */
public enum TaskKind {
    /** Two classes, one positive. */
    @JsonProperty("binary") BINARY,
    /** Two or more classes, one probability each. */
    @JsonProperty("multiclass") MULTICLASS,
    /** One or more real values. */
    @JsonProperty("regression") REGRESSION;

    /** Whether this is {@link #BINARY} or {@link #MULTICLASS}. */
    public boolean isClassification() {
        return this != REGRESSION;
    }

    /** The lower-case name used in spec JSON and on the command line, e.g. {@code binary}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a task kind by its {@link #jsonName()}, e.g. {@code binary}.
     *
     * @throws IllegalArgumentException naming the allowed values and the value
     */
    public static TaskKind parse(String name) {
        for (TaskKind k : values()) {
            if (k.jsonName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("task must be one of " + Arrays.stream(values()).map(TaskKind::jsonName).toList()
                + ", got '" + name + "'");
    }

    /**
     * The constant-name JSON spelling ({@code "BINARY"}) of the frozen format and {@code pipeline.json}: annotate a
     * field with {@code @JsonSerialize(using = TaskKind.ConstantName.Writer.class)} and
     * {@code @JsonDeserialize(using = TaskKind.ConstantName.Reader.class)}. Reading takes exactly a constant name.
     */
    public static final class ConstantName {
        private ConstantName() {
        }

        /** Writes {@link TaskKind#name()}. */
        public static final class Writer extends JsonSerializer<TaskKind> {
            @Override
            public void serialize(TaskKind value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.name());
            }
        }

        /** Reads a constant name; anything else is an {@code InvalidFormatException} naming the allowed values. */
        public static final class Reader extends JsonDeserializer<TaskKind> {
            @Override
            public TaskKind deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    return (TaskKind) ctxt.handleUnexpectedToken(TaskKind.class, p);
                }
                String text = p.getText();
                for (TaskKind k : values()) {
                    if (k.name().equals(text)) {
                        return k;
                    }
                }
                throw ctxt.weirdStringException(text, TaskKind.class, "not one of " + Arrays.toString(values()));
            }
        }
    }
}

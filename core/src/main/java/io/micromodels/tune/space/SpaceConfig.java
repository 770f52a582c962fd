package io.micromodels.tune.space;

import io.micromodels.data.Normalization;
import io.micromodels.json.StrictJson;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.LearningRateSchedule;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.spec.Updater;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * The ranges a micromodel search explores: plain data that round-trips exactly through JSON
 * ({@link #toJson()}, {@link #fromJson(String)}; an unknown or missing key is an error naming the key).
 *
 * <p>The defaults ({@link #defaults()}), as a {@code space.json} file:
 * <pre>{@code
 * {
 *   "depth" : { "min" : 1, "max" : 3, "log" : false },
 *   "width" : { "min" : 4, "max" : 128, "log" : true },
 *   "activations" : [ "relu", "tanh", "elu" ],
 *   "dropRate" : { "min" : 0.0, "max" : 0.5, "log" : false },
 *   "l1" : { "min" : 1.0E-7, "max" : 0.01, "log" : true },
 *   "l2" : { "min" : 1.0E-7, "max" : 0.01, "log" : true },
 *   "learningRate" : { "min" : 1.0E-4, "max" : 0.1, "log" : true },
 *   "batchSizes" : [ 32, 64, 128, 256 ]
 * }
 * }</pre>
 *
 * <p>Every hidden layer of a candidate has the same width, activation and drop rate (one shared
 * width rather than one per layer: fewer coordinates for the search to learn from a few dozen
 * trials, and no coordinates that only matter for some depths). The optimiser is Adam.
 *
 * <p>Two more keys may be given (left out, as above, they are the constant learning rate and no weight decay, and
 * then add no coordinate): {@code "schedules" : [ "constant", "cosine", "one_cycle" ]} (the learning-rate schedules
 * to choose from, see {@link #schedule}) and {@code "weightDecay" : { "min" : 1.0E-4, "max" : 0.1, "log" : true }}
 * (decoupled weight decay, AdamW). They are written only when they differ from those values, so spaces and studies
 * written before they existed read and write unchanged.
 *
 * <p>A third, {@code "normalizations" : [ "STANDARDIZE", "QUANTILE", "PIECEWISE_LINEAR" ]}, makes the encoding of
 * numeric features ({@link Normalization}) a categorical coordinate: the study prepares the data once per listed
 * encoding (same split rows, same seed) and each trial trains on its encoding's features (so its spec's input width is
 * that encoding's; the names are the enum's, as in the data options). Left out (the empty list), the study uses its data options' normalization and there is no
 * coordinate; written only when not empty.
 *
 * @param depth        number of hidden layers, within {@code [1, 16]}
 * @param width        units of every hidden layer, within {@code [1, 4096]}
 * @param activations  hidden activations to choose from, non-empty, no repeats
 * @param dropRate     drop rate after every hidden layer, within {@code [0, 1)}
 * @param l1           L1 penalty on weights, within {@code [0, 10]}
 * @param l2           L2 penalty on weights, within {@code [0, 10]}
 * @param learningRate Adam's learning rate, within {@code (0, 1]}
 * @param batchSizes   minibatch sizes to choose from, each within {@code [1, 1048576]}, non-empty, no repeats
 * @param schedules    learning-rate schedules to choose from, non-empty, no repeats
 * @param weightDecay  decoupled weight decay, within {@code [0, 1]}
 * @param normalizations encodings of numeric features to choose from, no repeats; empty = the data options' one
 */
@JsonDeserialize(using = SpaceConfig.Reader.class)
public record SpaceConfig(IntRange depth, IntRange width, List<Activation> activations, Range dropRate,
                          Range l1, Range l2, Range learningRate, List<Integer> batchSizes,
                          @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ConstantOnly.class)
                          List<LearningRateSchedule.Kind> schedules,
                          @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoDecay.class)
                          Range weightDecay,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY)
                          List<Normalization> normalizations) {

    /** The schedules of the spaces written before schedules could be searched: the constant rate. */
    public static final List<LearningRateSchedule.Kind> CONSTANT = List.of(LearningRateSchedule.Kind.CONSTANT);
    /** The weight decay of the spaces written before it could be searched: none. */
    public static final Range NO_DECAY = new Range(0, 0, false);

    /** A space with the constant learning rate and no weight decay (as before they could be searched). */
    public SpaceConfig(IntRange depth, IntRange width, List<Activation> activations, Range dropRate, Range l1, Range l2,
                       Range learningRate, List<Integer> batchSizes) {
        this(depth, width, activations, dropRate, l1, l2, learningRate, batchSizes, CONSTANT, NO_DECAY);
    }

    /** A space with the data options' normalization (as before encodings could be searched). */
    public SpaceConfig(IntRange depth, IntRange width, List<Activation> activations, Range dropRate, Range l1, Range l2,
                       Range learningRate, List<Integer> batchSizes, List<LearningRateSchedule.Kind> schedules,
                       Range weightDecay) {
        this(depth, width, activations, dropRate, l1, l2, learningRate, batchSizes, schedules, weightDecay, List.of());
    }

    /** Validates every field; messages name the field, the allowed range and the value. */
    public SpaceConfig {
        require(depth, "depth");
        require(width, "width");
        require(activations, "activations");
        require(dropRate, "dropRate");
        require(l1, "l1");
        require(l2, "l2");
        require(learningRate, "learningRate");
        require(batchSizes, "batchSizes");
        if (depth.max() > MicromodelSpec.MAX_HIDDEN_LAYERS) {
            throw new IllegalArgumentException("depth must be within [1, " + MicromodelSpec.MAX_HIDDEN_LAYERS
                    + "], got [" + depth.min() + ", " + depth.max() + "]");
        }
        if (width.max() > HiddenLayer.MAX_WIDTH) {
            throw new IllegalArgumentException("width must be within [1, " + HiddenLayer.MAX_WIDTH + "], got ["
                    + width.min() + ", " + width.max() + "]");
        }
        for (int i = 0; i < activations.size(); i++) {
            if (activations.get(i) == null || !activations.get(i).hiddenLayer()) {
                throw new IllegalArgumentException("activations[" + i + "] must be one of "
                        + Activation.hiddenLayerActivations().stream().map(Activation::jsonName).toList() + ", got "
                        + (activations.get(i) == null ? null : activations.get(i).jsonName()));
            }
        }
        activations = List.copyOf(activations);
        if (activations.isEmpty()) {
            throw new IllegalArgumentException("activations must name at least one activation, got []");
        }
        if (new HashSet<>(activations).size() != activations.size()) {
            throw new IllegalArgumentException("activations must not repeat a value, got " + names(activations));
        }
        if (!(dropRate.min() >= 0 && dropRate.max() < 1)) {
            throw new IllegalArgumentException("dropRate must be within [0, 1), got " + show(dropRate));
        }
        within("l1", l1, 0, 10);
        within("l2", l2, 0, 10);
        if (!(learningRate.min() > 0 && learningRate.max() <= 1)) {
            throw new IllegalArgumentException("learningRate must be within (0, 1], got " + show(learningRate));
        }
        for (int i = 0; i < batchSizes.size(); i++) {
            if (batchSizes.get(i) == null) {
                throw new IllegalArgumentException("batchSizes[" + i + "] must be a size, got null");
            }
        }
        batchSizes = List.copyOf(batchSizes);
        if (batchSizes.isEmpty()) {
            throw new IllegalArgumentException("batchSizes must list at least one size, got []");
        }
        for (int i = 0; i < batchSizes.size(); i++) {
            int b = batchSizes.get(i);
            if (b < 1 || b > 1 << 20) {
                throw new IllegalArgumentException("batchSizes[" + i + "] must be within [1, 1048576], got " + b);
            }
        }
        if (new HashSet<>(batchSizes).size() != batchSizes.size()) {
            throw new IllegalArgumentException("batchSizes must not repeat a value, got " + batchSizes);
        }
        require(schedules, "schedules");
        for (int i = 0; i < schedules.size(); i++) {
            if (schedules.get(i) == null) {
                throw new IllegalArgumentException("schedules[" + i + "] must be one of [constant, cosine, one_cycle], got null");
            }
        }
        schedules = List.copyOf(schedules);
        if (schedules.isEmpty()) {
            throw new IllegalArgumentException("schedules must name at least one schedule, got []");
        }
        if (new HashSet<>(schedules).size() != schedules.size()) {
            throw new IllegalArgumentException("schedules must not repeat a value, got "
                    + schedules.stream().map(LearningRateSchedule.Kind::jsonName).toList());
        }
        require(weightDecay, "weightDecay");
        within("weightDecay", weightDecay, 0, Updater.MAX_WEIGHT_DECAY);
        require(normalizations, "normalizations");
        for (int i = 0; i < normalizations.size(); i++) {
            if (normalizations.get(i) == null) {
                throw new IllegalArgumentException("normalizations[" + i + "] must be one of " + normalizationNames()
                        + ", got null");
            }
        }
        normalizations = List.copyOf(normalizations);
        if (new HashSet<>(normalizations).size() != normalizations.size()) {
            throw new IllegalArgumentException("normalizations must not repeat a value, got " + normalizations);
        }
    }

    private static List<String> normalizationNames() {
        return java.util.Arrays.stream(Normalization.values()).map(Normalization::name).toList();
    }

    /**
     * The schedule a searched kind stands for: {@code constant} and {@code cosine} without warm-up, {@code one_cycle}
     * rising for 30% of the epochs (PyTorch's default {@code pct_start}).
     */
    public static LearningRateSchedule schedule(LearningRateSchedule.Kind kind) {
        return switch (kind) {
            case CONSTANT -> LearningRateSchedule.CONSTANT;
            case COSINE -> LearningRateSchedule.cosine(0);
            case ONE_CYCLE -> LearningRateSchedule.oneCycle(LearningRateSchedule.ONE_CYCLE_DEFAULT_WARMUP);
        };
    }

    /** A copy searching these schedules and this weight decay range. */
    public SpaceConfig withTraining(List<LearningRateSchedule.Kind> newSchedules, Range newWeightDecay) {
        return new SpaceConfig(depth, width, activations, dropRate, l1, l2, learningRate, batchSizes, newSchedules, newWeightDecay,
                normalizations);
    }

    /**
     * A copy searching these encodings of numeric features.
     *
     * @param values the encodings, no repeats; empty = the data options' normalization (no coordinate)
     */
    public SpaceConfig withNormalizations(List<Normalization> values) {
        return new SpaceConfig(depth, width, activations, dropRate, l1, l2, learningRate, batchSizes, schedules, weightDecay,
                values);
    }

    /** JSON inclusion filter: true (leave out) for the constant schedule alone. */
    static final class ConstantOnly {
        @Override
        public boolean equals(Object o) {
            return o == null || CONSTANT.equals(o);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** JSON inclusion filter: true (leave out) for no weight decay. */
    static final class NoDecay {
        @Override
        public boolean equals(Object o) {
            return o == null || NO_DECAY.equals(o);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** The JSON form as read, before the keys added later are filled in. */
    private record Stored(IntRange depth, IntRange width, List<Activation> activations, Range dropRate, Range l1, Range l2,
                          Range learningRate, List<Integer> batchSizes, List<LearningRateSchedule.Kind> schedules,
                          Range weightDecay, List<Normalization> normalizations) {
    }

    /**
     * Reads a space, taking a missing {@code schedules} as constant only, a missing {@code weightDecay} as none and a
     * missing {@code normalizations} as empty (the data options').
     */
    static final class Reader extends JsonDeserializer<SpaceConfig> {
        @Override
        public SpaceConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            if (!(node instanceof ObjectNode o)) {
                return (SpaceConfig) ctxt.handleUnexpectedToken(SpaceConfig.class, p);
            }
            ObjectNode filled = o.deepCopy();
            if (!filled.has("schedules")) {
                filled.set("schedules", ctxt.getNodeFactory().arrayNode().add("constant"));
            }
            if (!filled.has("weightDecay")) {
                filled.set("weightDecay", ctxt.getNodeFactory().objectNode().put("min", 0.0).put("max", 0.0).put("log", false));
            }
            if (!filled.has("normalizations")) {
                filled.set("normalizations", ctxt.getNodeFactory().arrayNode());
            }
            Stored s = ctxt.readTreeAsValue(filled, Stored.class);
            try {
                return new SpaceConfig(s.depth(), s.width(), s.activations(), s.dropRate(), s.l1(), s.l2(), s.learningRate(),
                        s.batchSizes(), s.schedules(), s.weightDecay(), s.normalizations());
            } catch (IllegalArgumentException e) {
                throw ValueInstantiationException.from(p, e.getMessage(), ctxt.constructType(SpaceConfig.class), e);
            }
        }
    }

    /** @return the default space (see the class Javadoc) */
    public static SpaceConfig defaults() {
        return new SpaceConfig(new IntRange(1, 3, false), new IntRange(4, 128, true),
                List.of(Activation.RELU, Activation.TANH, Activation.ELU), new Range(0.0, 0.5, false),
                new Range(1e-7, 1e-2, true), new Range(1e-7, 1e-2, true), new Range(1e-4, 1e-1, true),
                List.of(32, 64, 128, 256));
    }

    /** @return this space as pretty-printed JSON; {@link #fromJson(String)} gives back an equal space */
    public String toJson() {
        return StrictJson.write(this);
    }

    /**
     * @param json a space as JSON
     * @return the space
     * @throws IllegalArgumentException naming an unknown or missing key, a wrong type or an invalid range
     */
    public static SpaceConfig fromJson(String json) {
        return StrictJson.read(json, SpaceConfig.class, "space");
    }

    /**
     * @param file a {@code space.json} file
     * @return the space it holds
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    public static SpaceConfig read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return StrictJson.read(json, SpaceConfig.class, file.toString());
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be given, got null");
        }
    }

    private static void within(String field, Range r, double lo, double hi) {
        if (!(r.min() >= lo && r.max() <= hi)) {
            throw new IllegalArgumentException(field + " must be within [" + lo + ", " + hi + "], got " + show(r));
        }
    }

    private static String show(Range r) {
        return "[" + r.min() + ", " + r.max() + "]";
    }

    private static List<String> names(List<Activation> activations) {
        return activations.stream().map(a -> a == null ? "null" : a.jsonName()).toList();
    }
}

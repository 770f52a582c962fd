package io.micromodels.tune.space;

import io.micromodels.json.StrictJson;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.HiddenLayer;
import io.micromodels.spec.MicromodelSpec;
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
 * @param depth        number of hidden layers, within {@code [1, 16]}
 * @param width        units of every hidden layer, within {@code [1, 4096]}
 * @param activations  hidden activations to choose from, non-empty, no repeats
 * @param dropRate     drop rate after every hidden layer, within {@code [0, 1)}
 * @param l1           L1 penalty on weights, within {@code [0, 10]}
 * @param l2           L2 penalty on weights, within {@code [0, 10]}
 * @param learningRate Adam's learning rate, within {@code (0, 1]}
 * @param batchSizes   minibatch sizes to choose from, each within {@code [1, 1048576]}, non-empty, no repeats
 */
public record SpaceConfig(IntRange depth, IntRange width, List<Activation> activations, Range dropRate,
                          Range l1, Range l2, Range learningRate, List<Integer> batchSizes) {

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

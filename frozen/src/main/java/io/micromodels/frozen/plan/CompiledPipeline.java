package io.micromodels.frozen.plan;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micromodels.frozen.FrozenPipeline;
import io.micromodels.frozen.FrozenPipelines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fitted preprocessing pipeline compiled to plain Java: an array of per-column {@link Step}s, each writing its features
 * at a fixed offset into the caller's {@code double[]}. This is the {@code "compiled"} {@link FrozenPipeline}.
 *
 * <p>{@link #transform} allocates nothing for numeric, boolean and categorical cells; a date-time cell costs one
 * {@link java.time.LocalDateTime} parse. Instances are immutable and thread-safe; categorical levels not seen in
 * training encode as zeros, and {@link #unseenCategories(String[])} counts them in a row for a caller that wants to.
 *
 * <p>For a regression model, {@link #inverseTarget()} is the affine {@code [mean, std]} that maps a standardised network
 * output back to the target's units: {@code y = z * std + mean} ({@link #toOriginalUnits(double)}); it is empty
 * ({@code []}) for classification.
 *
 * <p>JSON: Jackson data binding writes {@code {"columns":[...],"width":n,"steps":[{"kind":"numeric",...},...],
 * "inverseTarget":[mean,std] or []}}; the JSON never contains {@code null}. Inside a frozen model the registry of
 * pipeline types adds the type name {@value #TYPE} as the property {@code "name"} before these properties;
 * {@link #toJson()} / {@link #fromJson(String)} write and read exactly that form standalone. The round trip is exact;
 * unknown, missing or {@code null} keys are errors naming the key. Register with the frozen registry as
 * {@code FrozenPipelines.register(CompiledPipeline.TYPE, CompiledPipeline.class)}.
 *
 * <pre>{@code
 * CompiledPipeline p = CompiledPipeline.fromJson(json);
 * double[] features = new double[p.width()];
 * p.transform(new String[] {"2016-10-01 06:00:00", "20", "286.2", "Clouds"}, features);
 * }</pre>
 */
@JsonPropertyOrder({"columns", "width", "steps", "inverseTarget"})
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public final class CompiledPipeline implements FrozenPipeline {
    /** The type name of this implementation in JSON (the {@code "name"} property in a frozen model). */
    public static final String TYPE = "compiled";

    private final List<String> columns;
    private final int width;
    private final Step[] steps;
    private final int[] offsets;
    private final double[] inverseTarget;

    /**
     * @param columns       raw input columns, in {@link #transform} order; one step per column, same order
     * @param width         total features; must equal the sum of the steps' widths
     * @param steps         [columns.size()] steps, {@code steps.get(i).column()} equal to {@code columns.get(i)}
     * @param inverseTarget {@code [mean, std]} of the regression target (std &gt; 0), or empty (or null) for classification
     */
    @JsonCreator
    public CompiledPipeline(@JsonProperty(value = "columns", required = true) List<String> columns,
                            @JsonProperty(value = "width", required = true) int width,
                            @JsonProperty(value = "steps", required = true) List<Step> steps,
                            @JsonProperty(value = "inverseTarget", required = true) double[] inverseTarget) {
        this.columns = List.copyOf(columns);
        this.steps = steps.toArray(new Step[0]);
        if (this.steps.length != this.columns.size()) {
            throw new IllegalArgumentException("compiled pipeline: " + this.columns.size() + " columns but " + this.steps.length + " steps");
        }
        this.offsets = new int[this.steps.length];
        int total = 0;
        for (int i = 0; i < this.steps.length; i++) {
            Step s = Objects.requireNonNull(this.steps[i], "step " + i);
            if (!s.column().equals(this.columns.get(i))) {
                throw new IllegalArgumentException("compiled pipeline: step " + i + " reads column '" + s.column()
                        + "' but columns[" + i + "] is '" + this.columns.get(i) + "'");
            }
            offsets[i] = total;
            total += s.width();
        }
        if (total != width) {
            throw new IllegalArgumentException("compiled pipeline: width is " + width + " but the steps produce " + total + " features");
        }
        this.width = width;
        double[] inverse = inverseTarget == null ? new double[0] : inverseTarget.clone();
        if (inverse.length != 0 && (inverse.length != 2 || !Double.isFinite(inverse[0])
                || !(inverse[1] > 0) || !Double.isFinite(inverse[1]))) {
            throw new IllegalArgumentException("compiled pipeline: inverseTarget must be [mean, std > 0] or [], got " + Arrays.toString(inverse));
        }
        this.inverseTarget = inverse;
    }

    @Override
    @JsonProperty("columns")
    public List<String> columns() {
        return columns;
    }

    @Override
    @JsonProperty("width")
    public int width() {
        return width;
    }

    /** The steps, one per column. */
    @JsonProperty("steps")
    public List<Step> steps() {
        return List.of(steps);
    }

    /** {@code [mean, std]} of the regression target, or empty (classification). A copy. */
    @JsonProperty("inverseTarget")
    public double[] inverseTarget() {
        return inverseTarget.clone();
    }

    /** Maps a standardised regression output back to the target's units ({@code z * std + mean}); identity without a target scaling. */
    public double toOriginalUnits(double standardised) {
        return inverseTarget.length == 0 ? standardised : standardised * inverseTarget[1] + inverseTarget[0];
    }

    /** Feature names, [width()]. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(width);
        for (Step s : steps) {
            names.addAll(s.featureNames());
        }
        return names;
    }

    /**
     * The categorical cells of one raw row (as {@link #transform} takes it) whose level was not seen in training: a
     * pure function, so each caller keeps its own count.
     */
    public int unseenCategories(String[] raw) {
        return unseenColumns(raw).size();
    }

    /**
     * The indices into {@link #columns()} (and {@code raw}) of the categorical cells of one raw row whose level was
     * not seen in training, in column order: a pure function, for callers that name them (serve's warnings).
     */
    public List<Integer> unseenColumns(String[] raw) {
        if (raw.length != steps.length) {
            throw new IllegalArgumentException("expected " + steps.length + " cells (columns " + columns + "), got " + raw.length);
        }
        List<Integer> unseen = null;
        for (int j = 0; j < steps.length; j++) {
            if (steps[j] instanceof CategoricalStep c && c.isUnseen(raw[j])) {
                if (unseen == null) unseen = new ArrayList<>(2);
                unseen.add(j);
            }
        }
        return unseen == null ? List.of() : unseen;
    }

    @Override
    public void transform(String[] raw, double[] features) {
        if (raw.length != steps.length) {
            throw new IllegalArgumentException("expected " + steps.length + " cells (columns " + columns + "), got " + raw.length);
        }
        if (features.length != width) {
            throw new IllegalArgumentException("features must have length " + width + ", got " + features.length);
        }
        for (int i = 0; i < steps.length; i++) {
            steps[i].apply(raw[i], features, offsets[i]);
        }
    }

    /** Convenience: transforms one row into a new array. */
    public double[] transform(String[] raw) {
        double[] out = new double[width];
        transform(raw, out);
        return out;
    }

    /** This pipeline as JSON, with {@code "name":"compiled"} first (the form it has inside a frozen model). */
    public String toJson() {
        try {
            return StrictJson.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise compiled pipeline", e);
        }
    }

    /**
     * Reads a pipeline written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException for malformed JSON, a missing or different {@code "name"}, an unknown, missing or
     *                                  null key (named in the message), or inconsistent contents
     */
    public static CompiledPipeline fromJson(String json) {
        ObjectMapper m = StrictJson.mapper();
        try {
            JsonNode tree = m.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("invalid compiled pipeline JSON: expected an object");
            }
            JsonNode name = tree.get("name");
            if (name == null || !name.isTextual() || !TYPE.equals(name.asText())) {
                throw new IllegalArgumentException("invalid compiled pipeline JSON: property 'name' must be \"" + TYPE + "\", got " + name);
            }
            return (CompiledPipeline) m.treeToValue(tree, FrozenPipeline.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid compiled pipeline JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The strict mapper of the frozen model format ({@link FrozenPipelines#mapper()}): unknown, missing and null
     * creator properties, duplicate keys, trailing tokens and scalar coercions are errors; streams are not closed.
     */
    public static ObjectMapper mapper() {
        return FrozenPipelines.mapper();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompiledPipeline p && columns.equals(p.columns) && width == p.width
                && Arrays.equals(steps, p.steps) && Arrays.equals(inverseTarget, p.inverseTarget);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, width, Arrays.hashCode(steps), Arrays.hashCode(inverseTarget));
    }

    @Override
    public String toString() {
        return "CompiledPipeline" + columns + " -> " + width + " features";
    }
}

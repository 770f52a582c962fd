package io.micromodels.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micromodels.json.StrictJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Persistence of a {@link FittedPipeline}: its {@link PipelineSpec} as pretty-printed JSON (the {@code pipeline.json}
 * of a model zip), through the project's strict mapper ({@link StrictJson}): unknown or missing keys, trailing tokens and
 * coerced values are errors naming the key; a key given twice is an error. Fields that do not apply to a column's kind are written as
 * {@code null}, so this reader allows nulls where {@link StrictJson#read} does not; the constructor of
 * {@link FittedPipeline} then checks that exactly the right ones are set. Writing then reading gives the same bytes.
 *
 * <pre>{@code
 * String json = PipelineJson.toJson(data.pipeline());
 * FittedPipeline back = PipelineJson.fromJson(json);
 * }</pre>
 */
public final class PipelineJson {
    private PipelineJson() {
    }

    private static ObjectWriter writer() {
        return StrictJson.pretty();
    }

    /** The strict mapper's rules, but for the {@code null}s of fields that do not apply to a column's kind. */
    private static ObjectReader reader() {
        return StrictJson.mapper().readerFor(PipelineSpec.class).without(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
    }

    /** Writes a pipeline as JSON (UTF-8); the stream is flushed, not closed (so it can be a zip entry). */
    public static void write(FittedPipeline pipeline, OutputStream out) {
        try {
            writer().writeValue(out, pipeline.spec());
            out.flush();
        } catch (IOException e) {
            throw new DataException("cannot write pipeline: " + e.getMessage(), e);
        }
    }

    /** A pipeline as a JSON string. */
    public static String toJson(FittedPipeline pipeline) {
        try {
            return writer().writeValueAsString(pipeline.spec());
        } catch (JsonProcessingException e) {
            throw new DataException("cannot write pipeline: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a pipeline written by {@link #write}; the stream is not closed.
     *
     * @throws DataException for malformed JSON or an unknown or missing key (named in the message)
     */
    public static FittedPipeline read(InputStream in) {
        try {
            return new FittedPipeline(parse(StrictJson.mapper().readTree(in)));
        } catch (JsonProcessingException e) {
            throw new DataException("invalid pipeline JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataException("cannot read pipeline: " + e.getMessage(), e);
        }
    }

    /** Reads a pipeline from a JSON string. */
    public static FittedPipeline fromJson(String json) {
        try {
            return new FittedPipeline(parse(StrictJson.mapper().readTree(json)));
        } catch (JsonProcessingException e) {
            throw new DataException("invalid pipeline JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataException("cannot read pipeline: " + e.getMessage(), e);
        }
    }

    /**
     * Binds the JSON tree strictly; a version-1 pipeline (written before the numeric encodings) is read as version 2 with
     * empty {@code edges} on every column, which is what it means.
     */
    private static PipelineSpec parse(JsonNode tree) throws IOException {
        if (tree == null || tree.isMissingNode()) {
            throw new DataException("invalid pipeline JSON: no content");
        }
        if (tree != null && tree.isObject() && tree.path("version").isInt() && tree.get("version").intValue() == 1
                && tree.path("columns").isArray()) {
            ObjectNode copy = ((ObjectNode) tree).deepCopy();
            copy.put("version", PipelineSpec.VERSION);
            for (JsonNode col : (ArrayNode) copy.get("columns")) {
                if (col.isObject() && !col.has("edges")) {
                    ((ObjectNode) col).putArray("edges");
                }
            }
            tree = copy;
        }
        return reader().readValue(tree);
    }
}

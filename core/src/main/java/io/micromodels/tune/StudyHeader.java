package io.micromodels.tune;

import io.micromodels.train.Objective;
import java.util.Objects;

/**
 * A study's identity and options, as a {@link Storage} keeps them (the content of the journal's {@code study.json}):
 * format version, the study's id, creation time, options, metric and the SHA-256 of the data it was created on (a
 * resumed study must see the same data).
 *
 * @param format     {@value #FORMAT}
 * @param id         8 lower-case hex digits; trial ids start with it
 * @param createdAt  ISO-8601 instant
 * @param options    what the study searches
 * @param metric     the metric trials are scored by
 * @param dataSha256 the prepared data's SHA-256
 */
public record StudyHeader(int format, String id, String createdAt, StudyOptions options, String metric, String dataSha256) {
    /** The format of {@code study.json} this version writes and reads. */
    public static final int FORMAT = 1;

    /** Validates the fields. */
    public StudyHeader {
        if (format != FORMAT) {
            throw new IllegalArgumentException("format must be " + FORMAT + ", got " + format);
        }
        if (id == null || !id.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("id must be 8 lower-case hex digits, got '" + id + "'");
        }
        Objects.requireNonNull(createdAt, "createdAt must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Objective.parse(metric);
        Objects.requireNonNull(dataSha256, "dataSha256 must not be null");
    }

    /**
     * Reads a header written by {@code StrictJson.write}: strict (unknown and missing keys are errors), except that
     * {@code options.dataOptions} may be absent (studies recorded before data options were: the defaults) and nulls
     * inside the data options mean "infer" or "none", as in {@link io.micromodels.data.DataOptions}.
     *
     * @param what the file name, for messages
     */
    public static StudyHeader fromJson(String json, String what) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = io.micromodels.json.StrictJson.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return io.micromodels.json.StrictJson.read(json, StudyHeader.class, what);
        }
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode h
                && h.get("options") instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            StudyOptions.fillLegacyKeys(o);
            return io.micromodels.json.StrictJson.readNullable(tree.toString(), StudyHeader.class, what);
        }
        return io.micromodels.json.StrictJson.read(json, StudyHeader.class, what);
    }

    /** @return a copy with other options */
    public StudyHeader withOptions(StudyOptions o) {
        return new StudyHeader(format, id, createdAt, o, metric, dataSha256);
    }
}

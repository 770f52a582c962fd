package io.micromodels.tune;

import io.micromodels.train.Objective;
import java.util.Objects;

/**
 * The content of {@code study.json}: format version, the study's id, creation time, options, metric and the
 * SHA-256 of the data it was created on (a resumed study must see the same data).
 */
record StudyHeader(int format, String id, String createdAt, StudyOptions options, String metric, String dataSha256) {
    static final int FORMAT = 1;

    StudyHeader {
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

    StudyHeader withOptions(StudyOptions o) {
        return new StudyHeader(format, id, createdAt, o, metric, dataSha256);
    }
}

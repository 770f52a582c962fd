package io.micromodels.frozen.server;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.FrozenPipelines;
import io.micromodels.frozen.IdentityPipeline;
import io.micromodels.frozen.InvalidCellException;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.frozen.plan.Step;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP-independent part of {@link FrozenServer}: turns a {@code POST /predict} body into a reply (status and JSON
 * bytes), and builds the {@code GET /health} body. Thread-safe; the server and the fuzz tests call it directly.
 *
 * <p>Replies (status 200): per row, {@code label} and {@code probabilities} (classifiers), {@code value} or
 * {@code values} (regression), and, only when there is something to say, {@code warnings}: a list of
 * {@code {"field": ..., "value": ..., "warning": ...}}, one per categorical value not seen in training (scored as all
 * zeros, as {@code predict} does) and one per key that is not a model column (ignored, as {@code predict} ignores a
 * column the model does not read).
 *
 * <p>Refusals (status 400, {@code {"error": ..., "field": ..., "row": ...}}): malformed JSON (a value that is not JSON,
 * such as {@code NaN}, {@code Infinity} or {@code 01}, is named by its field); a JSON number outside the float range
 * (&plusmn;{@value Float#MAX_VALUE}, what training reads); a number of more than
 * {@value #MAX_NUMBER_CHARS} characters or a field name of more than {@link #maxNameChars()} characters (named by
 * length: the parser stops before keeping it); missing, duplicate or wrongly typed fields; a cell the
 * pipeline rejects (not a number, out of double range, unknown format); a finite cell whose model feature is
 * non-finite or beyond &plusmn;{@value #MAX_FEATURE_MAGNITUDE} after scaling (e.g. {@code -1e308} in a column
 * standardised by a scale below 1: such values are far outside anything the model was trained on, and
 * {@code W · x} of them overflows to {@code inf - inf = NaN}); and, as a last wall, any row whose outputs are not all
 * finite. So every 200 reply holds only finite numbers.
 */
public final class PredictEndpoint {
    /** Longest number token accepted, in characters (Jackson's default). */
    public static final int MAX_NUMBER_CHARS = 1000;
    /** Largest magnitude of a model feature (after the pipeline's scaling) that is scored. */
    public static final double MAX_FEATURE_MAGNITUDE = 1e12;
    /** Deepest JSON nesting parsed; a request needs 2 (an array of objects). */
    static final int MAX_NESTING = 64;

    /** A reply: HTTP status and JSON body. */
    public record Reply(int status, byte[] body) {
        /** The body as text. */
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final FrozenMicromodel model;
    private final JsonFactory json;
    private final int maxNameChars;
    private final Map<String, Integer> columnIndex = new HashMap<>();
    /** Raw column behind each model feature, [inputWidth]; null where the pipeline does not say. */
    private final String[] featureColumn;
    private final byte[] healthBody;

    /** An endpoint for {@code model}. */
    public PredictEndpoint(FrozenMicromodel model) {
        this.model = Objects.requireNonNull(model, "model");
        List<String> columns = model.columns();
        int longest = 0;
        for (int i = 0; i < columns.size(); i++) {
            columnIndex.put(columns.get(i), i);
            longest = Math.max(longest, columns.get(i).length());
        }
        this.maxNameChars = Math.max(1024, longest);
        // the project's one strict JSON settings (duplicate keys are errors), plus this model's size limits
        this.json = StrictJson.mapper().getFactory().rebuild()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .maxNameLength(maxNameChars)
                        .maxNestingDepth(MAX_NESTING)
                        .build())
                .build();
        this.featureColumn = featureColumns(model);
        this.healthBody = buildHealth();
    }

    /** Longest field name accepted: 1024 characters, or the longest column name if longer. */
    public int maxNameChars() {
        return maxNameChars;
    }

    /** The {@code GET /health} body. */
    public byte[] health() {
        return healthBody.clone();
    }

    byte[] healthBody() {
        return healthBody;
    }

    /** A request error reported to the client as JSON. */
    static final class RequestException extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String field;
        final int row;

        RequestException(int status, String message, String field, int row) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
            this.row = row;
        }
    }

    private static RequestException badRequest(String message, String field, int row) {
        return new RequestException(400, (row >= 0 ? "row " + row + ": " : "") + message, field, row);
    }

    /** The reply to a {@code POST /predict} body: 200 with predictions, or 400 with a JSON error. Never throws. */
    public Reply predict(byte[] body) {
        try {
            return new Reply(200, predictOrThrow(body));
        } catch (RequestException e) {
            return new Reply(e.status, error(e.getMessage(), e.field, e.row));
        }
    }

    private byte[] predictOrThrow(byte[] body) throws RequestException {
        List<String[]> rows = new ArrayList<>();
        List<List<String>> ignoredKeys = new ArrayList<>();
        boolean array;
        // JSON bodies are UTF-8 (RFC 8259). Decoded strictly here: given bytes, Jackson would guess UTF-16/32 from
        // the first bytes and throw a CharConversionException, not a parse error (found by PredictEndpointFuzzTest).
        String text = utf8(body);
        try (JsonParser p = json.createParser(text)) {
            try {
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_OBJECT) {
                    array = false;
                    ignoredKeys.add(new ArrayList<>());
                    rows.add(readRow(p, -1, ignoredKeys.get(0)));
                } else if (t == JsonToken.START_ARRAY) {
                    array = true;
                    for (int r = 0; (t = p.nextToken()) != JsonToken.END_ARRAY; r++) {
                        if (t != JsonToken.START_OBJECT) {
                            throw badRequest("expected a JSON object keyed by column name, got " + describe(t), null, r);
                        }
                        ignoredKeys.add(new ArrayList<>());
                        rows.add(readRow(p, r, ignoredKeys.get(r)));
                    }
                } else {
                    throw badRequest(t == null ? "empty body; expected a JSON object or an array of objects keyed by column name"
                            : "expected a JSON object or an array of objects keyed by column name, got " + describe(t), null, -1);
                }
                if (p.nextToken() != null) {
                    throw badRequest("unexpected content after the JSON value" + at(p.currentLocation()), null, -1);
                }
            } catch (StreamConstraintsException e) {
                throw tooLong(e, p, rows.size());
            } catch (JsonParseException e) {
                if (p.currentToken() == JsonToken.FIELD_NAME && !(e instanceof com.fasterxml.jackson.core.io.JsonEOFException)) {
                    // a value that is not JSON (NaN, Infinity, 01, +1, .5, a bare word): name the field, not a parser feature
                    String field = p.currentName();
                    int row = p.getParsingContext() != null && p.getParsingContext().getParent() != null
                            && p.getParsingContext().getParent().inArray() ? rows.size() : -1;
                    throw badRequest("field '" + clip(field) + "': not a JSON value" + at(e.getLocation())
                            + " (NaN, Infinity and numbers such as 01, +1 or .5 are not JSON; send a number, a string, or"
                            + " null for a missing value)", field, row);
                }
                throw badRequest("malformed JSON" + at(e.getLocation()) + ": " + firstSentence(e.getOriginalMessage()), null, -1);
            }
        } catch (JsonProcessingException e) {
            throw badRequest("malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(), null, -1);
        } catch (IOException e) {
            throw badRequest("unreadable JSON: " + e.getMessage(), null, -1);
        }

        int n = rows.size();
        int width = model.inputWidth();
        double[] features = new double[n * width];
        double[] row = new double[width];
        for (int r = 0; r < n; r++) {
            int shownRow = array ? r : -1;
            String[] cells = rows.get(r);
            try {
                model.pipeline().transform(cells, row);
            } catch (InvalidCellException e) {
                throw badRequest(e.getMessage(), e.column(), shownRow);
            } catch (IllegalArgumentException e) {
                throw badRequest(e.getMessage(), null, shownRow);
            }
            for (int j = 0; j < width; j++) {
                double f = row[j];
                if (!(Math.abs(f) <= MAX_FEATURE_MAGNITUDE)) { // also NaN
                    String column = featureColumn[j];
                    String value = column == null ? null : cells[columnIndex.get(column)];
                    throw badRequest((column == null ? "model feature " + j : "column '" + column + "': value '" + clip(value) + "'")
                            + " is too far outside the training range: it scales to " + f
                            + ", beyond the accepted +/-" + MAX_FEATURE_MAGNITUDE, column, shownRow);
                }
            }
            System.arraycopy(row, 0, features, r * width, width);
        }
        int outWidth = model.outputWidth();
        double[] out = new double[n * outWidth];
        model.predictFeaturesBatch(features, n, out);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < outWidth; j++) {
                if (!Double.isFinite(out[r * outWidth + j])) {
                    throw badRequest("the model's output '" + model.metadata().outputNames().get(j) + "' is not finite ("
                            + out[r * outWidth + j] + ") for these inputs; they are too far outside the training range", null,
                            array ? r : -1);
                }
            }
        }

        CompiledPipeline compiled = model.pipeline() instanceof CompiledPipeline c ? c : null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + n * (32 + 24 * outWidth));
        try (JsonGenerator g = json.createGenerator(bytes)) {
            if (array) g.writeStartArray();
            for (int r = 0; r < n; r++) {
                List<Integer> unseen = compiled == null ? List.of() : compiled.unseenColumns(rows.get(r));
                writeResult(g, out, r * outWidth, rows.get(r), unseen, ignoredKeys.get(r));
            }
            if (array) g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return bytes.toByteArray();
    }

    /** The body as text; 400 naming the byte offset when it is not UTF-8. */
    private static String utf8(byte[] body) throws RequestException {
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        try {
            return d.decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw badRequest("request body is not UTF-8 (bad byte at offset " + in.position() + "); JSON must be UTF-8",
                    null, -1);
        }
    }

    /** A number or a name beyond the parser's limits: 400 naming the field when the parser knows it. */
    private RequestException tooLong(StreamConstraintsException e, JsonParser p, int rowsRead) {
        String what = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String lower = what.toLowerCase(java.util.Locale.ROOT);
        String field = null;
        try {
            field = p.currentName();
        } catch (IOException | RuntimeException ignored) {
            // no name known
        }
        int row = p.getParsingContext() != null && p.getParsingContext().getParent() != null
                && p.getParsingContext().getParent().inArray() ? rowsRead : -1;
        if (lower.contains("number")) {
            if (field != null && columnIndex.containsKey(field)) {
                return badRequest("field '" + field + "': number longer than " + MAX_NUMBER_CHARS + " characters", field, row);
            }
            return badRequest("a number is longer than " + MAX_NUMBER_CHARS + " characters", null, row);
        }
        if (lower.contains("name length")) {
            return badRequest("a field name is longer than " + maxNameChars + " characters; no column is", null, row);
        }
        if (lower.contains("nesting")) {
            return badRequest("JSON nested deeper than " + MAX_NESTING + " levels; expected an object or an array of objects", null, -1);
        }
        return badRequest("request beyond the parser's limits: " + what, null, -1);
    }

    /** Reads one object (the parser is on its START_OBJECT) into cells in column order. */
    private String[] readRow(JsonParser p, int row, List<String> ignored) throws IOException, RequestException {
        List<String> columns = model.columns();
        String[] cells = new String[columns.size()];
        boolean[] seen = new boolean[cells.length];
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            Integer i = columnIndex.get(name);
            if (i == null) {
                // not a model column: ignored and named in the reply's warnings, as predict ignores such a CSV column
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) p.skipChildren();
                ignored.add(name);
                continue;
            }
            JsonToken v = p.nextToken();
            switch (v) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    double d = p.getValueAsDouble();
                    if (!Float.isFinite((float) d)) { // beyond what rounds to a finite float
                        throw badRequest("field '" + name + "': " + clip(p.getText()) + " is outside the float range (+/-"
                                + Float.MAX_VALUE + ") that models are trained in", name, row);
                    }
                    cells[i] = p.getText(); // numbers keep their exact text
                }
                case VALUE_STRING -> cells[i] = p.getText();
                case VALUE_TRUE -> cells[i] = "true";
                case VALUE_FALSE -> cells[i] = "false";
                case VALUE_NULL -> cells[i] = null;
                default -> throw badRequest("field '" + name + "' must be a string, number, boolean or null, got " + describe(v), name, row);
            }
            seen[i] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) if (!seen[i]) missing.add(columns.get(i));
        if (!missing.isEmpty()) {
            String first = missing.get(0);
            throw badRequest("missing field '" + first + "'" + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more: "
                    + missing.subList(1, Math.min(missing.size(), 6)) + (missing.size() > 6 ? "..." : "") + ")" : "")
                    + "; send null for a missing value", first, row);
        }
        return cells;
    }

    private void writeResult(JsonGenerator g, double[] out, int off, String[] cells, List<Integer> unseen,
                             List<String> ignored) throws IOException {
        FrozenMetadata md = model.metadata();
        g.writeStartObject();
        if (md.task().isClassification()) {
            List<String> labels = md.classLabels();
            g.writeStringField("label", labels.get(model.labelIndex(out, off)));
            g.writeObjectFieldStart("probabilities");
            for (int j = 0; j < labels.size(); j++) g.writeNumberField(labels.get(j), out[off + j]);
            g.writeEndObject();
        } else if (md.outputNames().size() == 1) {
            g.writeNumberField("value", out[off]);
        } else {
            g.writeObjectFieldStart("values");
            List<String> names = md.outputNames();
            for (int j = 0; j < names.size(); j++) g.writeNumberField(names.get(j), out[off + j]);
            g.writeEndObject();
        }
        if (!unseen.isEmpty() || !ignored.isEmpty()) {
            g.writeArrayFieldStart("warnings");
            for (int c : unseen) {
                String column = model.columns().get(c);
                g.writeStartObject();
                g.writeStringField("field", column);
                g.writeStringField("value", clip(cells[c]));
                g.writeStringField("warning", "unseen category: '" + clip(cells[c]) + "' was not a value of '" + column
                        + "' in training; scored as all zeros");
                g.writeEndObject();
            }
            for (String name : ignored) {
                g.writeStartObject();
                g.writeStringField("field", clip(name));
                g.writeStringField("warning", "not a model column; ignored");
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** A parser message up to its first sentence: Jackson's advice on parser features is not for clients. */
    private static String firstSentence(String message) {
        if (message == null) return "";
        String m = message.strip();
        int cut = m.indexOf(": enable ");
        if (cut < 0) cut = m.indexOf("; enable ");
        return clip(cut < 0 ? m : m.substring(0, cut));
    }

    private byte[] buildHealth() {
        FrozenMetadata md = model.metadata();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = json.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            // a two-class model is BINARY whatever its output layer (a 2-unit softmax is frozen as MULTICLASS)
            boolean twoClasses = md.task().isClassification() && md.classLabels().size() == 2;
            g.writeStringField("task", twoClasses ? "BINARY" : md.task().name());
            g.writeStringField("target", md.target());
            writeStrings(g, "columns", model.columns());
            writeStrings(g, "classLabels", md.classLabels());
            writeStrings(g, "outputs", md.outputNames());
            g.writeStringField("network", model.network().shape());
            g.writeNumberField("parameters", model.network().parameterCount());
            String pipeline = FrozenPipelines.nameOf(model.pipeline().getClass());
            g.writeStringField("pipeline", pipeline != null ? pipeline : model.pipeline().getClass().getName());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    /** The raw column of each model feature, [inputWidth]: from the compiled pipeline's steps, or 1:1 for identity. */
    private static String[] featureColumns(FrozenMicromodel model) {
        String[] names = new String[model.inputWidth()];
        if (model.pipeline() instanceof CompiledPipeline p) {
            int k = 0;
            for (Step s : p.steps()) {
                for (int j = 0; j < s.width() && k < names.length; j++) names[k++] = s.column();
            }
        } else if (model.pipeline() instanceof IdentityPipeline && model.columns().size() == names.length) {
            for (int j = 0; j < names.length; j++) names[j] = model.columns().get(j);
        }
        return names;
    }

    /** {@code {"error": message, "field": field, "row": row}}; field and row left out when null / negative. */
    static byte[] error(String message, String field, int row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = StrictJson.mapper().getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("error", message.length() <= 1000 ? message : message.substring(0, 1000) + "...");
            if (field != null) g.writeStringField("field", clip(field));
            if (row >= 0) g.writeNumberField("row", row);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return bytes.toByteArray();
    }

    /** Text shown back to the client, cut to 200 characters. */
    static String clip(String s) {
        if (s == null) return "null";
        return s.length() <= 200 ? s : s.substring(0, 200) + "...(" + s.length() + " characters)";
    }

    private static String describe(JsonToken t) {
        if (t == null) return "end of input";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
}

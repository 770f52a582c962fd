package io.micromodels.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.stream.Collectors;

/**
 * The project's one strict JSON mapper, for every configuration value and file it reads or writes (specs,
 * provenance, study records, the frozen model and its manifest, the dataset catalog, benchmark records). One set of
 * rules:
 * <ul>
 *   <li>an unknown key is an error, and so is a missing or {@code null} record (creator) key and a {@code null} for
 *       a primitive;</li>
 *   <li>a key given twice in one object is an error (also when reading a tree);</li>
 *   <li>numbers are exact: a double is written with the fewest digits that read back to the same bits and read
 *       back to them ({@code NaN} and the infinities as the strings Jackson writes for them); nothing is coerced
 *       ({@code 1.5} for an int, {@code "1"} for a number, {@code 1} for a string or an enum, a scalar for an array
 *       are errors); an int out of range is an error;</li>
 *   <li>content after the value is an error; streams given to it are not closed.</li>
 * </ul>
 * It lives in the {@code frozen} module, the lowest one that reads JSON (that module depends on Jackson only).
 *
 * <pre>{@code
 * String json = StrictJson.write(spec);
 * MicromodelSpec back = StrictJson.read(json, MicromodelSpec.class, "spec");
 * }</pre>
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = newMapper();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private StrictJson() {
    }

    private static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
        JsonMapper m = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return m;
    }

    /**
     * The shared strict mapper (thread-safe; do not reconfigure it: take {@code mapper().copy()} for that). It writes
     * compact JSON; {@link #pretty()} indents.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A writer of the shared mapper that indents (two spaces, one key per line). */
    public static ObjectWriter pretty() {
        return PRETTY;
    }

    /** Pretty-printed JSON of a record or other value. */
    public static String write(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One-line JSON, for JSON-lines files. */
    public static String writeLine(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a value, turning Jackson's errors into one clear sentence.
     *
     * @param what what the text is, for messages (e.g. {@code "spec"} or a file name)
     * @throws IllegalArgumentException naming the unknown or missing key, the wrong value, or the invalid field
     */
    public static <T> T read(String json, Class<T> type, String what) {
        return read(json, type, what, MAPPER.readerFor(type));
    }

    /**
     * Reads a value as {@link #read} does, except that a {@code null} record key is handed to the record's constructor
     * (which validates it) rather than refused: for records in which null means "none" or "infer" (the dataset
     * catalog's time column, a saved model's data options). A missing key is still an error.
     */
    public static <T> T readNullable(String json, Class<T> type, String what) {
        return read(json, type, what, MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES));
    }

    private static <T> T read(String json, Class<T> type, String what, ObjectReader reader) {
        try {
            // Unknown keys first: Jackson reports a missing creator key before an unknown one, which misleads
            // when a key was misspelt.
            checkKeys(MAPPER.readTree(json), type, "", what);
            return reader.readValue(json);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ", "; allowed keys: ", ""));
            throw new IllegalArgumentException(what + ": unknown key '" + e.getPropertyName() + "'" + at(e) + known, e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(what + ": invalid value" + at(e) + ": " + cause.getMessage(), e);
        } catch (InvalidFormatException e) {
            throw new IllegalArgumentException(what + ": invalid value '" + e.getValue() + "'" + at(e) + ": " + firstLine(e.getOriginalMessage()), e);
        } catch (MismatchedInputException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && (msg.startsWith("Missing required creator property") || msg.startsWith("Missing creator property"))) {
                int a = msg.indexOf('\'');
                int b = msg.indexOf('\'', a + 1);
                String key = a >= 0 && b > a ? msg.substring(a + 1, b) : "?";
                throw new IllegalArgumentException(what + ": missing key '" + key + "'" + at(e), e);
            }
            if (msg != null && msg.startsWith("Null value for creator property")) {
                int a = msg.indexOf('\'');
                int b = msg.indexOf('\'', a + 1);
                String key = a >= 0 && b > a ? msg.substring(a + 1, b) : "?";
                throw new IllegalArgumentException(what + ": key '" + key + "' must not be null" + at(e), e);
            }
            throw new IllegalArgumentException(what + ": wrong type" + at(e) + ": " + firstLine(msg), e);
        } catch (JsonProcessingException e) {
            // Jackson gives no location for some errors (e.g. an invalid value met while binding a tree)
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(what + ": malformed JSON" + where + ": " + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static void checkKeys(com.fasterxml.jackson.databind.JsonNode node, java.lang.reflect.Type type, String path,
                                  String what) {
        if (node == null) {
            return;
        }
        if (type instanceof java.lang.reflect.ParameterizedType pt) {
            java.lang.reflect.Type raw = pt.getRawType();
            java.lang.reflect.Type[] args = pt.getActualTypeArguments();
            if (raw instanceof Class<?> c && java.util.Collection.class.isAssignableFrom(c) && node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    checkKeys(node.get(i), args[0], path + "[" + i + "]", what);
                }
            } else if (raw instanceof Class<?> c && java.util.Map.class.isAssignableFrom(c) && node.isObject()) {
                node.fields().forEachRemaining(e -> checkKeys(e.getValue(), args[1], join(path, e.getKey()), what));
            }
            return;
        }
        if (!(type instanceof Class<?> cls) || !cls.isRecord() || !node.isObject()) {
            return;
        }
        java.util.Map<String, java.lang.reflect.RecordComponent> components = new java.util.LinkedHashMap<>();
        for (java.lang.reflect.RecordComponent rc : cls.getRecordComponents()) {
            components.put(rc.getName(), rc);
        }
        java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = node.fields();
        while (it.hasNext()) {
            java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
            java.lang.reflect.RecordComponent rc = components.get(e.getKey());
            if (rc == null) {
                throw new IllegalArgumentException(what + ": unknown key '" + e.getKey() + "'"
                        + (path.isEmpty() ? "" : " (at " + path + ")") + "; allowed keys: "
                        + String.join(", ", new java.util.TreeSet<>(components.keySet())));
            }
            checkKeys(e.getValue(), rc.getGenericType(), join(path, e.getKey()), what);
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String at(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "" : " (at " + sb + ")";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

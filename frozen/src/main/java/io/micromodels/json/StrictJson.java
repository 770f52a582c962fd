package io.micromodels.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.stream.Collectors;

/**
 * JSON for the project's configuration values (specs, provenance, study records): exact round trips, and an
 * unknown or missing key is an error naming the key and where it is, never a silent default.
 *
 * <pre>{@code
 * String json = StrictJson.write(spec);
 * MicromodelSpec back = StrictJson.read(json, MicromodelSpec.class, "spec");
 * }</pre>
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private StrictJson() {
    }

    /** The shared strict mapper (thread-safe once configured). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Pretty-printed JSON of a record or other value. */
    public static String write(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
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
        try {
            // Unknown keys first: Jackson reports a missing creator key before an unknown one, which misleads
            // when a key was misspelt.
            checkKeys(MAPPER.readTree(json), type, "", what);
            return MAPPER.readValue(json, type);
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

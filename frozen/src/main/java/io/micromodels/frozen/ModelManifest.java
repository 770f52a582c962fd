package io.micromodels.frozen;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@value #ENTRY} entry of a saved-model zip (format 2 on): the format name and version, and the SHA-256 of
 * every other entry. Loaders verify each entry they read against it, so a truncated, edited or swapped entry is
 * refused with a message naming it. It is an integrity check, not a signature: whoever can write the zip can
 * rewrite the manifest.
 *
 * <pre>{@code
 * {"format": "micromodels-model", "version": 2,
 *  "sha256": {"frozen.json": "9f86d0...", "spec.json": "..."}}
 * }</pre>
 */
public record ModelManifest(String format, int version, Map<String, String> sha256) {
    /** Name of the manifest entry. */
    public static final String ENTRY = "manifest.json";
    /** Value of {@code format}. */
    public static final String FORMAT = "micromodels-model";

    /** Checks the fields; the map is copied, sorted by entry name. */
    public ModelManifest {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sha256, "sha256");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format must be \"" + FORMAT + "\", got \"" + format + "\"");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
        for (Map.Entry<String, String> e : sha256.entrySet()) {
            if (e.getValue() == null || !e.getValue().matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 of '" + e.getKey() + "' must be 64 lower-case hex digits, got "
                        + e.getValue());
            }
        }
        if (sha256.containsKey(ENTRY)) {
            throw new IllegalArgumentException("sha256 must not list the manifest itself");
        }
        sha256 = java.util.Collections.unmodifiableMap(new TreeMap<>(sha256));
    }

    /** The manifest of {@code entries} (name to bytes; the manifest itself excluded). */
    public static ModelManifest of(int version, Map<String, byte[]> entries) {
        Map<String, String> sums = new TreeMap<>();
        entries.forEach((name, bytes) -> sums.put(name, sha256(bytes)));
        return new ModelManifest(FORMAT, version, sums);
    }

    /** This manifest as UTF-8 JSON. */
    public byte[] toBytes() {
        try {
            return StrictJson.pretty().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a manifest strictly (unknown, missing or ill-typed keys are errors).
     *
     * @param source the file name, for messages
     * @throws FrozenFormatException naming {@code source} and what is wrong
     */
    public static ModelManifest parse(byte[] json, String source) throws FrozenFormatException {
        try {
            return StrictJson.mapper().readValue(json, ModelManifest.class);
        } catch (JsonProcessingException e) {
            Throwable root = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
            String why = root != null ? root.getMessage() : e.getOriginalMessage();
            throw new FrozenFormatException(source + "!" + ENTRY + " is invalid: " + why.replaceAll("\\s+", " "), e);
        } catch (IOException e) {
            throw new FrozenFormatException(source + "!" + ENTRY + " is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code name} is listed and that {@code bytes} has the listed SHA-256.
     *
     * @throws FrozenFormatException naming {@code source} and the entry otherwise
     */
    public void verify(String name, byte[] bytes, String source) throws FrozenFormatException {
        String expected = sha256.get(name);
        if (expected == null) {
            throw new FrozenFormatException(source + ": entry '" + name + "' is not listed in " + ENTRY);
        }
        if (!expected.equals(sha256(bytes))) {
            throw new FrozenFormatException(source + ": entry '" + name + "' does not match its SHA-256 in " + ENTRY
                    + " (the file was altered or damaged)");
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }
}

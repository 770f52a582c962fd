package io.micromodels.frozen;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pipeline that does nothing: every raw column is a number passed through unchanged, so
 * {@code width() == columns().size()} and {@code features[i] = parse(raw[i])}. For models trained on
 * already-numeric features and for tests. Registered for JSON under the name {@value #NAME}:
 * <pre>{@code {"name": "identity", "columns": ["x0", "x1"]}}</pre>
 *
 * <p>Cells are parsed with {@link Double#parseDouble} after trimming; missing cells ({@code null} or blank)
 * and non-finite values are rejected with an {@link InvalidCellException}, as this pipeline does not impute.
 */
public final class IdentityPipeline implements FrozenPipeline {
    /** Type name in JSON. */
    public static final String NAME = "identity";

    private final List<String> columns;

    /**
     * @param columns raw column names, non-empty, each non-blank and distinct
     */
    @JsonCreator
    public IdentityPipeline(@JsonProperty(value = "columns", required = true) List<String> columns) {
        Objects.requireNonNull(columns, "columns");
        if (columns.isEmpty()) throw new IllegalArgumentException("identity pipeline: columns must not be empty");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            if (c == null || c.isBlank()) throw new IllegalArgumentException("identity pipeline: column " + i + " has no name");
            if (!seen.add(c)) throw new IllegalArgumentException("identity pipeline: duplicate column '" + c + "'");
        }
        this.columns = List.copyOf(columns);
    }

    /** An identity pipeline over the given columns. */
    public static IdentityPipeline of(String... columns) {
        return new IdentityPipeline(List.of(columns));
    }

    @Override
    @JsonProperty("columns")
    public List<String> columns() {
        return columns;
    }

    @Override
    @JsonIgnore
    public int width() {
        return columns.size();
    }

    @Override
    public void transform(String[] raw, double[] features) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(features, "features");
        int n = columns.size();
        if (raw.length != n) {
            throw new IllegalArgumentException("raw row has " + raw.length + " cells, expected " + n + " (columns " + columns + ")");
        }
        if (features.length != n) {
            throw new IllegalArgumentException("features has shape [" + features.length + "], expected [" + n + "]");
        }
        for (int i = 0; i < n; i++) {
            String cell = raw[i];
            if (cell == null || cell.isBlank()) {
                throw new InvalidCellException(columns.get(i), null, "is not allowed: the identity pipeline does not impute");
            }
            double v;
            String t = cell.trim();
            if (t.isEmpty()) {
                // only control characters (trim removes every char <= U+0020; isBlank keeps e.g. a backspace)
                throw new InvalidCellException(columns.get(i), cell, "is not a number");
            }
            char lastChar = t.charAt(t.length() - 1);
            if (lastChar == 'd' || lastChar == 'D' || lastChar == 'f' || lastChar == 'F') {
                // Double.parseDouble would accept Java literal suffixes such as "1.5f"; data never has them.
                throw new InvalidCellException(columns.get(i), cell, "is not a number");
            }
            try {
                v = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new InvalidCellException(columns.get(i), cell, "is not a number");
            }
            if (!Double.isFinite(v)) throw new InvalidCellException(columns.get(i), cell, "is not a finite number");
            features[i] = v;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityPipeline p && p.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        return "IdentityPipeline" + columns;
    }
}

package io.micromodels.data;

import java.util.List;
import java.util.Objects;

/**
 * One raw input column's inferred (or overridden) kind and parsing details.
 *
 * @param name        column name
 * @param kind        its kind
 * @param pattern     the date-time pattern ({@link java.time.format.DateTimeFormatter} syntax) for {@link ColumnKind#DATETIME}, else null
 * @param trueTokens  lower-case tokens read as true for {@link ColumnKind#BOOLEAN} (e.g. [yes]), else empty
 * @param falseTokens lower-case tokens read as false for {@link ColumnKind#BOOLEAN} (e.g. [no]), else empty
 */
public record ColumnInfo(String name, ColumnKind kind, String pattern, List<String> trueTokens, List<String> falseTokens) {
    public ColumnInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        trueTokens = List.copyOf(trueTokens);
        falseTokens = List.copyOf(falseTokens);
        if ((kind == ColumnKind.DATETIME) != (pattern != null)) {
            throw new IllegalArgumentException("column '" + name + "': a pattern is required for DATETIME and only for it");
        }
        if ((kind == ColumnKind.BOOLEAN) != !trueTokens.isEmpty() || trueTokens.isEmpty() != falseTokens.isEmpty()) {
            throw new IllegalArgumentException("column '" + name + "': true/false tokens are required for BOOLEAN and only for it");
        }
    }

    /** A column of a kind that needs no extra details (numeric, integer, categorical). */
    public static ColumnInfo of(String name, ColumnKind kind) {
        return new ColumnInfo(name, kind, null, List.of(), List.of());
    }

    /** Whether a date-time column carries a time of day. */
    public boolean hasTime() {
        return pattern != null && pattern.indexOf('H') >= 0;
    }
}

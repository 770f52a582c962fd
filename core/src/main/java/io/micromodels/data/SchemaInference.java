package io.micromodels.data;

import io.micromodels.frozen.plan.Cells;
import io.micromodels.frozen.plan.DateTimeStep;
import org.datavec.api.transform.schema.Schema;
import org.joda.time.DateTimeZone;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Infers each column's {@link ColumnKind} from its cells, with per-column overrides, and expresses the result as a
 * DataVec {@link Schema}.
 *
 * <p>Why not DataVec's {@code Schema.infer}: it looks only at the {@code Writable} types of one record, and every CSV
 * cell is {@code Text}, so it would call every column a string. The rules here (see {@link ColumnKind}) look at all
 * non-missing cells ({@link Cells#isMissing}).
 *
 * <p>Date-time patterns tried, in order (first that parses every cell wins): {@value #PATTERN_LIST}. A pattern can be
 * given per column in {@link DataOptions#dateTimePatterns()}.
 *
 * <pre>{@code
 * Table t = Table.parse("when,x\n2016-10-01 00:00:00,1.5\n", "inline", ',');
 * List<ColumnInfo> cols = SchemaInference.infer(t, t.header(), Map.of(), Map.of());
 * // [ColumnInfo[name=when, kind=DATETIME, pattern=yyyy-MM-dd HH:mm:ss, ...], ColumnInfo[name=x, kind=NUMERIC, ...]]
 * }</pre>
 */
public final class SchemaInference {
    static final String PATTERN_LIST = "yyyy-MM-dd HH:mm:ss, yyyy-MM-dd HH:mm:ss.SSS, yyyy-MM-dd'T'HH:mm:ss, yyyy-MM-dd HH:mm, "
            + "yyyy-MM-dd'T'HH:mm, yyyy/MM/dd HH:mm:ss, yyyy/MM/dd HH:mm, MM/dd/yyyy HH:mm:ss, MM/dd/yyyy HH:mm, "
            + "dd/MM/yyyy HH:mm:ss, dd/MM/yyyy HH:mm, dd.MM.yyyy HH:mm:ss, dd.MM.yyyy HH:mm, yyyy-MM-dd, yyyy/MM/dd, "
            + "MM/dd/yyyy, dd/MM/yyyy, dd.MM.yyyy";
    /** Candidate date-time patterns, most specific first. */
    public static final List<String> PATTERNS = List.of(PATTERN_LIST.split(", "));

    private static final List<List<String>> BOOLEAN_FAMILIES = List.of(
            List.of("true", "false"), List.of("yes", "no"), List.of("y", "n"), List.of("t", "f"));

    private SchemaInference() {
    }

    /**
     * Infers the kinds of the given columns of a table.
     *
     * @param table     the parsed CSV
     * @param columns   the columns to infer (each must exist)
     * @param overrides kinds forced per column; the cells must then parse as that kind
     * @param patterns  date-time patterns forced per column (implies {@link ColumnKind#DATETIME})
     * @return one entry per column that has at least one value, in the order given; all-missing columns are left
     *         out (see {@link #inferAll}, which also names them)
     * @throws DataException naming the file, line, column and value when a cell contradicts an override, or a numeric
     *                       column holds an infinite value
     */
    public static List<ColumnInfo> infer(Table table, List<String> columns, Map<String, ColumnKind> overrides, Map<String, String> patterns) {
        Result r = inferAll(table, columns, overrides, patterns);
        return r.columns();
    }

    /** Inference result: the typed columns and the names of columns with no value at all (dropped by the pipeline). */
    public record Result(List<ColumnInfo> columns, List<String> allMissing) {
        public Result {
            columns = List.copyOf(columns);
            allMissing = List.copyOf(allMissing);
        }
    }

    /** Like {@link #infer} but also reports the all-missing columns. */
    public static Result inferAll(Table table, List<String> columns, Map<String, ColumnKind> overrides, Map<String, String> patterns) {
        return inferAll(table, columns, overrides, patterns, new double[table.header().size()][]);
    }

    /**
     * Like {@link #inferAll(Table, List, Map, Map)}, also keeping the parsed values of every numeric column:
     * {@code numbers[c]} becomes [rowCount] values of table column c (NaN for a missing cell) when c is NUMERIC or
     * INTEGER, so that later steps need not parse the text again.
     */
    static Result inferAll(Table table, List<String> columns, Map<String, ColumnKind> overrides, Map<String, String> patterns,
                           double[][] numbers) {
        List<ColumnInfo> out = new ArrayList<>();
        List<String> allMissing = new ArrayList<>();
        for (String name : columns) {
            int c = table.require(name, "feature");
            ColumnInfo info = inferColumn(table, c, overrides.get(name), patterns.get(name), numbers);
            if (info == null) {
                allMissing.add(name);
            } else {
                out.add(info);
            }
        }
        return new Result(out, allMissing);
    }

    private static ColumnInfo inferColumn(Table table, int c, ColumnKind override, String pattern, double[][] numbers) {
        String name = table.header().get(c);
        int firstValue = -1;
        for (int r = 0; r < table.rowCount(); r++) {
            if (!Cells.isMissing(table.cell(r, c))) {
                firstValue = r;
                break;
            }
        }
        if (firstValue < 0) {
            if (override != null || pattern != null) {
                throw new DataException(table.source() + ": column '" + name + "' has no value at all, but its kind was set to "
                        + (override != null ? override : "DATETIME"));
            }
            return null;
        }
        if (pattern != null) {
            if (override != null && override != ColumnKind.DATETIME) {
                throw new DataException("column '" + name + "': a date-time pattern is given but its kind is set to " + override);
            }
            checkPattern(table, c, pattern, true);
            return new ColumnInfo(name, ColumnKind.DATETIME, pattern, List.of(), List.of());
        }
        if (override != null) {
            switch (override) {
                case NUMERIC, INTEGER -> {
                    checkNumbers(table, c, true, numbers);
                    return ColumnInfo.of(name, override);
                }
                case CATEGORICAL -> {
                    return ColumnInfo.of(name, override);
                }
                case BOOLEAN -> {
                    List<String> family = booleanFamily(table, c);
                    if (family == null) {
                        throw new DataException(table.source() + ": column '" + name + "' is set to BOOLEAN but its values "
                                + distinctSample(table, c) + " are not one of the pairs true/false, yes/no, y/n, t/f");
                    }
                    return new ColumnInfo(name, ColumnKind.BOOLEAN, null, List.of(family.get(0)), List.of(family.get(1)));
                }
                case DATETIME -> {
                    String p = inferPattern(table, c, firstValue);
                    if (p == null) {
                        String v = table.cell(firstValue, c);
                        throw new DataException(table.source() + ": line " + table.line(firstValue) + ", column '" + name
                                + "': the column is set to DATETIME but no known pattern parses its values (first value '"
                                + v + "'); give one in dateTimePatterns (patterns tried: " + PATTERN_LIST + ")");
                    }
                    return new ColumnInfo(name, ColumnKind.DATETIME, p, List.of(), List.of());
                }
                default -> throw new IllegalStateException(override.toString());
            }
        }
        Boolean integer = checkNumbers(table, c, false, numbers);
        if (integer != null) {
            return ColumnInfo.of(name, integer ? ColumnKind.INTEGER : ColumnKind.NUMERIC);
        }
        List<String> family = booleanFamily(table, c);
        if (family != null) {
            return new ColumnInfo(name, ColumnKind.BOOLEAN, null, List.of(family.get(0)), List.of(family.get(1)));
        }
        String p = inferPattern(table, c, firstValue);
        if (p != null) {
            return new ColumnInfo(name, ColumnKind.DATETIME, p, List.of(), List.of());
        }
        return ColumnInfo.of(name, ColumnKind.CATEGORICAL);
    }

    /**
     * Checks that every non-missing cell is a finite number.
     *
     * @param strict true: a non-number is an error; false: return null at the first non-number
     * @return whether all values are written as whole numbers, or null (not numeric, non-strict)
     */
    private static Boolean checkNumbers(Table table, int c, boolean strict, double[][] numbers) {
        // One pass: a non-number decides at once (null, or an error when strict); the first infinite value is
        // remembered and reported only if every cell is numeric text. The values are kept in numbers[c].
        boolean integer = true;
        DataException infinite = null;
        double[] values = new double[table.rowCount()];
        for (int r = 0; r < table.rowCount(); r++) {
            String v = table.cell(r, c);
            if (Cells.isMissing(v)) {
                values[r] = Double.NaN;
                continue;
            }
            if (!Cells.isNumeric(v)) {
                if (!strict) {
                    return null;
                }
                throw new DataException(table.source() + ": line " + table.line(r) + ", column '" + table.header().get(c)
                        + "': expected a number, got '" + v + "'");
            }
            if (infinite != null) {
                continue;
            }
            try {
                values[r] = Cells.number(v);
            } catch (NumberFormatException e) {
                infinite = new DataException(table.source() + ": line " + table.line(r) + ", column '" + table.header().get(c)
                        + "': " + e.getMessage() + " (numbers must be finite; leave the cell empty or write NA for a missing value)");
                continue;
            }
            if (integer && (v.indexOf('.') >= 0 || v.indexOf('e') >= 0 || v.indexOf('E') >= 0)) {
                integer = false;
            }
        }
        if (infinite != null) {
            throw infinite;
        }
        numbers[c] = values;
        return integer;
    }

    private static List<String> booleanFamily(Table table, int c) {
        Set<String> values = new HashSet<>();
        for (int r = 0; r < table.rowCount(); r++) {
            String v = table.cell(r, c);
            if (!Cells.isMissing(v)) {
                values.add(v.strip().toLowerCase(Locale.ROOT));
                if (values.size() > 2) {
                    return null;
                }
            }
        }
        for (List<String> family : BOOLEAN_FAMILIES) {
            if (family.containsAll(values)) {
                return family;
            }
        }
        return null;
    }

    private static String inferPattern(Table table, int c, int firstValue) {
        String first = table.cell(firstValue, c).strip();
        if (first.length() < 8 || first.chars().noneMatch(Character::isDigit)) {
            return null;
        }
        for (String p : PATTERNS) {
            DateTimeFormatter f = DateTimeStep.formatter(p);
            if (parses(f, first, p) && checkPattern(table, c, p, false)) {
                return p;
            }
        }
        return null;
    }

    private static boolean parses(DateTimeFormatter f, String value, String pattern) {
        try {
            TemporalAccessor t = f.parse(value);
            return pattern.indexOf('H') < 0 || t.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Every non-missing cell parses with the pattern; strict: else an error naming the line and value. */
    private static boolean checkPattern(Table table, int c, String pattern, boolean strict) {
        DateTimeFormatter f;
        try {
            f = DateTimeStep.formatter(pattern);
        } catch (IllegalArgumentException e) {
            throw new DataException("column '" + table.header().get(c) + "': invalid date-time pattern '" + pattern + "': " + e.getMessage());
        }
        for (int r = 0; r < table.rowCount(); r++) {
            String v = table.cell(r, c);
            if (Cells.isMissing(v)) {
                continue;
            }
            if (!parses(f, v.strip(), pattern)) {
                if (strict) {
                    throw new DataException(table.source() + ": line " + table.line(r) + ", column '" + table.header().get(c)
                            + "': '" + v + "' does not match the date-time pattern " + pattern);
                }
                return false;
            }
        }
        return true;
    }

    private static String distinctSample(Table table, int c) {
        Set<String> values = new java.util.LinkedHashSet<>();
        for (int r = 0; r < table.rowCount(); r++) {
            String v = table.cell(r, c);
            if (!Cells.isMissing(v)) {
                values.add(v.strip());
                if (values.size() >= 5) {
                    break;
                }
            }
        }
        return values.toString();
    }

    /**
     * The columns as a DataVec schema: NUMERIC → double, INTEGER → integer, CATEGORICAL → categorical (with the given
     * levels when known, else string), BOOLEAN → boolean, DATETIME → time (UTC, local times).
     */
    public static Schema toDataVec(List<ColumnInfo> columns, Map<String, List<String>> levels) {
        Schema.Builder b = new Schema.Builder();
        for (ColumnInfo c : columns) {
            switch (c.kind()) {
                case NUMERIC -> b.addColumnDouble(c.name());
                case INTEGER -> b.addColumnInteger(c.name());
                case CATEGORICAL -> {
                    List<String> l = levels.get(c.name());
                    if (l == null) {
                        b.addColumnString(c.name());
                    } else {
                        b.addColumnCategorical(c.name(), l);
                    }
                }
                case BOOLEAN -> b.addColumnBoolean(c.name());
                case DATETIME -> b.addColumnTime(c.name(), DateTimeZone.UTC);
                default -> throw new IllegalStateException(c.kind().toString());
            }
        }
        return b.build();
    }
}

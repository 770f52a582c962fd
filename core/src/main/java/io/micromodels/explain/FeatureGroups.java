package io.micromodels.explain;

import io.micromodels.text.Fmt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the model's input columns group into original features; every explanation is reported per
 * group. A numeric feature is a singleton group; the one-hot columns of one categorical feature
 * form one group, optionally with one level label per column.
 *
 * <p>The groups partition the columns {@code 0 .. width-1}: every column belongs to exactly one
 * group. Immutable.
 *
 * <p>Each group may carry a {@link FeatureDecoder} that reads its columns back as the original
 * feature's value for plots and labels (for example a standardised column in raw units); without
 * one, {@link #featureValue} and {@link #displayValue} use the defaults they document.
 *
 * <pre>{@code
 * FeatureGroups g = FeatureGroups.builder()
 *         .numeric("age", 0)
 *         .categorical("colour", List.of("red", "green", "blue"), 1, 2, 3)
 *         .numeric("income", 4)
 *         .build();               // width 5, 3 features
 * }</pre>
 */
public final class FeatureGroups {

    private final String[] names;
    private final int[][] columns;
    private final List<List<String>> levels;
    private final FeatureDecoder[] decoders;
    private final int[] groupOfColumn;

    private FeatureGroups(List<String> names, List<int[]> columns, List<List<String>> levels,
                          List<FeatureDecoder> decoders) {
        if (names.isEmpty()) throw new IllegalArgumentException("feature groups must not be empty");
        Set<String> seen = new HashSet<>();
        int max = -1;
        for (int g = 0; g < names.size(); g++) {
            String n = names.get(g);
            if (n == null || n.isBlank()) throw new IllegalArgumentException("feature name " + g + " must not be blank");
            if (!seen.add(n)) throw new IllegalArgumentException("feature name must be unique, got '" + n + "' twice");
            int[] cols = columns.get(g);
            if (cols == null || cols.length == 0) {
                throw new IllegalArgumentException("feature '" + n + "' must have at least 1 column");
            }
            for (int c : cols) {
                if (c < 0) throw new IllegalArgumentException("column of feature '" + n + "' must be >= 0, got " + c);
                max = Math.max(max, c);
            }
            List<String> lv = levels.get(g);
            if (!lv.isEmpty() && lv.size() != cols.length) {
                throw new IllegalArgumentException("feature '" + n + "' has " + cols.length + " columns but "
                        + lv.size() + " level labels");
            }
        }
        int width = max + 1;
        int[] owner = new int[width];
        Arrays.fill(owner, -1);
        for (int g = 0; g < names.size(); g++) {
            for (int c : columns.get(g)) {
                if (owner[c] >= 0) {
                    throw new IllegalArgumentException("column " + c + " belongs to both '" + names.get(owner[c])
                            + "' and '" + names.get(g) + "'");
                }
                owner[c] = g;
            }
        }
        for (int c = 0; c < width; c++) {
            if (owner[c] < 0) {
                throw new IllegalArgumentException("column " + c + " belongs to no feature; columns 0.."
                        + (width - 1) + " must all be grouped");
            }
        }
        this.names = names.toArray(new String[0]);
        this.columns = new int[columns.size()][];
        for (int g = 0; g < columns.size(); g++) this.columns[g] = columns.get(g).clone();
        List<List<String>> lv = new ArrayList<>();
        for (List<String> l : levels) lv.add(List.copyOf(l));
        this.levels = Collections.unmodifiableList(lv);
        this.decoders = decoders.toArray(new FeatureDecoder[0]);
        this.groupOfColumn = owner;
    }

    /** {@code width} singleton groups named {@code x0, x1, ...}. */
    public static FeatureGroups indexed(int width) {
        Check.range("width", width, 1, 1_000_000);
        List<String> names = new ArrayList<>(width);
        for (int i = 0; i < width; i++) names.add("x" + i);
        return singletons(names);
    }

    /** One singleton group per column, named in column order. */
    public static FeatureGroups singletons(List<String> names) {
        Check.notNull("names", names);
        Builder b = builder();
        for (int i = 0; i < names.size(); i++) b.numeric(names.get(i), i);
        return b.build();
    }

    /** Groups from an ordered map of feature name to its column indices (iteration order is kept). */
    public static FeatureGroups of(Map<String, List<Integer>> groups) {
        Check.notNull("groups", groups);
        Builder b = builder();
        for (Map.Entry<String, List<Integer>> e : groups.entrySet()) {
            Check.notNull("columns of '" + e.getKey() + "'", e.getValue());
            b.group(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray());
        }
        return b.build();
    }

    /** A builder; groups are reported in the order they are added. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of groups (original features), M. */
    public int size() {
        return names.length;
    }

    /** Number of model input columns covered. */
    public int width() {
        return groupOfColumn.length;
    }

    /** Name of group {@code g}. */
    public String name(int g) {
        return names[g];
    }

    /** All group names in order, size M. */
    public List<String> names() {
        return List.of(names);
    }

    /** Column indices of group {@code g} (a copy). */
    public int[] columns(int g) {
        return columns[g].clone();
    }

    int[] columnsView(int g) {
        return columns[g];
    }

    /** Level labels of group {@code g}, one per column, or an empty list. */
    public List<String> levels(int g) {
        return levels.get(g);
    }

    /** The group that owns {@code column}. */
    public int groupOf(int column) {
        return groupOfColumn[column];
    }

    /** The display decoder of group {@code g}, or null when it uses the defaults. */
    public FeatureDecoder decoder(int g) {
        return decoders[g];
    }

    /**
     * The scalar value of group {@code g} in {@code row} (shape {@code [width]}), used to colour plots:
     * the group's {@link FeatureDecoder#value} if it has a decoder; else the column value for a
     * singleton group, and for a multi-column group the 0-based position of its largest column (the
     * level index of a one-hot group), or NaN when all its columns are equal.
     */
    public double featureValue(int g, double[] row) {
        if (decoders[g] != null) return decoders[g].value(row);
        int[] cols = columns[g];
        if (cols.length == 1) return row[cols[0]];
        int best = 0;
        boolean allEqual = true;
        for (int k = 1; k < cols.length; k++) {
            if (row[cols[k]] != row[cols[0]]) allEqual = false;
            if (row[cols[k]] > row[cols[best]]) best = k;
        }
        return allEqual ? Double.NaN : best;
    }

    /**
     * Label of group {@code g}'s value in {@code row} (shape {@code [width]}): the decoder's label if the
     * group has one, else a number, or a level label.
     */
    public String displayValue(int g, double[] row) {
        if (decoders[g] != null) return decoders[g].label(row);
        double v = featureValue(g, row);
        if (columns[g].length == 1) return Fmt.num(v);
        if (Double.isNaN(v)) return "?";
        List<String> lv = levels.get(g);
        return lv.isEmpty() ? "level " + (int) v : lv.get((int) v);
    }

    @Override
    public String toString() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int g = 0; g < names.length; g++) m.put(names[g], Arrays.toString(columns[g]));
        return "FeatureGroups" + m;
    }

    /** Collects groups in order; see {@link FeatureGroups}. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<int[]> columns = new ArrayList<>();
        private final List<List<String>> levels = new ArrayList<>();
        private final List<FeatureDecoder> decoders = new ArrayList<>();

        private Builder() {}

        /** A numeric feature in one column. */
        public Builder numeric(String name, int column) {
            return add(name, new int[] {column}, List.of(), null);
        }

        /** A feature spread over several columns, reported as one. */
        public Builder group(String name, int... columns) {
            return add(name, Check.notNull("columns", columns).clone(), List.of(), null);
        }

        /** A one-hot categorical feature: one column per level, labelled by {@code levels}. */
        public Builder categorical(String name, List<String> levels, int... columns) {
            Check.notNull("levels", levels);
            return add(name, Check.notNull("columns", columns).clone(), levels, null);
        }

        /**
         * A one-hot categorical feature with one label per column and a decoder for its display (e.g.
         * naming an all-zero row "unseen", or a missing-indicator column "missing").
         */
        public Builder categorical(String name, List<String> levels, FeatureDecoder decoder, int... columns) {
            Check.notNull("levels", levels);
            Check.notNull("decoder", decoder);
            return add(name, Check.notNull("columns", columns).clone(), levels, decoder);
        }

        /** A feature over {@code columns} whose value is shown and coloured as {@code decoder} says. */
        public Builder decoded(String name, FeatureDecoder decoder, int... columns) {
            Check.notNull("decoder", decoder);
            return add(name, Check.notNull("columns", columns).clone(), List.of(), decoder);
        }

        private Builder add(String name, int[] cols, List<String> lv, FeatureDecoder decoder) {
            names.add(name);
            columns.add(cols);
            levels.add(lv);
            decoders.add(decoder);
            return this;
        }

        /** Validates and builds; throws {@link IllegalArgumentException} naming the offending feature. */
        public FeatureGroups build() {
            return new FeatureGroups(names, columns, levels, decoders);
        }
    }
}

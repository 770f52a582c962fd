package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to turn a CSV into training data: an immutable record validated in its compact constructor. Build one with
 * {@link #of(String)} (all defaults), {@link #builder(String)}, {@link #toBuilder()} or the {@code withX} methods.
 *
 * <pre>{@code
 * DataOptions options = DataOptions.builder("traffic_volume")
 *         .timeColumn("datetime")            // time-ordered split
 *         .normalization(Normalization.MIN_MAX)
 *         .seed(7)
 *         .build();
 * }</pre>
 *
 * @param target                the target column (required)
 * @param task                  null = infer: a numeric target with more than 10 distinct values is regression, 2 classes
 *                              binary, otherwise multiclass
 * @param separator             field separator, default {@code ','} (use {@code ';'} for many European CSVs, {@code '\t'} for TSV)
 * @param dropColumns           columns to ignore (ids, leaks such as {@code num} in the heart data); each must exist
 * @param columnKinds           per-column kind overrides of the inference (e.g. a coded {@code cp} column → categorical)
 * @param dateTimePatterns      per-column date-time patterns ({@link java.time.format.DateTimeFormatter} syntax),
 *                              overriding pattern inference
 * @param missingPolicy         drop rows with missing feature cells, or impute (default)
 * @param missingIndicators     add a 0/1 "column:missing" feature for each column with missing cells in the training split
 * @param normalization         encoding of numeric features (default piecewise-linear: measured at least as good as
 *                              standardising on every bundled dataset, see gpu-bench/RESULTS.md, issue 12)
 * @param validationFraction    fraction of rows for validation, in (0, 0.5], default 0.15
 * @param testFraction          fraction of rows for test, in (0, 0.5], default 0.15; the rest is training
 * @param timeColumn            null = seeded random split (stratified for classification); else sort by this column and
 *                              split in time order: train, then validation, then test
 * @param nearConstantThreshold drop an input column whose most frequent value (missing counted as a value) covers at
 *                              least this fraction of the training rows; in (0, 1], default 1 (only constant columns)
 * @param topK                  keep only the k best input columns by {@code selectionMethod} (0 = keep all)
 * @param selectionMethod       ranking used by {@code topK}
 * @param positiveClass         the positive class label for binary tasks (null = infer: a label among 1, true, yes,
 *                              y, positive, else the minority class)
 * @param seed                  seed of every random choice (the split)
 * @param badCells              what to do with the few cells of an almost numeric column that are not numbers (see
 *                              {@link BadCellPolicy}): an error listing them (default) or treat them as missing
 * @param keepDuplicates        keep exact duplicate rows (default false: a row equal in every column to an earlier row is
 *                              dropped before the split, so that no copy sits in both training and test)
 * @param splitFile             null = split as above; else a {@code split.csv} ({@code row,part}: 0-based data-row index in
 *                              the file, part {@code train}, {@code validation} or {@code test}) that fixes the split: every
 *                              used row exactly once, listed in the order the part uses them (see {@link SplitFile})
 * @param dateTrend             give each date-time column a trend feature beside the cyclical ones: the date as
 *                              fractional years since 1970, standardised with the training split's mean and std (default
 *                              false; written to JSON only when true, so older copies read and write unchanged)
 */
public record DataOptions(
        String target,
        TaskKind task,
        char separator,
        List<String> dropColumns,
        Map<String, ColumnKind> columnKinds,
        Map<String, String> dateTimePatterns,
        MissingPolicy missingPolicy,
        boolean missingIndicators,
        Normalization normalization,
        double validationFraction,
        double testFraction,
        String timeColumn,
        double nearConstantThreshold,
        int topK,
        SelectionMethod selectionMethod,
        String positiveClass,
        long seed,
        BadCellPolicy badCells,
        boolean keepDuplicates,
        String splitFile,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
        boolean dateTrend) {

    /** Default seed. */
    public static final long DEFAULT_SEED = 42L;

    public DataOptions {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target must be a column name, got " + (target == null ? "null" : "'" + target + "'"));
        }
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("separator must not be a quote or a line break, got " + printable(separator));
        }
        dropColumns = List.copyOf(Objects.requireNonNull(dropColumns, "dropColumns"));
        if (new LinkedHashSet<>(dropColumns).size() != dropColumns.size()) {
            throw new IllegalArgumentException("dropColumns has duplicates: " + dropColumns);
        }
        if (dropColumns.contains(target)) {
            throw new IllegalArgumentException("target '" + target + "' is also in dropColumns");
        }
        columnKinds = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(columnKinds, "columnKinds")));
        columnKinds.forEach((k, v) -> Objects.requireNonNull(v, "columnKinds value for " + k));
        dateTimePatterns = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(dateTimePatterns, "dateTimePatterns")));
        for (Map.Entry<String, String> e : dateTimePatterns.entrySet()) {
            try {
                java.time.format.DateTimeFormatter.ofPattern(e.getValue());
            } catch (IllegalArgumentException | NullPointerException ex) {
                throw new IllegalArgumentException("dateTimePatterns: invalid pattern for '" + e.getKey() + "': " + e.getValue(), ex);
            }
        }
        Objects.requireNonNull(missingPolicy, "missingPolicy");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(selectionMethod, "selectionMethod");
        Objects.requireNonNull(badCells, "badCells");
        if (!(validationFraction > 0 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 0.5], got " + validationFraction);
        }
        if (!(testFraction > 0 && testFraction <= 0.5)) {
            throw new IllegalArgumentException("testFraction must be in (0, 0.5], got " + testFraction);
        }
        if (validationFraction + testFraction >= 0.95) {
            throw new IllegalArgumentException("validationFraction + testFraction must leave at least 5% for training, got "
                    + validationFraction + " + " + testFraction);
        }
        if (timeColumn != null && timeColumn.isBlank()) {
            throw new IllegalArgumentException("timeColumn must be null or a column name, got '" + timeColumn + "'");
        }
        if (timeColumn != null && (timeColumn.equals(target) || dropColumns.contains(timeColumn))) {
            throw new IllegalArgumentException("timeColumn '" + timeColumn + "' must be a feature column, not the target or a dropped column");
        }
        if (!(nearConstantThreshold > 0 && nearConstantThreshold <= 1)) {
            throw new IllegalArgumentException("nearConstantThreshold must be in (0, 1], got " + nearConstantThreshold);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = keep all), got " + topK);
        }
        if (positiveClass != null && positiveClass.isBlank()) {
            throw new IllegalArgumentException("positiveClass must be null or a class label, got '" + positiveClass + "'");
        }
        if (positiveClass != null && task != null && task != TaskKind.BINARY) {
            throw new IllegalArgumentException("positiveClass is only meaningful for a binary task, got task " + task);
        }
        if (splitFile != null && splitFile.isBlank()) {
            throw new IllegalArgumentException("splitFile must be null or a file path, got '" + splitFile + "'");
        }
        if (splitFile != null && timeColumn != null) {
            throw new IllegalArgumentException("splitFile and timeColumn exclude each other: the split file fixes the split, got splitFile '"
                    + splitFile + "' and timeColumn '" + timeColumn + "'");
        }
    }

    /**
     * Fills the keys a JSON copy of these options written before they existed lacks, with the behaviour of that time
     * ({@code keepDuplicates} false, {@code splitFile} null, {@code dateTrend} false): for reading old {@code provenance.json} and {@code study.json}.
     */
    public static void fillLegacyKeys(com.fasterxml.jackson.databind.node.ObjectNode json) {
        if (!json.has("keepDuplicates")) {
            json.put("keepDuplicates", false);
        }
        if (!json.has("splitFile")) {
            json.putNull("splitFile");
        }
        if (!json.has("dateTrend")) {
            json.put("dateTrend", false);
        }
    }

    /** Defaults for a target column: comma separator, impute, piecewise-linear encoding, 70/15/15 stratified split, seed 42. */
    public static DataOptions of(String target) {
        return builder(target).build();
    }

    /** A builder starting from the defaults of {@link #of(String)}. */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder(target);
        b.task = task;
        b.separator = separator;
        b.dropColumns = new ArrayList<>(dropColumns);
        b.columnKinds = new LinkedHashMap<>(columnKinds);
        b.dateTimePatterns = new LinkedHashMap<>(dateTimePatterns);
        b.missingPolicy = missingPolicy;
        b.missingIndicators = missingIndicators;
        b.normalization = normalization;
        b.validationFraction = validationFraction;
        b.testFraction = testFraction;
        b.timeColumn = timeColumn;
        b.nearConstantThreshold = nearConstantThreshold;
        b.topK = topK;
        b.selectionMethod = selectionMethod;
        b.positiveClass = positiveClass;
        b.seed = seed;
        b.badCells = badCells;
        b.keepDuplicates = keepDuplicates;
        b.splitFile = splitFile;
        b.dateTrend = dateTrend;
        return b;
    }

    public DataOptions withTarget(String target) {
        return toBuilder().target(target).build();
    }

    public DataOptions withTask(TaskKind task) {
        return toBuilder().task(task).build();
    }

    public DataOptions withSeparator(char separator) {
        return toBuilder().separator(separator).build();
    }

    public DataOptions withSeed(long seed) {
        return toBuilder().seed(seed).build();
    }

    public DataOptions withDropColumns(List<String> dropColumns) {
        return toBuilder().dropColumns(dropColumns).build();
    }

    public DataOptions withTimeColumn(String timeColumn) {
        return toBuilder().timeColumn(timeColumn).build();
    }

    public DataOptions withNormalization(Normalization normalization) {
        return toBuilder().normalization(normalization).build();
    }

    public DataOptions withMissingPolicy(MissingPolicy missingPolicy) {
        return toBuilder().missingPolicy(missingPolicy).build();
    }

    public DataOptions withMissingIndicators(boolean missingIndicators) {
        return toBuilder().missingIndicators(missingIndicators).build();
    }

    public DataOptions withColumnKind(String column, ColumnKind kind) {
        return toBuilder().columnKind(column, kind).build();
    }

    public DataOptions withBadCells(BadCellPolicy badCells) {
        return toBuilder().badCells(badCells).build();
    }

    public DataOptions withFeatureSelection(double nearConstantThreshold, int topK, SelectionMethod method) {
        return toBuilder().nearConstantThreshold(nearConstantThreshold).topK(topK).selectionMethod(method).build();
    }

    static String printable(char c) {
        return switch (c) {
            case '\t' -> "'\\t'";
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            default -> "'" + c + "'";
        };
    }

    /** Mutable builder for {@link DataOptions}; {@link #build()} validates. */
    public static final class Builder {
        private String target;
        private TaskKind task;
        private char separator = ',';
        private List<String> dropColumns = new ArrayList<>();
        private Map<String, ColumnKind> columnKinds = new LinkedHashMap<>();
        private Map<String, String> dateTimePatterns = new LinkedHashMap<>();
        private MissingPolicy missingPolicy = MissingPolicy.IMPUTE;
        private boolean missingIndicators;
        private Normalization normalization = Normalization.PIECEWISE_LINEAR;
        private double validationFraction = 0.15;
        private double testFraction = 0.15;
        private String timeColumn;
        private double nearConstantThreshold = 1.0;
        private int topK;
        private SelectionMethod selectionMethod = SelectionMethod.MUTUAL_INFORMATION;
        private String positiveClass;
        private long seed = DEFAULT_SEED;
        private BadCellPolicy badCells = BadCellPolicy.ERROR;
        private boolean keepDuplicates;
        private String splitFile;
        private boolean dateTrend;

        private Builder(String target) {
            this.target = target;
        }

        public Builder target(String target) {
            this.target = target;
            return this;
        }

        public Builder task(TaskKind task) {
            this.task = task;
            return this;
        }

        public Builder separator(char separator) {
            this.separator = separator;
            return this;
        }

        public Builder dropColumns(List<String> dropColumns) {
            this.dropColumns = new ArrayList<>(dropColumns);
            return this;
        }

        public Builder dropColumn(String column) {
            this.dropColumns.add(column);
            return this;
        }

        public Builder columnKinds(Map<String, ColumnKind> columnKinds) {
            this.columnKinds = new LinkedHashMap<>(columnKinds);
            return this;
        }

        public Builder columnKind(String column, ColumnKind kind) {
            this.columnKinds.put(column, kind);
            return this;
        }

        public Builder dateTimePattern(String column, String pattern) {
            this.dateTimePatterns.put(column, pattern);
            return this;
        }

        public Builder dateTimePatterns(Map<String, String> patterns) {
            this.dateTimePatterns = new LinkedHashMap<>(patterns);
            return this;
        }

        public Builder missingPolicy(MissingPolicy missingPolicy) {
            this.missingPolicy = missingPolicy;
            return this;
        }

        public Builder missingIndicators(boolean missingIndicators) {
            this.missingIndicators = missingIndicators;
            return this;
        }

        public Builder normalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        public Builder validationFraction(double validationFraction) {
            this.validationFraction = validationFraction;
            return this;
        }

        public Builder testFraction(double testFraction) {
            this.testFraction = testFraction;
            return this;
        }

        public Builder timeColumn(String timeColumn) {
            this.timeColumn = timeColumn;
            return this;
        }

        public Builder nearConstantThreshold(double nearConstantThreshold) {
            this.nearConstantThreshold = nearConstantThreshold;
            return this;
        }

        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder selectionMethod(SelectionMethod selectionMethod) {
            this.selectionMethod = selectionMethod;
            return this;
        }

        public Builder positiveClass(String positiveClass) {
            this.positiveClass = positiveClass;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder badCells(BadCellPolicy badCells) {
            this.badCells = badCells;
            return this;
        }

        public Builder keepDuplicates(boolean keepDuplicates) {
            this.keepDuplicates = keepDuplicates;
            return this;
        }

        public Builder splitFile(String splitFile) {
            this.splitFile = splitFile;
            return this;
        }

        public Builder dateTrend(boolean dateTrend) {
            this.dateTrend = dateTrend;
            return this;
        }

        public DataOptions build() {
            return new DataOptions(target, task, separator, dropColumns, columnKinds, dateTimePatterns, missingPolicy,
                    missingIndicators, normalization, validationFraction, testFraction, timeColumn,
                    nearConstantThreshold, topK, selectionMethod, positiveClass, seed, badCells, keepDuplicates, splitFile, dateTrend);
        }
    }
}

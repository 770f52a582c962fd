package io.micromodels.cli;

import io.micromodels.data.BadCellPolicy;
import io.micromodels.data.DataOptions;
import io.micromodels.frozen.TaskKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The data options, one picocli mixin shared by every command that reads training data ({@code train}, {@code tune}):
 * {@code --target}, {@code --task}, {@code --drop}, {@code --time-column}, {@code --bad-cells},
 * {@code --keep-duplicates}, {@code --split-file} and {@code --sep} ({@link SeparatorFlag}, also used alone by
 * {@code predict} and {@code explain}). {@link #apply} turns the given flags into {@link DataOptions}; {@link #flags}
 * names a {@link DataOptions} in flags (what {@code tune --resume} compares); {@link #inFlags} rewrites the Java field
 * names of core messages into flags.
 */
final class DataFlags {
    @Option(names = "--target", paramLabel = "COL", description = "The column to predict (with --data).")
    String target;

    @Option(names = "--task", paramLabel = "binary|multiclass|regression",
            description = "What the target is (default: inferred from its values).")
    String task;

    @Option(names = "--drop", split = ",", paramLabel = "COL", description = "Columns to ignore (ids, leaks); repeatable or comma-separated.")
    List<String> drop = new ArrayList<>();

    @Option(names = "--time-column", paramLabel = "COL",
            description = "Split in time order by this column instead of a stratified random split.")
    String timeColumn;

    @Option(names = "--bad-cells", paramLabel = "error|missing",
            description = "Cells that are not numbers in an almost numeric column (>= 95%% numbers): 'error' (default) "
                    + "lists them; 'missing' treats them as missing, with a warning per column.")
    String badCells;

    @Option(names = "--keep-duplicates", description = "Keep rows equal in every column to an earlier row (default: drop "
            + "them before the split, so that no copy is in both training and test).")
    boolean keepDuplicates;

    @Option(names = "--split-file", paramLabel = "split.csv", description = "Reuse a split: a split.csv written by train or "
            + "tune (row,part; row = 0-based data-row index, part train|validation|test).")
    Path splitFile;

    @Mixin
    SeparatorFlag separator = new SeparatorFlag();

    /** Whether any flag besides {@code --target} was given. */
    boolean anyGiven() {
        return task != null || !drop.isEmpty() || timeColumn != null || badCells != null || keepDuplicates
                || splitFile != null || separator.given();
    }

    /**
     * Applies the given flags to a builder (a bundled dataset's options, or a CSV's defaults); errors name the flag.
     *
     * @param bundled true for a bundled dataset: --target and --sep are refused (the catalogue has them)
     */
    DataOptions apply(DataOptions.Builder b, boolean bundled) {
        if (bundled && target != null) {
            throw new CliException("--target applies to --data files; a bundled dataset has its own target");
        }
        if (bundled && separator.given()) {
            throw new CliException("--sep applies to --data files, not to bundled datasets");
        }
        if (task != null) {
            b.task(parseTask(task));
        }
        if (!drop.isEmpty()) {
            b.dropColumns(drop);
        }
        if (timeColumn != null) {
            b.timeColumn(timeColumn);
        }
        if (badCells != null) {
            b.badCells(parseBadCells(badCells));
        }
        if (keepDuplicates) {
            b.keepDuplicates(true);
        }
        if (splitFile != null) {
            if (!java.nio.file.Files.isRegularFile(splitFile)) {
                throw new CliException("--split-file " + splitFile + " does not exist");
            }
            b.splitFile(splitFile.toAbsolutePath().normalize().toString());
        }
        if (separator.given()) {
            b.separator(separator.get());
        }
        return build(b);
    }

    /** Builds, with a failed check's message in flags. */
    static DataOptions build(DataOptions.Builder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(inFlags(e.getMessage()));
        }
    }

    /** The data options as flag → value, for people ({@code tune --resume} names the flags that differ). */
    static Map<String, String> flags(DataOptions o) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--target", o.target());
        m.put("--task", o.task() == null ? "inferred" : o.task().name().toLowerCase(java.util.Locale.ROOT));
        m.put("--sep", o.separator() == '\t' ? "\\t" : String.valueOf(o.separator()));
        m.put("--drop", o.dropColumns().isEmpty() ? "none" : String.join(",", o.dropColumns()));
        m.put("--time-column", o.timeColumn() == null ? "none" : o.timeColumn());
        m.put("--bad-cells", o.badCells().name().toLowerCase(java.util.Locale.ROOT));
        m.put("--keep-duplicates", String.valueOf(o.keepDuplicates()));
        m.put("--split-file", o.splitFile() == null ? "none" : o.splitFile());
        m.put("--positive-class", o.positiveClass() == null ? "inferred" : o.positiveClass());
        return m;
    }

    /** The first flag whose value differs, as {@code --drop was 'id', now 'id,age'}, or null when none does. */
    static String difference(DataOptions recorded, DataOptions now) {
        Map<String, String> a = flags(recorded);
        Map<String, String> b = flags(now);
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (!e.getValue().equals(b.get(e.getKey()))) {
                diffs.add(e.getKey() + " was '" + e.getValue() + "', now '" + b.get(e.getKey()) + "'");
            }
        }
        return diffs.isEmpty() ? null : String.join("; ", diffs);
    }

    /** Field names of {@link DataOptions} as they appear in core messages, and their flags. */
    private static final String[][] FIELDS = {
            {"dropColumns", "--drop"}, {"timeColumn", "--time-column"}, {"positiveClass", "--positive-class"},
            {"badCells", "--bad-cells"}, {"keepDuplicates", "--keep-duplicates"}, {"splitFile", "--split-file"},
            {"separator", "--sep"}};

    /**
     * A core message in flags: {@code dropColumns} becomes {@code --drop}, {@code target column 'x'} becomes
     * {@code --target column 'x'}, and so on (whole words only).
     */
    static String inFlags(String message) {
        if (message == null) {
            return null;
        }
        String m = message;
        for (String[] f : FIELDS) {
            m = m.replaceAll("(?<![\\w-])" + f[0] + "(?!\\w)", java.util.regex.Matcher.quoteReplacement(f[1]));
        }
        m = m.replaceAll("(?<![\\w-])target column '", "--target column '");
        m = m.replaceAll("(?<![\\w-])target '", "--target '");
        return m;
    }

    static TaskKind parseTask(String s) {
        for (TaskKind k : TaskKind.values()) {
            if (k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new CliException("--task must be one of binary, multiclass, regression; got '" + s + "'");
    }

    static BadCellPolicy parseBadCells(String s) {
        for (BadCellPolicy p : BadCellPolicy.values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new CliException("--bad-cells must be 'error' or 'missing', got '" + s + "'");
    }
}

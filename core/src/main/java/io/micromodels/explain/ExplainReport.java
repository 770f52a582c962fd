package io.micromodels.explain;

import io.micromodels.data.DataException;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.Table;
import io.micromodels.files.AtomicFiles;
import io.micromodels.train.TrainedModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The explain report of a saved model on a table of rows, as {@code micromodels explain} prints and writes it:
 * permutation importance (when the rows carry the target column), SHAP values per original column for chosen rows
 * with a seeded background, and the explained rows' raw cells. Immutable once made; {@link #writeCsv} writes its
 * three CSV files, and the plots module draws its figures.
 *
 * <pre>{@code
 * try (TrainedModel model = ModelStore.load(Path.of("runs/train-1/model.zip"))) {
 *     ExplainReport report = ExplainReport.run(model, Path.of("datasets/german_credit.csv"), ',',
 *             ExplainReport.Options.DEFAULTS.withRows(List.of(0, 1, 2)), System.out::println);
 *     report.writeCsv(Path.of("runs/explain-1"));   // importance.csv, shap_values.csv, feature_values.csv
 *     double[] meanAbs = report.meanAbsShap();      // [features], per original column
 * }
 * }</pre>
 *
 * <p>Bad options throw {@link OptionException}, whose message starts with the option's name as the command line
 * spells it without the dashes ({@code rows}, {@code class}, {@code background}, {@code repeats}, {@code data},
 * {@code background-data}).
 */
public final class ExplainReport {

    /** Rows explained when neither rows nor all is given. */
    public static final int DEFAULT_SAMPLE = 200;
    /** Names of the files that {@link #writeCsv} writes. */
    public static final List<String> CSV_FILES = List.of("importance.csv", "shap_values.csv", "feature_values.csv");

    /** An invalid option; {@link #option()} is its name (e.g. {@code rows}), which the message starts with. */
    public static final class OptionException extends IllegalArgumentException {
        private final String option;

        OptionException(String option, String message) {
            super(message);
            this.option = option;
        }

        /** The option's name, e.g. {@code rows} or {@code class}. */
        public String option() {
            return option;
        }
    }

    /**
     * What to explain and how. Immutable; validated on construction.
     *
     * @param rows             0-based data rows to explain, in order, duplicates dropped; empty: a seeded sample of
     *                         {@value #DEFAULT_SAMPLE} rows (all rows if fewer), or every row with {@code all}
     * @param all              explain every row (only with empty {@code rows})
     * @param classLabel       classifiers: the class whose probability is explained; null for the default (the
     *                         positive class for binary, the first class for multiclass)
     * @param background       SHAP background rows (or k-means centres), in [1, 10000]; default 100
     * @param backgroundMethod how the background is drawn; default random
     * @param repeats          permutation repeats per feature, in [1, 1000]; default 5
     * @param seed             seed of the background, the row sample, the permutations and Kernel SHAP; default 42
     */
    public record Options(List<Integer> rows, boolean all, String classLabel, int background,
                          BackgroundOptions.Method backgroundMethod, int repeats, long seed) {

        /** A seeded sample of rows, P(positive class), 100 random background rows, 5 repeats, seed 42. */
        public static final Options DEFAULTS = new Options(List.of(), false, null, 100,
                BackgroundOptions.Method.RANDOM, 5, 42L);

        /** Validates every field; copies {@code rows} without duplicates. */
        public Options {
            if (rows == null) throw new OptionException("rows", "rows must not be null (empty: a sample)");
            LinkedHashSet<Integer> unique = new LinkedHashSet<>();
            for (Integer r : rows) {
                if (r == null || r < 0) {
                    throw new OptionException("rows", "rows: row numbers must be 0 or more (0-based), got " + r);
                }
                unique.add(r);
            }
            rows = List.copyOf(unique);
            if (all && !rows.isEmpty()) {
                throw new OptionException("all", "all: give either rows or all, not both");
            }
            if (background < 1 || background > 10_000) {
                throw new OptionException("background", "background must be in [1, 10000], got " + background);
            }
            if (backgroundMethod == null) {
                throw new OptionException("background-method", "background-method must be random or kmeans, got null");
            }
            if (repeats < 1 || repeats > 1000) {
                throw new OptionException("repeats", "repeats must be in [1, 1000], got " + repeats);
            }
        }

        /** A copy explaining these rows. */
        public Options withRows(List<Integer> r) {
            return new Options(r, false, classLabel, background, backgroundMethod, repeats, seed);
        }

        /** A copy explaining every row. */
        public Options withAll() {
            return new Options(List.of(), true, classLabel, background, backgroundMethod, repeats, seed);
        }

        /** A copy explaining the probability of this class. */
        public Options withClassLabel(String c) {
            return new Options(rows, all, c, background, backgroundMethod, repeats, seed);
        }

        /** A copy with {@code background} replaced. */
        public Options withBackground(int b) {
            return new Options(rows, all, classLabel, b, backgroundMethod, repeats, seed);
        }

        /** A copy with {@code backgroundMethod} replaced. */
        public Options withBackgroundMethod(BackgroundOptions.Method m) {
            return new Options(rows, all, classLabel, background, m, repeats, seed);
        }

        /** A copy with {@code repeats} replaced. */
        public Options withRepeats(int r) {
            return new Options(rows, all, classLabel, background, backgroundMethod, r, seed);
        }

        /** A copy with {@code seed} replaced. */
        public Options withSeed(long s) {
            return new Options(rows, all, classLabel, background, backgroundMethod, repeats, s);
        }
    }

    private final String source;
    private final String outputName;
    private final FeatureGroups groups;
    private final int dataRows;
    private final List<Integer> rows;
    private final PermutationImportance permutation;
    private final String permutationSkipped;
    private final int backgroundSize;
    private final ShapExplanations shap;
    private final double[] meanAbs;
    private final String[][] featureValues;
    private final long seed;

    private ExplainReport(String source, String outputName, FeatureGroups groups, int dataRows, List<Integer> rows,
                          PermutationImportance permutation, String permutationSkipped, int backgroundSize,
                          ShapExplanations shap, String[][] featureValues, long seed) {
        this.source = source;
        this.outputName = outputName;
        this.groups = groups;
        this.dataRows = dataRows;
        this.rows = List.copyOf(rows);
        this.permutation = permutation;
        this.permutationSkipped = permutationSkipped;
        this.backgroundSize = backgroundSize;
        this.shap = shap;
        this.meanAbs = shap.meanAbs();
        this.featureValues = featureValues;
        this.seed = seed;
    }

    /**
     * Reads {@code data} (and {@code backgroundData}, null to draw the background from {@code data}) with the model's
     * pipeline and explains it; see {@link #run(TrainedModel, Table, Table, Options, Consumer)}.
     *
     * @throws DataException naming the file for an unreadable CSV or missing input columns
     */
    public static ExplainReport run(TrainedModel model, Path data, Path backgroundData, char separator,
                                    Options options, Consumer<String> progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        FittedPipeline pipeline = model.pipeline();
        Table table = pipeline.readCsv(data, separator);
        Table bg = backgroundData == null ? null : pipeline.readCsv(backgroundData, separator);
        return run(model, table, bg, options, progress);
    }

    /**
     * Explains the rows of {@code data} chosen by {@code options}: permutation importance on all of them when the
     * target column is present (skipped, with the reason in {@link #permutationSkipped()}, when it is not), then SHAP
     * values of the chosen rows against a background drawn from {@code background} (null: from {@code data}).
     * Progress lines go to {@code progress} as the work proceeds (permutation time, background, SHAP rows done).
     *
     * @throws OptionException for rows out of range, an unknown class or a table without data rows
     */
    public static ExplainReport run(TrainedModel model, Table data, Table background, Options options,
                                    Consumer<String> progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        return run(explainer(() -> Explainer.model(model, options.classLabel())), data, background, options, progress);
    }

    /**
     * As {@link #run(TrainedModel, Path, Path, char, Options, Consumer)} on a model's frozen form alone (no DL4J
     * network, no ND4J), when {@link ModelExplainer#ofFrozen} can explain it ({@code positiveLabel}: the training
     * task's positive class of a two-class model, or null); empty otherwise. The same numbers as
     * the DL4J model's report: both score through the frozen networks.
     *
     * @throws DataException naming the file for an unreadable CSV or missing input columns
     */
    public static java.util.Optional<ExplainReport> runFrozen(io.micromodels.frozen.FrozenMicromodel model,
                                                              String positiveLabel, Path data, Path backgroundData,
                                                              char separator, Options options,
                                                              Consumer<String> progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        java.util.Optional<ModelExplainer> m = explainer(() -> ModelExplainer.ofFrozen(model, options.classLabel(), positiveLabel));
        if (m.isEmpty()) return java.util.Optional.empty();
        Table table = Table.read(data, separator);
        Table bg = backgroundData == null ? null : Table.read(backgroundData, separator);
        return java.util.Optional.of(run(m.get(), table, bg, options, progress));
    }

    private static <T> T explainer(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new OptionException("class", "class: " + e.getMessage());
        }
    }

    private static ExplainReport run(ModelExplainer m, Table data, Table background, Options options,
                                     Consumer<String> progress) {
        Objects.requireNonNull(data, "data");
        Consumer<String> log = progress == null ? s -> { } : progress;
        int n = data.rowCount();
        if (n == 0) {
            throw new OptionException("data", "data " + data.source() + " has no data rows");
        }
        List<Integer> chosen = chooseRows(options, n, data.source());
        FeatureGroups groups = m.groups();
        double[][] x = m.features(data);
        log.accept("explaining " + m.outputName() + " of " + data.source() + " (" + n + " rows, " + groups.size()
                + " features over " + m.width() + " model inputs)");

        // Permutation importance, when the data has labels.
        PermutationImportance pi = null;
        String skipped = null;
        String target = m.task().target();
        if (data.indexOf(target) < 0) {
            skipped = data.source() + " has no target column '" + target + "', so permutation importance is skipped";
        } else if (n < 2) {
            skipped = "permutation importance needs at least 2 rows; skipped";
        } else {
            try {
                double[] y = m.targets(data);
                long t0 = System.nanoTime();
                pi = m.permutationImportance(x, y, new PermutationOptions(options.repeats(), 65_536, options.seed()));
                log.accept(String.format(Locale.ROOT, "permutation importance: %s on the %d rows of %s, %d repeat%s per"
                        + " feature (%.1f s)", pi.metric(), n, data.source(), options.repeats(),
                        options.repeats() == 1 ? "" : "s", (System.nanoTime() - t0) / 1e9));
            } catch (DataException | IllegalArgumentException e) {
                skipped = "permutation importance skipped: " + e.getMessage();
            }
        }
        if (skipped != null) {
            log.accept("note: " + skipped);
        }

        // SHAP background.
        double[][] bgSource = x;
        String bgName = data.source();
        if (background != null) {
            if (background.rowCount() == 0) {
                throw new OptionException("background-data", "background-data " + background.source()
                        + " has no data rows");
            }
            bgSource = m.features(background);
            bgName = background.source();
        }
        BackgroundOptions.Method method = options.backgroundMethod();
        Background bg = m.background(bgSource, new BackgroundOptions(options.background(), method, 50, options.seed()));
        log.accept("background: " + bg.size() + (method == BackgroundOptions.Method.KMEANS ? " k-means centres of "
                : " random rows of ") + bgName + " (seed " + options.seed() + ")"
                + (background == null ? "; a background drawn from the training rows is better" : ""));

        // SHAP values of the chosen rows, in batches with progress.
        ShapOptions shapOptions = ShapOptions.DEFAULTS.withSeed(options.seed());
        ShapExplainer explainer = m.shap(bg, shapOptions);
        int features = groups.size();
        log.accept("SHAP: " + (features <= shapOptions.exactMaxFeatures() ? "exact" : "Kernel SHAP, "
                + shapOptions.kernelBudget(features) + " sampled coalitions per row,")
                + " over " + features + " features, " + chosen.size() + " row" + (chosen.size() == 1 ? "" : "s")
                + ", base value E[f(X)] = " + String.format(Locale.ROOT, "%.4g", explainer.baseValue()));
        List<ShapExplanation> explained = new ArrayList<>(chosen.size());
        int step = Math.max(1, Math.min(50, (chosen.size() + 9) / 10));
        long t0 = System.nanoTime();
        for (int from = 0; from < chosen.size(); from += step) {
            int to = Math.min(chosen.size(), from + step);
            double[][] batch = new double[to - from][];
            for (int i = from; i < to; i++) {
                batch[i - from] = x[chosen.get(i)];
            }
            List<ShapExplanation> done = explainer.explain(batch).rows();
            for (int i = from; i < to; i++) {
                explained.add(m.markMissing(done.get(i - from), data, chosen.get(i)));
            }
            if (chosen.size() > step) {
                log.accept(String.format(Locale.ROOT, "  explained %d/%d rows (%.1f s)", to, chosen.size(),
                        (System.nanoTime() - t0) / 1e9));
            }
        }

        int[] cols = new int[groups.size()];
        for (int g = 0; g < cols.length; g++) {
            cols[g] = data.indexOf(groups.name(g));
        }
        String[][] cells = new String[chosen.size()][cols.length];
        for (int k = 0; k < chosen.size(); k++) {
            String[] row = data.row(chosen.get(k));
            for (int g = 0; g < cols.length; g++) {
                cells[k][g] = cols[g] < 0 ? null : row[cols[g]];
            }
        }
        return new ExplainReport(data.source(), m.outputName(), groups, n, chosen, pi, skipped, bg.size(),
                new ShapExplanations(explained), cells, options.seed());
    }

    /**
     * The rows {@code options} chooses among {@code n} data rows: its rows as given (each below {@code n}), every row,
     * or a sample of {@value #DEFAULT_SAMPLE} drawn with the options' seed (partial Fisher-Yates), in row order.
     *
     * @param source the data's name, for messages
     */
    public static List<Integer> chooseRows(Options options, int n, String source) {
        if (!options.rows().isEmpty()) {
            for (int r : options.rows()) {
                if (r >= n) {
                    throw new OptionException("rows", "rows: row " + r + " is out of range: " + source + " has " + n
                            + " data row" + (n == 1 ? "" : "s") + " (rows are 0-based, so 0 to " + (n - 1) + ")");
                }
            }
            return options.rows();
        }
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        if (options.all() || n <= DEFAULT_SAMPLE) {
            return all;
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        for (int i = 0; i < DEFAULT_SAMPLE; i++) {
            int j = i + rng.nextInt(n - i);
            Integer t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        List<Integer> sample = new ArrayList<>(all.subList(0, DEFAULT_SAMPLE));
        sample.sort(null);
        return sample;
    }

    /** Where the rows came from (a path or a name). */
    public String source() {
        return source;
    }

    /** What the explained number is, e.g. {@code "P(class = bad)"}. */
    public String outputName() {
        return outputName;
    }

    /** The original columns the explanations are per. */
    public FeatureGroups groups() {
        return groups;
    }

    /** Data rows in the table. */
    public int dataRows() {
        return dataRows;
    }

    /** The explained rows (0-based data rows), in the order of {@link #shap()}. */
    public List<Integer> rows() {
        return rows;
    }

    /** Permutation importance over all data rows, or null when skipped (see {@link #permutationSkipped()}). */
    public PermutationImportance permutation() {
        return permutation;
    }

    /** Why permutation importance was skipped, or null when it was computed. */
    public String permutationSkipped() {
        return permutationSkipped;
    }

    /** Rows (or centres) in the SHAP background. */
    public int backgroundSize() {
        return backgroundSize;
    }

    /** The seed the report was made with (for the beeswarm's jitter too). */
    public long seed() {
        return seed;
    }

    /** SHAP explanations of {@link #rows()}, in that order. */
    public ShapExplanations shap() {
        return shap;
    }

    /** Mean |SHAP value| per original column over the explained rows, shape [features]. */
    public double[] meanAbsShap() {
        return meanAbs.clone();
    }

    /** The explained rows' raw cells per original column as in the data, shape [rows][features] (null: absent). */
    public String[][] featureValues() {
        String[][] c = new String[featureValues.length][];
        for (int i = 0; i < c.length; i++) c[i] = featureValues[i].clone();
        return c;
    }

    /** Feature indices, most important first: by permutation importance when computed, else by mean |SHAP|. */
    public List<Integer> importanceOrder() {
        Integer[] order = new Integer[groups.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] key = permutation != null ? permutation.mean() : meanAbs;
        Arrays.sort(order, (a, b) -> Double.compare(key[b], key[a]));
        return Collections.unmodifiableList(Arrays.asList(order));
    }

    /**
     * Writes {@link #CSV_FILES} into {@code dir} (created if needed), each through a temporary file and a rename,
     * replacing files of those names: {@code importance.csv} (feature, permutation mean and std, mean |SHAP|),
     * {@code shap_values.csv} (row, base value, one SHAP value per original column, output; base value + the SHAP
     * values = output), {@code feature_values.csv} (row, the raw cells). Returns the files in that order.
     */
    public List<Path> writeCsv(Path dir) {
        Objects.requireNonNull(dir, "dir");
        List<Path> written = new ArrayList<>();
        written.add(write(dir.resolve(CSV_FILES.get(0)), w -> {
            w.write("feature,permutation_mean,permutation_std,mean_abs_shap");
            w.newLine();
            for (int g = 0; g < groups.size(); g++) {
                w.write(quote(groups.name(g)) + "," + (permutation == null ? ","
                        : num(permutation.mean()[g]) + "," + num(permutation.std()[g])) + "," + num(meanAbs[g]));
                w.newLine();
            }
        }));
        written.add(write(dir.resolve(CSV_FILES.get(1)), w -> {
            StringBuilder header = new StringBuilder("row,base_value");
            for (String name : groups.names()) {
                header.append(',').append(quote(name));
            }
            w.write(header.append(",output").toString());
            w.newLine();
            for (int k = 0; k < rows.size(); k++) {
                ShapExplanation e = shap.get(k);
                StringBuilder line = new StringBuilder().append(rows.get(k)).append(',').append(num(e.baseValue()));
                for (double v : e.values()) {
                    line.append(',').append(num(v));
                }
                w.write(line.append(',').append(num(e.output())).toString());
                w.newLine();
            }
        }));
        written.add(write(dir.resolve(CSV_FILES.get(2)), w -> {
            StringBuilder header = new StringBuilder("row");
            for (String name : groups.names()) {
                header.append(',').append(quote(name));
            }
            w.write(header.toString());
            w.newLine();
            for (int k = 0; k < rows.size(); k++) {
                StringBuilder line = new StringBuilder().append(rows.get(k));
                for (String cell : featureValues[k]) {
                    line.append(',').append(quote(cell));
                }
                w.write(line.toString());
                w.newLine();
            }
        }));
        return written;
    }

    private interface Lines {
        void write(BufferedWriter w) throws IOException;
    }

    private static Path write(Path f, Lines lines) {
        try {
            AtomicFiles.write(f, true, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                lines.write(w);
                w.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
        return f;
    }

    /** A CSV cell: quoted when it holds a comma, a quote or a line break; null is empty. */
    static String quote(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }
}

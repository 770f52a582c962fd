package io.micromodels.cli;

import io.micromodels.data.DataException;
import io.micromodels.data.FittedPipeline;
import io.micromodels.data.Table;
import io.micromodels.explain.Background;
import io.micromodels.explain.BackgroundOptions;
import io.micromodels.plots.ExplainPlots;
import io.micromodels.explain.Explainer;
import io.micromodels.explain.FeatureGroups;
import io.micromodels.explain.ModelExplainer;
import io.micromodels.explain.PermutationImportance;
import io.micromodels.explain.PermutationOptions;
import io.micromodels.plots.PlotOptions;
import io.micromodels.explain.ShapExplainer;
import io.micromodels.explain.ShapExplanation;
import io.micromodels.explain.ShapExplanations;
import io.micromodels.explain.ShapOptions;
import io.micromodels.io.AtomicFiles;
import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels explain}: global and per-row explanations of a saved model on a CSV.
 *
 * <pre>
 * ./micromodels explain --model runs/x/model.zip --data datasets/german_credit.csv --rows 0,1,2
 * </pre>
 *
 * <p>Prints a global importance table (permutation importance mean &plusmn; std when the CSV has the target column,
 * and mean |SHAP| over the explained rows, per original column) and writes to a new run folder:
 * {@code importance.csv}, {@code shap_values.csv} (row, base value, one SHAP value per original column, output),
 * {@code feature_values.csv} (the explained rows' raw cells), {@code permutation_importance.png},
 * {@code shap_importance.png}, {@code shap_summary.png} and {@code waterfall_row_<i>.png} for the first
 * {@value #MAX_WATERFALLS} explained rows.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explain a saved model on a CSV: permutation importance (needs the target column), SHAP values per "
                + "original column for chosen rows, CSV files and PNG plots.",
                "Rows are 0-based data rows (the header is not counted): --rows 0 is the first row under the header."},
        footer = {"", "Writes importance.csv, shap_values.csv (row, base_value, one SHAP value per original column, output; "
                + "base_value + the SHAP values = output), feature_values.csv (the explained rows' raw cells), "
                + "permutation_importance.png, shap_importance.png, shap_summary.png and waterfall_row_<row>.png for the first "
                + "10 explained rows."})
final class ExplainCommand implements Runnable {

    /** Waterfall plots written at most (for the first explained rows). */
    static final int MAX_WATERFALLS = 10;
    /** Rows explained when neither --rows nor --all is given. */
    static final int DEFAULT_SAMPLE = 200;

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--model", required = true, paramLabel = "M.zip", description = "A model saved by train or quickstart.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv",
            description = "Rows to explain; with the target column, permutation importance is computed on them too.")
    Path data;

    @ArgGroup(exclusive = true)
    Selection selection;

    static final class Selection {
        @Option(names = "--rows", paramLabel = "LIST", split = ",", hideParamSyntax = true,
                description = "0-based data rows to explain, e.g. 0,5,9 or 10-19 (default: a seeded sample of "
                        + DEFAULT_SAMPLE + " rows, or all rows if fewer).")
        List<String> rows;

        @Option(names = "--all", description = "Explain every row of --data.")
        boolean all;
    }

    @Option(names = "--class", paramLabel = "LABEL",
            description = "Classifiers: explain the probability of this class (default: the positive class for binary, "
                    + "the first class for multiclass).")
    String classLabel;

    @Option(names = "--background", paramLabel = "N", defaultValue = "100",
            description = "Background rows for SHAP (default ${DEFAULT-VALUE}).")
    int backgroundSize;

    @Option(names = "--background-data", paramLabel = "FILE.csv",
            description = "Draw the SHAP background from this CSV, ideally the training rows (default: --data).")
    Path backgroundData;

    @Option(names = "--background-method", paramLabel = "random|kmeans", defaultValue = "random",
            description = "Background rows: a seeded random sample or seeded k-means centres (default ${DEFAULT-VALUE}).")
    String backgroundMethod;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "5",
            description = "Permutation repeats per feature (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the background, the row sample, the permutations and Kernel SHAP (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sep", paramLabel = "CHAR", description = "Field separator of the CSV files (default ',').")
    String separator;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: a new folder under runs/).")
    Path out;

    @Option(names = "--force", description = "Allow writing into a non-empty --out folder, replacing its files.")
    boolean force;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        if (backgroundSize < 1 || backgroundSize > 10_000) {
            throw new CliException("--background must be between 1 and 10000, got " + backgroundSize);
        }
        if (repeats < 1 || repeats > 1000) {
            throw new CliException("--repeats must be between 1 and 1000, got " + repeats);
        }
        BackgroundOptions.Method method = switch (backgroundMethod.toLowerCase(Locale.ROOT)) {
            case "random" -> BackgroundOptions.Method.RANDOM;
            case "kmeans", "k-means" -> BackgroundOptions.Method.KMEANS;
            default -> throw new CliException("--background-method must be random or kmeans, got '" + backgroundMethod + "'");
        };
        requireFile("--model", model);
        requireFile("--data", data);
        if (backgroundData != null) {
            requireFile("--background-data", backgroundData);
        }
        Outputs.checkRunDir(out, force);
        checkInputsAreNotOutputs();
        char sep = separator == null ? ',' : TrainCommand.parseSeparator(separator);
        main.loadBackend();
        try (TrainedModel trained = ModelStore.load(model)) {
            explain(o, trained, sep, method);
        }
    }

    private void explain(PrintWriter o, TrainedModel trained, char sep, BackgroundOptions.Method method) {
        FittedPipeline pipeline = trained.pipeline();
        Table table = pipeline.readCsv(data, sep);
        int n = table.rowCount();
        if (n == 0) {
            throw new CliException("--data " + data + " has no data rows");
        }
        List<Integer> chosen = chooseRows(n);
        ModelExplainer m;
        try {
            m = Explainer.model(trained, classLabel);
        } catch (IllegalArgumentException e) {
            throw new CliException("--class: " + e.getMessage());
        }
        FeatureGroups groups = m.groups();
        double[][] x = m.features(table);
        o.println("explaining " + m.outputName() + " of " + data + " (" + n + " rows, " + groups.size() + " features over "
                + m.width() + " model inputs)");

        // Permutation importance, when the data has labels.
        PermutationImportance pi = null;
        String target = pipeline.task().target();
        if (table.indexOf(target) < 0) {
            o.println("note: " + data + " has no target column '" + target + "', so permutation importance is skipped");
        } else if (n < 2) {
            o.println("note: permutation importance needs at least 2 rows; skipped");
        } else {
            try {
                double[] y = m.targets(pipeline.labels(table));
                long t0 = System.nanoTime();
                pi = m.permutationImportance(x, y, new PermutationOptions(repeats, 65_536, seed));
                o.printf(Locale.ROOT, "permutation importance: %s on the %d rows of %s, %d repeat%s per feature (%.1f s)%n",
                        pi.metric(), n, data.getFileName(), repeats, repeats == 1 ? "" : "s", (System.nanoTime() - t0) / 1e9);
            } catch (DataException | IllegalArgumentException e) {
                o.println("note: permutation importance skipped: " + e.getMessage());
            }
        }

        // SHAP background.
        double[][] bgSource = x;
        String bgName = data.toString();
        if (backgroundData != null) {
            Table bt = pipeline.readCsv(backgroundData, sep);
            if (bt.rowCount() == 0) {
                throw new CliException("--background-data " + backgroundData + " has no data rows");
            }
            bgSource = m.features(bt);
            bgName = backgroundData.toString();
        }
        Background background = m.background(bgSource,
                new BackgroundOptions(backgroundSize, method, 50, seed));
        o.println("background: " + background.size() + (method == BackgroundOptions.Method.KMEANS ? " k-means centres of "
                : " random rows of ") + bgName + " (seed " + seed + ")"
                + (backgroundData == null ? "; --background-data TRAIN.csv draws it from the training rows instead" : ""));

        // SHAP values of the chosen rows, with progress.
        ShapExplainer shap = m.shap(background, ShapOptions.DEFAULTS.withSeed(seed));
        int varying = groups.size();
        o.println("SHAP: " + (varying <= ShapOptions.DEFAULTS.exactMaxFeatures() ? "exact" : "Kernel SHAP, "
                + ShapOptions.DEFAULTS.kernelBudget(varying) + " sampled coalitions per row,")
                + " over " + groups.size() + " features, " + chosen.size() + " row" + (chosen.size() == 1 ? "" : "s")
                + ", base value E[f(X)] = " + fmt(shap.baseValue()));
        List<ShapExplanation> explained = new ArrayList<>(chosen.size());
        int step = Math.max(1, Math.min(50, (chosen.size() + 9) / 10));
        long t0 = System.nanoTime();
        for (int from = 0; from < chosen.size(); from += step) {
            int to = Math.min(chosen.size(), from + step);
            double[][] batch = new double[to - from][];
            for (int i = from; i < to; i++) {
                batch[i - from] = x[chosen.get(i)];
            }
            List<ShapExplanation> done = shap.explain(batch).rows();
            for (int i = from; i < to; i++) {
                explained.add(m.markMissing(done.get(i - from), table, chosen.get(i)));
            }
            if (chosen.size() > step) {
                o.printf(Locale.ROOT, "  explained %d/%d rows (%.1f s)%n", to, chosen.size(), (System.nanoTime() - t0) / 1e9);
            }
        }
        ShapExplanations all = new ShapExplanations(explained);
        double[] meanAbs = all.meanAbs();

        printTable(o, groups, pi, meanAbs, chosen.size());

        Path dir = Outputs.runDir(out, "explain", force);
        List<Path> written = new ArrayList<>();
        written.add(writeImportance(dir, groups, pi, meanAbs));
        written.add(writeShapValues(dir, groups, chosen, all));
        written.add(writeFeatureValues(dir, table, groups, chosen));
        String output = m.outputName();
        if (pi != null) {
            written.add(write(ExplainPlots.permutationImportanceFigure(pi, PlotOptions.DEFAULTS),
                    dir.resolve("permutation_importance.png")));
        }
        ExplainPlots.Figure bars = ExplainPlots.meanAbsShapFigure(all, PlotOptions.DEFAULTS);
        written.add(write(ExplainPlots.withOutputName(bars, output), dir.resolve("shap_importance.png")));
        ExplainPlots.Figure summary = ExplainPlots.summaryFigure(all, PlotOptions.DEFAULTS.withSeed(seed));
        written.add(write(ExplainPlots.withOutputName(summary, output), dir.resolve("shap_summary.png")));
        int waterfalls = Math.min(MAX_WATERFALLS, chosen.size());
        for (int k = 0; k < waterfalls; k++) {
            ExplainPlots.Figure w = ExplainPlots.waterfallFigure(all.get(k), PlotOptions.DEFAULTS);
            w.chart().setTitle("SHAP waterfall, row " + chosen.get(k));
            written.add(write(ExplainPlots.withOutputName(w, output), dir.resolve("waterfall_row_" + chosen.get(k) + ".png")));
        }
        if (chosen.size() > waterfalls) {
            o.println("note: waterfall plots for the first " + waterfalls + " of " + chosen.size() + " explained rows");
        }
        o.println("wrote " + written.size() + " files to " + dir + ":");
        for (Path p : written) {
            o.println("  " + p.getFileName());
        }
    }

    /** The rows to explain: --rows as given (validated, duplicates dropped), every row, or a seeded sample. */
    List<Integer> chooseRows(int n) {
        if (selection != null && selection.rows != null) {
            Set<Integer> rows = new LinkedHashSet<>();
            for (String item : selection.rows) {
                String s = item.strip();
                if (s.isEmpty()) {
                    continue;
                }
                int dash = s.indexOf('-', 1);
                int lo = parseRow(dash < 0 ? s : s.substring(0, dash), s);
                int hi = dash < 0 ? lo : parseRow(s.substring(dash + 1), s);
                if (hi < lo) {
                    throw new CliException("--rows: range '" + s + "' runs backwards");
                }
                for (int r : new int[] {lo, hi}) {
                    if (r >= n) {
                        throw new CliException("--rows: row " + r + " is out of range: " + data + " has " + n
                                + " data row" + (n == 1 ? "" : "s") + " (rows are 0-based, so 0 to " + (n - 1) + ")");
                    }
                }
                for (int r = lo; r <= hi; r++) {
                    rows.add(r);
                }
            }
            if (rows.isEmpty()) {
                throw new CliException("--rows: give at least one row, e.g. --rows 0,5,9");
            }
            return new ArrayList<>(rows);
        }
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        if ((selection != null && selection.all) || n <= DEFAULT_SAMPLE) {
            return all;
        }
        SplittableRandom rng = new SplittableRandom(seed);
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

    private static int parseRow(String s, String item) {
        try {
            int r = Integer.parseInt(s.strip());
            if (r < 0) {
                throw new NumberFormatException();
            }
            return r;
        } catch (NumberFormatException e) {
            throw new CliException("--rows: '" + item + "' is not a row number or range (0-based, e.g. 0,5,9 or 10-19)");
        }
    }

    /** Refuses, before any work, an --out folder where an output would replace one of the inputs. */
    private void checkInputsAreNotOutputs() {
        if (out == null) {
            return;
        }
        Path dir = out.toAbsolutePath().normalize();
        for (Path in : new Path[] {model, data, backgroundData}) {
            if (in == null) {
                continue;
            }
            Path abs = in.toAbsolutePath().normalize();
            String name = abs.getFileName().toString();
            boolean outputName = OUTPUT_FILES.contains(name) || (name.startsWith("waterfall_row_") && name.endsWith(".png"));
            if (dir.equals(abs.getParent()) && outputName) {
                throw new CliException("--out " + out + " holds the input " + in + ", which explain would overwrite; "
                        + "choose another folder");
            }
        }
    }

    private static final Set<String> OUTPUT_FILES = Set.of("importance.csv", "shap_values.csv", "feature_values.csv",
            "permutation_importance.png", "shap_importance.png", "shap_summary.png");

    private static void requireFile(String option, Path p) {
        if (!Files.isRegularFile(p)) {
            throw new CliException(option + " " + p + " does not exist or is not a file");
        }
    }

    private static void printTable(PrintWriter o, FeatureGroups groups, PermutationImportance pi, double[] meanAbs, int rows) {
        int m = groups.size();
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        double[] mean = pi == null ? null : pi.mean();
        double[] std = pi == null ? null : pi.std();
        Arrays.sort(order, (a, b) -> mean != null ? Double.compare(mean[b], mean[a]) : Double.compare(meanAbs[b], meanAbs[a]));
        int w = "feature".length();
        for (int i = 0; i < m; i++) {
            w = Math.max(w, groups.name(i).length());
        }
        String permHeader = pi == null ? "" : String.format(Locale.ROOT, "  %-24s", "permutation (" + pi.metric() + " loss)");
        o.println();
        o.println("global importance, sorted by " + (pi == null ? "mean |SHAP|" : "permutation importance") + ":");
        o.printf(Locale.ROOT, "  %-" + w + "s%s  %s%n", "feature", permHeader, "mean |SHAP| (" + rows + " row" + (rows == 1 ? "" : "s") + ")");
        for (int i : order) {
            String perm = pi == null ? "" : String.format(Locale.ROOT, "  %-24s",
                    String.format(Locale.ROOT, "%.4f \u00b1 %.4f", mean[i], std[i]));
            o.printf(Locale.ROOT, "  %-" + w + "s%s  %.4f%n", groups.name(i), perm, meanAbs[i]);
        }
        if (rows < 20) {
            o.println("note: mean |SHAP| over only " + rows + " row" + (rows == 1 ? "" : "s")
                    + "; leave out --rows (or use --all) for a global view");
        }
        o.println();
    }

    private Path writeImportance(Path dir, FeatureGroups groups, PermutationImportance pi, double[] meanAbs) {
        Path f = target(dir, "importance.csv");
        try {
            AtomicFiles.write(f, true, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                w.write("feature,permutation_mean,permutation_std,mean_abs_shap");
                w.newLine();
                for (int g = 0; g < groups.size(); g++) {
                    w.write(PredictCommand.quote(groups.name(g)) + "," + (pi == null ? "," : num(pi.mean()[g]) + "," + num(pi.std()[g]))
                            + "," + num(meanAbs[g]));
                    w.newLine();
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
        return f;
    }

    private Path writeShapValues(Path dir, FeatureGroups groups, List<Integer> chosen, ShapExplanations all) {
        Path f = target(dir, "shap_values.csv");
        try {
            AtomicFiles.write(f, true, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                StringBuilder header = new StringBuilder("row,base_value");
                for (String name : groups.names()) {
                    header.append(',').append(PredictCommand.quote(name));
                }
                w.write(header.append(",output").toString());
                w.newLine();
                for (int k = 0; k < chosen.size(); k++) {
                    ShapExplanation e = all.get(k);
                    StringBuilder line = new StringBuilder().append(chosen.get(k)).append(',').append(num(e.baseValue()));
                    for (double v : e.values()) {
                        line.append(',').append(num(v));
                    }
                    w.write(line.append(',').append(num(e.output())).toString());
                    w.newLine();
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
        return f;
    }

    /** The explained rows' raw cells of each original column, as in --data. */
    private Path writeFeatureValues(Path dir, Table table, FeatureGroups groups, List<Integer> chosen) {
        Path f = target(dir, "feature_values.csv");
        int[] cols = new int[groups.size()];
        for (int g = 0; g < cols.length; g++) {
            cols[g] = table.indexOf(groups.name(g));
        }
        try {
            AtomicFiles.write(f, true, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                StringBuilder header = new StringBuilder("row");
                for (String name : groups.names()) {
                    header.append(',').append(PredictCommand.quote(name));
                }
                w.write(header.toString());
                w.newLine();
                for (int r : chosen) {
                    String[] cells = table.row(r);
                    StringBuilder line = new StringBuilder().append(r);
                    for (int c : cols) {
                        line.append(',').append(PredictCommand.quote(cells[c]));
                    }
                    w.write(line.toString());
                    w.newLine();
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
        return f;
    }

    private Path write(ExplainPlots.Figure figure, Path png) {
        return figure.writePng(target(png.getParent(), png.getFileName().toString()));
    }

    /** An output file in {@code dir}, never one of the inputs. */
    private Path target(Path dir, String name) {
        Path f = dir.resolve(name);
        Path abs = f.toAbsolutePath().normalize();
        for (Path in : new Path[] {model, data, backgroundData}) {
            if (in != null && in.toAbsolutePath().normalize().equals(abs)) {
                throw new CliException(f + " would overwrite an input; choose another --out folder");
            }
        }
        return f;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

package io.micromodels.cli;

import io.micromodels.explain.BackgroundOptions;
import io.micromodels.explain.ExplainReport;
import io.micromodels.explain.FeatureGroups;
import io.micromodels.explain.PermutationImportance;
import io.micromodels.io.ModelStore;
import io.micromodels.plots.ExplainPlots;
import io.micromodels.plots.PlotOptions;
import io.micromodels.train.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels explain}: global and per-row explanations of a saved model on a CSV. The report is made by
 * {@link ExplainReport} (core); this command parses and checks the flags, prints the report, writes its CSV files and
 * draws its plots ({@link ExplainPlots}).
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
    static final int DEFAULT_SAMPLE = ExplainReport.DEFAULT_SAMPLE;

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

    @picocli.CommandLine.Mixin
    SeparatorFlag separator = new SeparatorFlag();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: a new folder under runs/).")
    Path out;

    @Option(names = "--force", description = "Allow writing into a non-empty --out folder, replacing its files.")
    boolean force;

    @Override
    public void run() {
        PrintWriter o = command.commandLine().getOut();
        BackgroundOptions.Method method = switch (backgroundMethod.toLowerCase(Locale.ROOT)) {
            case "random" -> BackgroundOptions.Method.RANDOM;
            case "kmeans", "k-means" -> BackgroundOptions.Method.KMEANS;
            default -> throw new CliException("--background-method must be random or kmeans, got '" + backgroundMethod + "'");
        };
        List<Integer> rows = selection != null && selection.rows != null ? parseRows(selection.rows) : List.of();
        ExplainReport.Options options = flag(() -> new ExplainReport.Options(rows, selection != null && selection.all,
                classLabel, backgroundSize, method, repeats, seed));
        requireFile("--model", model);
        requireFile("--data", data);
        if (backgroundData != null) {
            requireFile("--background-data", backgroundData);
        }
        Outputs.checkRunDir(out, force);
        checkInputsAreNotOutputs();
        char sep = separator.get();
        // the frozen form, when it says all an explanation needs: no DL4J network, no ND4J start-up
        io.micromodels.frozen.FrozenMicromodel frozen = frozenOrNull();
        java.util.Optional<ExplainReport> fromFrozen = frozen == null ? java.util.Optional.empty()
                : flag(() -> ExplainReport.runFrozen(frozen, positiveLabel(), data, backgroundData, sep, options,
                        o::println));
        if (fromFrozen.isPresent()) {
            printTable(o, fromFrozen.get());
            write(o, fromFrozen.get());
            return;
        }
        main.loadBackend();
        try (TrainedModel trained = ModelStore.load(model)) {
            ExplainReport report = flag(() -> ExplainReport.run(trained, data, backgroundData, sep, options, o::println));
            printTable(o, report);
            write(o, report);
        }
    }

    /** The model's frozen form, or null when the zip has none readable (then the DL4J model is explained). */
    private io.micromodels.frozen.FrozenMicromodel frozenOrNull() {
        try {
            return io.micromodels.frozen.FrozenMicromodel.load(model);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The positive class of a two-class model as training recorded it (the zip's {@code pipeline.json}, read as a JSON
     * tree: no pipeline, no ND4J), or null when it cannot be read (then the frozen form must say it itself).
     */
    private String positiveLabel() {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(model.toFile())) {
            java.util.zip.ZipEntry e = zip.getEntry("pipeline.json");
            if (e == null || e.getSize() < 0 || e.getSize() > (64 << 20)) return null;
            try (java.io.InputStream in = zip.getInputStream(e)) {
                com.fasterxml.jackson.databind.JsonNode task = io.micromodels.json.StrictJson.mapper()
                        .readTree(in.readNBytes(64 << 20)).path("task");
                int positive = task.path("positiveClass").asInt(-1);
                com.fasterxml.jackson.databind.JsonNode classes = task.path("classes");
                return positive >= 0 && positive < classes.size() ? classes.get(positive).asText(null) : null;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Runs {@code step}, naming the flag of an option the report refuses. */
    private static <T> T flag(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (ExplainReport.OptionException e) {
            throw new CliException("--" + e.getMessage());
        }
    }

    private void write(PrintWriter o, ExplainReport report) {
        Path dir = Outputs.runDir(out, "explain", force);
        for (String name : ExplainReport.CSV_FILES) {
            target(dir, name);
        }
        List<Path> written = new ArrayList<>(report.writeCsv(dir));
        String output = report.outputName();
        if (report.permutation() != null) {
            written.add(write(ExplainPlots.permutationImportanceFigure(report.permutation(), PlotOptions.DEFAULTS),
                    dir.resolve("permutation_importance.png")));
        }
        ExplainPlots.Figure bars = ExplainPlots.meanAbsShapFigure(report.shap(), PlotOptions.DEFAULTS);
        written.add(write(ExplainPlots.withOutputName(bars, output), dir.resolve("shap_importance.png")));
        ExplainPlots.Figure summary = ExplainPlots.summaryFigure(report.shap(), PlotOptions.DEFAULTS.withSeed(report.seed()));
        written.add(write(ExplainPlots.withOutputName(summary, output), dir.resolve("shap_summary.png")));
        List<Integer> chosen = report.rows();
        int waterfalls = Math.min(MAX_WATERFALLS, chosen.size());
        for (int k = 0; k < waterfalls; k++) {
            ExplainPlots.Figure w = ExplainPlots.waterfallFigure(report.shap().get(k), PlotOptions.DEFAULTS);
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

    /** --rows items (numbers and ranges such as 10-19) as row numbers, in order, duplicates dropped. */
    static List<Integer> parseRows(List<String> items) {
        Set<Integer> rows = new LinkedHashSet<>();
        for (String item : items) {
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
            if ((long) hi - lo >= 10_000_000) {
                throw new CliException("--rows: range '" + s + "' has more than 10000000 rows");
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

    private static void printTable(PrintWriter o, ExplainReport report) {
        FeatureGroups groups = report.groups();
        PermutationImportance pi = report.permutation();
        double[] meanAbs = report.meanAbsShap();
        int rows = report.rows().size();
        int w = "feature".length();
        for (int i = 0; i < groups.size(); i++) {
            w = Math.max(w, groups.name(i).length());
        }
        String permHeader = pi == null ? "" : String.format(Locale.ROOT, "  %-24s", "permutation (" + pi.metric() + " loss)");
        o.println();
        o.println("global importance, sorted by " + (pi == null ? "mean |SHAP|" : "permutation importance") + ":");
        o.printf(Locale.ROOT, "  %-" + w + "s%s  %s%n", "feature", permHeader, "mean |SHAP| (" + rows + " row" + (rows == 1 ? "" : "s") + ")");
        for (int i : report.importanceOrder()) {
            String perm = pi == null ? "" : String.format(Locale.ROOT, "  %-24s",
                    String.format(Locale.ROOT, "%.4f \u00b1 %.4f", pi.mean()[i], pi.std()[i]));
            o.printf(Locale.ROOT, "  %-" + w + "s%s  %.4f%n", groups.name(i), perm, meanAbs[i]);
        }
        if (rows < 20) {
            o.println("note: mean |SHAP| over only " + rows + " row" + (rows == 1 ? "" : "s")
                    + "; leave out --rows (or use --all) for a global view");
        }
        o.println();
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
}

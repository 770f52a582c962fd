package io.micromodels.cli;

import io.micromodels.backend.Backend;
import io.micromodels.backend.BackendException;
import io.micromodels.backend.BackendInfo;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code micromodels} command line. Run through the {@code ./micromodels} script at the project root:
 *
 * <pre>
 * ./micromodels quickstart
 * ./micromodels train --data credit.csv --target default
 * ./micromodels predict --model runs/.../model.zip --data new.csv --out preds.csv
 * ./micromodels tune --dataset german_credit --trials 40 --out runs/study
 * ./micromodels explain --model runs/.../model.zip --data new.csv --rows 0,5,9
 * ./micromodels serve --model runs/.../model.zip --port 8080
 * ./micromodels report --model runs/.../model.zip --data holdout.csv --out runs/report
 * ./micromodels dashboard runs/study --port 8050
 * ./micromodels kernel install
 * </pre>
 *
 * <p>ND4J's start-up log noise is hidden unless {@code --verbose} is given: logging is configured here before any
 * logger exists, and the backend is chosen by {@link Backend} before ND4J loads.
 */
@Command(name = "micromodels", mixinStandardHelpOptions = true, version = "micromodels 0.1.0",
        description = "Tiny, fast, explainable neural models for tabular data, on Deeplearning4j.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, TuneCommand.class, PredictCommand.class,
                ExplainCommand.class, ServeCommand.class, DatasetsCommand.class, BenchCommand.class, KernelCommand.class,
                ReportCommand.class, DashboardCommand.class})
public final class Main implements Runnable {

    @Option(names = "--backend", scope = CommandLine.ScopeType.INHERIT, paramLabel = "cpu|cuda|auto",
            description = "ND4J backend; else $MICROMODELS_BACKEND, else -Dmicromodels.backend, else auto.")
    String backend;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show ND4J/DL4J start-up and info logging.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Loads the chosen ND4J backend (once); commands that use ND4J call this first. */
    BackendInfo loadBackend() {
        return Backend.initialise(Backend.resolve(backend));
    }

    /** Entry point. */
    public static void main(String[] args) {
        // a second wall behind ModelStore, which deserialises nothing: see SerialFilter
        io.micromodels.io.SerialFilter.installIfAbsent();
        configureLogging(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        // bench passes its options through to the benchmark harness (bench hpo --function branin ...)
        cli.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        cli.getSubcommands().get("kernel").setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable t = ex;
            if (t instanceof CliException || t instanceof BackendException || t instanceof IllegalArgumentException
                    || t instanceof java.io.UncheckedIOException || isUserError(t)) {
                // core messages name Java fields (dropColumns); the command line speaks in flags (--drop)
                commandLine.getErr().println("error: " + (t instanceof CliException ? t.getMessage() : DataFlags.inFlags(t.getMessage())));
                if (Boolean.getBoolean("micromodels.stacktraces")) {
                    t.printStackTrace(commandLine.getErr());
                }
                return 2;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    private static boolean isUserError(Throwable t) {
        String name = t.getClass().getName();
        return name.equals("io.micromodels.data.DataException") || name.equals("io.micromodels.io.ModelFormatException")
                || name.equals("io.micromodels.tune.StudyInUseException");
    }

    /** slf4j-simple reads these once, when the first logger is made: before anything else runs. */
    static void configureLogging(String[] args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.io.micromodels", "info");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", verbose ? "true" : "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
        setIfAbsent("org.nd4j.log.initialization", verbose ? "true" : "false");
        setIfAbsent("java.awt.headless", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

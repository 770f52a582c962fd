package io.micromodels.cli;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.micromodels.frozen.FrozenFormatException;
import io.micromodels.frozen.FrozenMetadata;
import io.micromodels.frozen.FrozenMicromodel;
import io.micromodels.frozen.plan.BooleanStep;
import io.micromodels.frozen.plan.CategoricalStep;
import io.micromodels.frozen.plan.CompiledPipeline;
import io.micromodels.frozen.plan.DateTimeStep;
import io.micromodels.frozen.plan.EncodedNumericStep;
import io.micromodels.frozen.plan.NumericStep;
import io.micromodels.frozen.plan.Step;
import io.micromodels.frozen.server.FrozenServer;
import io.micromodels.frozen.server.ServerOptions;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code micromodels serve}: serves a saved model over HTTP on the loopback interface (127.0.0.1 only) with
 * {@link FrozenServer}, until interrupted (Ctrl-C closes the server cleanly).
 *
 * <p>Only the frozen form of the model (the zip entry {@value FrozenMicromodel#ZIP_ENTRY}) is read: no DL4J network
 * is restored and ND4J is never initialised, so the command starts in well under a second and needs no native
 * libraries. It prints the URL, the columns a request must carry, and a ready-to-run {@code curl} line with an
 * example row (each numeric column at its training median, each categorical at its most frequent level).
 *
 * <pre>
 * ./micromodels serve --model runs/german/model.zip --port 8080 [--threads 4] [--max-body-bytes 1048576]
 *     [--max-connections 1024] [--idle-timeout-ms 30000] [--request-timeout-ms 5000]
 * </pre>
 * The server is Jetty 12 (module {@code frozen-server}); the last three options are its defences against slow and
 * hostile clients (see {@link FrozenServer}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a saved model over HTTP on 127.0.0.1 until interrupted (Ctrl-C): POST /predict (a JSON "
                + "object keyed by column name, or an array of them), GET /health.",
            "Keys that are not model columns are ignored, and categorical values not seen in training are scored as "
                + "all zeros; both are named in the reply's \"warnings\" (as predict names them).",
            "Reads only the model's frozen form: no ND4J start-up."})
final class ServeCommand implements Runnable {

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--model", required = true, paramLabel = "M.zip",
            description = "A model saved by train or quickstart (its frozen.json entry is served), or a frozen .json file.")
    Path model;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServerOptions.DEFAULT_PORT,
            description = "TCP port on 127.0.0.1 (0 picks a free one; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "" + ServerOptions.DEFAULT_THREADS,
            description = "Request-handling threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "" + ServerOptions.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body; larger ones get HTTP 413 (default ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + ServerOptions.DEFAULT_MAX_CONNECTIONS,
            description = "Open connections at most; more wait to be accepted (default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--idle-timeout-ms", paramLabel = "MS", defaultValue = "" + ServerOptions.DEFAULT_IDLE_TIMEOUT_MILLIS,
            description = "Close a connection silent this long (default ${DEFAULT-VALUE}).")
    int idleTimeoutMillis;

    @Option(names = "--request-timeout-ms", paramLabel = "MS", defaultValue = "" + ServerOptions.DEFAULT_REQUEST_TIMEOUT_MILLIS,
            description = "Close a connection whose request (line, headers, body) has not all arrived this long after"
                    + " its first byte: the slow-loris defence (default ${DEFAULT-VALUE}).")
    int requestTimeoutMillis;

    /** slf4j-simple's level for Jetty's loggers, read when each logger is created. */
    private static final String JETTY_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.eclipse.jetty";

    @Override
    public void run() {
        PrintWriter out = command.commandLine().getOut();
        FrozenServer server = start(out);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            out.println("stopped serving " + server.uri());
            out.flush();
            stopped.countDown();
        }, "micromodels-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("serving until interrupted (Ctrl-C to stop)");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // In-process use: stop now rather than at JVM exit.
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loads the frozen model, starts the server and prints how to call it; returns the running server (the caller
     * closes it). Separate from {@link #run()} so tests can start it on port 0 and stop it.
     */
    FrozenServer start(PrintWriter out) {
        ServerOptions options = options();
        FrozenMicromodel frozen = loadFrozen(model);
        // Jetty logs its version and start-up at INFO through SLF4J; the command prints its own summary.
        if (System.getProperty(JETTY_LOG_LEVEL) == null) System.setProperty(JETTY_LOG_LEVEL, "warn");
        FrozenServer server;
        try {
            server = FrozenServer.start(frozen, options);
        } catch (BindException e) {
            throw new CliException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); is another server using it? choose another --port");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the server on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        describe(out, frozen, server);
        return server;
    }

    private ServerOptions options() {
        check("--port", port, 0, 65535);
        check("--threads", threads, 1, ServerOptions.MAX_THREADS);
        check("--max-body-bytes", maxBodyBytes, 1, ServerOptions.MAX_BODY_BYTES_LIMIT);
        check("--max-connections", maxConnections, 1, ServerOptions.MAX_CONNECTIONS_LIMIT);
        check("--idle-timeout-ms", idleTimeoutMillis, 100, ServerOptions.MAX_TIMEOUT_MILLIS);
        check("--request-timeout-ms", requestTimeoutMillis, 100, ServerOptions.MAX_TIMEOUT_MILLIS);
        return new ServerOptions(port, maxBodyBytes, threads, maxConnections, idleTimeoutMillis, requestTimeoutMillis);
    }

    private static void check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new CliException(option + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** The frozen form of a saved model: one-line errors for a missing file, a folder, a non-zip or no frozen.json. */
    static FrozenMicromodel loadFrozen(Path file) {
        if (Files.isDirectory(file)) {
            Path inside = file.resolve("model.zip");
            throw new CliException("--model " + file + " is a folder; give the model zip"
                    + (Files.isRegularFile(inside) ? ", e.g. --model " + inside : ""));
        }
        if (!Files.exists(file)) {
            throw new CliException("--model " + file + " does not exist");
        }
        try {
            return FrozenMicromodel.load(file);
        } catch (FrozenFormatException e) {
            throw new CliException(oneLine(e.getMessage()));
        } catch (FileNotFoundException e) {
            throw new CliException("--model " + file + " does not exist or is not a file");
        } catch (IOException e) {
            throw new CliException("cannot read --model " + file + ": " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    private static void describe(PrintWriter out, FrozenMicromodel m, FrozenServer server) {
        FrozenMetadata md = m.metadata();
        String base = server.uri().toString().replaceAll("/$", "");
        String what = switch (md.task()) {
            case BINARY, MULTICLASS -> (md.classLabels().size() == 2 ? "binary" : md.classLabels().size() + "-class")
                    + " classifier of '" + md.target() + "' (classes " + String.join(", ", md.classLabels()) + ")";
            case REGRESSION -> "regression of '" + md.target() + "'";
        };
        out.println("serving " + what + ", network " + m.network().shape() + " (" + m.network().parameterCount()
                + " parameters)");
        ServerOptions o = server.options();
        out.println("  on " + base + "  (127.0.0.1 only; " + o.threads() + " threads, bodies up to " + o.maxBodyBytes()
                + " bytes, at most " + o.maxConnections() + " connections, idle timeout " + o.idleTimeoutMillis()
                + " ms, request timeout " + o.requestTimeoutMillis() + " ms)");
        out.println("  POST " + base + "/predict   a JSON object with these keys (null = missing; other keys are ignored, with a warning), or an array of them");
        out.println("  GET  " + base + "/health");
        List<String> cols = m.columns();
        out.println("columns (" + cols.size() + "):");
        Map<String, Step> steps = steps(m);
        int w = Math.min(28, cols.stream().mapToInt(String::length).max().orElse(0));
        for (String c : cols) {
            out.println(String.format(Locale.ROOT, "  %-" + w + "s  %s", c, describe(steps.get(c))));
        }
        out.println("example:");
        out.println("  curl -s -X POST " + base + "/predict -H 'Content-Type: application/json' -d '"
                + exampleJson(m).replace("'", "'\\''") + "'");
        out.flush();
    }

    private static Map<String, Step> steps(FrozenMicromodel m) {
        Map<String, Step> steps = new HashMap<>();
        if (m.pipeline() instanceof CompiledPipeline p) {
            for (Step s : p.steps()) {
                steps.put(s.column(), s);
            }
        }
        return steps;
    }

    private static String describe(Step s) {
        if (s instanceof NumericStep n) {
            return "number (training median " + number(n.impute()) + ")";
        }
        if (s instanceof EncodedNumericStep n) {
            return "number (training median " + number(n.impute()) + ")";
        }
        if (s instanceof CategoricalStep c) {
            List<String> levels = c.levels();
            int shown = Math.min(levels.size(), 6);
            return "category: " + String.join(" | ", levels.subList(0, shown))
                    + (levels.size() > shown ? " | ... (" + levels.size() + " levels; others count as unseen)" : "");
        }
        if (s instanceof BooleanStep b) {
            return "boolean: " + String.join(" | ", b.trueTokens()) + " / " + String.join(" | ", b.falseTokens());
        }
        if (s instanceof DateTimeStep d) {
            return "date-time, pattern " + d.pattern();
        }
        return "text";
    }

    /**
     * One example request body that the model accepts: numeric columns at their training median, categorical
     * columns at their most frequent level, booleans at their most frequent value, date-times at a fixed
     * date; {@code null} (missing, imputed) where nothing better is known.
     */
    static String exampleJson(FrozenMicromodel m) {
        Map<String, Step> steps = steps(m);
        List<String> cols = m.columns();
        Map<String, Object> row = new LinkedHashMap<>();
        String[] raw = new String[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            Object v = example(steps.get(cols.get(i)));
            row.put(cols.get(i), v);
            raw[i] = v == null ? null : v.toString();
        }
        try {
            m.predict(raw);
        } catch (IllegalArgumentException e) {
            row.replaceAll((k, v) -> null); // every column missing: always accepted
        }
        try {
            return StrictJson.mapper().writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object example(Step s) {
        if (s instanceof NumericStep || s instanceof EncodedNumericStep) {
            double v = s instanceof NumericStep n ? n.impute() : ((EncodedNumericStep) s).impute();
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
        }
        if (s instanceof CategoricalStep c) {
            return c.impute();
        }
        if (s instanceof BooleanStep b) {
            List<String> tokens = b.impute() == 1 ? b.trueTokens() : b.falseTokens();
            return tokens.isEmpty() ? null : tokens.get(0);
        }
        if (s instanceof DateTimeStep d) {
            try {
                return DateTimeStep.formatter(d.pattern()).format(LocalDateTime.of(2024, 6, 14, 8, 30, 0));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}

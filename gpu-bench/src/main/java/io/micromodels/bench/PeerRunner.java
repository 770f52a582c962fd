package io.micromodels.bench;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Python peer script (PyTorch, scikit-learn, Optuna...) in a child process of this
 * session and returns the JSON objects it printed, one per stdout line.
 *
 * <p>Protocol of a peer script: it prints one JSON object per line on stdout; an object with a
 * {@code "meta"} key describes the run (versions, threads), an object with a {@code "skipped"}
 * key says why it cannot run, every other object is a result. Other stdout lines are ignored.
 * The runner sets {@code OMP_NUM_THREADS}, {@code MKL_NUM_THREADS} and
 * {@code OPENBLAS_NUM_THREADS} to the requested thread count and passes {@code --threads N}
 * as the first arguments, so peers use the same thread counts as the Java side.
 *
 * <p>A missing interpreter, a missing module ({@code ModuleNotFoundError}/{@code ImportError}) or a
 * script that reports {@code skipped} yields a {@link PeerOutcome.Status#SKIPPED} outcome whose
 * {@link PeerOutcome#line()} reads {@code peer X skipped: <reason>}; nothing is ever made up.
 *
 * <pre>{@code
 * PeerRunner peers = PeerRunner.defaults();
 * PeerOutcome o = peers.run("torch", "torch_train.py", 1, List.of("--grid", "32x64"));
 * System.out.println(o.line());
 * for (JsonNode r : o.results()) System.out.println(r.get("median_us"));
 * }</pre>
 */
public final class PeerRunner {

    /** The interpreter peers use unless told otherwise. */
    public static final Path DEFAULT_PYTHON = Path.of("/usr/bin/python3");
    /** System property naming a directory with the peer scripts (default: the bundled copies). */
    public static final String PEERS_DIR_PROPERTY = "micromodels.peers.dir";
    /** Files bundled under {@code peers/} on the class path (copied from {@code gpu-bench/peers}). */
    static final List<String> BUNDLED = List.of("benchutil.py", "torch_train.py", "torch_infer.py", "sklearn_mlp.py", "sklearn_quality.py");

    private static final ObjectMapper JSON = StrictJson.mapper();
    private static final Pattern NO_MODULE = Pattern.compile("ModuleNotFoundError: No module named '([^']+)'");
    private static Path extracted;

    private final Path python;
    private final Duration timeout;

    /**
     * @param python  interpreter to run
     * @param timeout longest a script may run before it is killed and reported as failed
     */
    public PeerRunner(Path python, Duration timeout) {
        this.python = python;
        this.timeout = timeout;
    }

    /** {@code /usr/bin/python3}, 20 minute timeout. */
    public static PeerRunner defaults() {
        return new PeerRunner(DEFAULT_PYTHON, Duration.ofMinutes(20));
    }

    public Path python() {
        return python;
    }

    /**
     * Runs a bundled peer script by file name (e.g. {@code torch_train.py}).
     *
     * @param peer    name for messages, e.g. {@code torch}
     * @param script  file name under {@code peers/}
     * @param threads thread count for the peer (environment and {@code --threads})
     * @param args    further script arguments
     */
    public PeerOutcome run(String peer, String script, int threads, List<String> args) {
        Path file;
        try {
            file = scriptsDir().resolve(script);
        } catch (IOException e) {
            return PeerOutcome.failed(peer, "peer scripts not found: " + e.getMessage(), Duration.ZERO);
        }
        return run(peer, file, threads, args);
    }

    /** Runs the given script file. See {@link #run(String, String, int, List)}. */
    public PeerOutcome run(String peer, Path script, int threads, List<String> args) {
        if (!Files.isExecutable(python)) {
            return PeerOutcome.skipped(peer, "interpreter " + python + " not found", Duration.ZERO);
        }
        if (!Files.isRegularFile(script)) {
            return PeerOutcome.failed(peer, "script " + script + " not found", Duration.ZERO);
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(),
                "--threads", String.valueOf(threads)));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        String t = String.valueOf(threads);
        env.put("OMP_NUM_THREADS", t);
        env.put("MKL_NUM_THREADS", t);
        env.put("OPENBLAS_NUM_THREADS", t);
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONUNBUFFERED", "1");
        Processes.Outcome o = Processes.run(pb, timeout, null);
        return interpret(peer, o);
    }

    static PeerOutcome interpret(String peer, Processes.Outcome o) {
        if (!o.startError().isEmpty()) return PeerOutcome.skipped(peer, "cannot start: " + o.startError(), o.elapsed());
        JsonNode meta = null;
        List<JsonNode> results = new ArrayList<>();
        for (String line : o.stdout()) {
            String s = line.trim();
            if (!s.startsWith("{")) continue;
            JsonNode n;
            try {
                n = JSON.readTree(s);
            } catch (IOException e) {
                continue;
            }
            if (n.has("skipped")) return PeerOutcome.skipped(peer, n.get("skipped").asText(), o.elapsed());
            if (n.has("meta")) meta = n.get("meta");
            else results.add(n);
        }
        if (o.timedOut()) return PeerOutcome.failed(peer, "timed out after " + o.elapsed().toSeconds() + " s", o.elapsed());
        String err = String.join("\n", o.stderrTail());
        Matcher m = NO_MODULE.matcher(err);
        if (o.exitCode() != 0 && m.find()) {
            return PeerOutcome.skipped(peer, "Python module '" + m.group(1) + "' not installed", o.elapsed());
        }
        if (o.exitCode() != 0 && err.contains("ImportError")) {
            String last = o.stderrTail().stream().filter(l -> l.contains("ImportError")).reduce((a, b) -> b).orElse("");
            return PeerOutcome.skipped(peer, last.trim(), o.elapsed());
        }
        if (o.exitCode() != 0) {
            return PeerOutcome.failed(peer, "exit code " + o.exitCode() + ": " + o.lastStderrLine(), o.elapsed());
        }
        if (results.isEmpty()) return PeerOutcome.failed(peer, "no results printed", o.elapsed());
        return new PeerOutcome(peer, PeerOutcome.Status.OK, "", meta, results, o.elapsed());
    }

    /**
     * Directory holding the peer scripts: the {@value #PEERS_DIR_PROPERTY} system property, else the
     * bundled {@code peers/} resources (extracted to a temporary directory when inside a jar).
     */
    public static synchronized Path scriptsDir() throws IOException {
        String prop = System.getProperty(PEERS_DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        URL url = PeerRunner.class.getResource("/peers/" + BUNDLED.get(0));
        if (url == null) {
            Path src = Path.of("gpu-bench", "peers");
            if (Files.isDirectory(src)) return src;
            throw new IOException("no bundled peers/ resources and no gpu-bench/peers directory");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        if (extracted == null) {
            Path dir = Files.createTempDirectory("micromodels-peers");
            for (String f : BUNDLED) {
                try (InputStream in = PeerRunner.class.getResourceAsStream("/peers/" + f)) {
                    if (in != null) Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
                dir.resolve(f).toFile().deleteOnExit();
            }
            dir.toFile().deleteOnExit();
            extracted = dir;
        }
        return extracted;
    }
}

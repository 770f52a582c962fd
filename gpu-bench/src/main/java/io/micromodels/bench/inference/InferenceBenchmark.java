package io.micromodels.bench.inference;

import io.micromodels.bench.Measurer;
import io.micromodels.bench.ReferenceNetwork;
import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micromodels.backend.Backend;
import io.micromodels.backend.BackendInfo;
import io.micromodels.frozen.FrozenLayer;
import io.micromodels.frozen.FrozenNetwork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToDoubleFunction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Inference latency of the reference micromodel (10-32-32-2, ReLU hidden layers, softmax output): DL4J's
 * {@link MultiLayerNetwork#output} against the frozen network ({@link FrozenNetwork}, plain Java) holding the same
 * weights copied out of the DL4J network, and PyTorch when it is installed. One row per call and batches of 1024.
 *
 * <h2>What is timed</h2>
 * <ul>
 *   <li>{@code DL4J output(x)}: {@code net.output(x)} on a prebuilt float32 {@code INDArray}, DL4J defaults
 *       (inference workspace mode ENABLED; the result is detached from the workspace), then one value read.</li>
 *   <li>{@code DL4J output(x,false,ws)}: {@code net.output(x, false, ws)} with the result placed in a caller-owned
 *       workspace that is opened and closed around every call (no detach copy).</li>
 *   <li>{@code DL4J no workspaces}: {@code net.output(x)} on a copy configured with
 *       {@code inferenceWorkspaceMode(NONE)}.</li>
 *   <li>{@code frozen predict}: {@link FrozenNetwork#predict(double[], double[])} on a {@code double[]} row, and
 *       {@link FrozenNetwork#predictBatch(double[], int, double[])} on 1024 flat rows.</li>
 *   <li>{@code PyTorch inference_mode}: {@code gpu-bench/peers/torch_infer_ref.py} under {@code /usr/bin/python3}
 *       (same shapes, float32, {@code eval()}, {@code torch.inference_mode()}, {@code torch.set_num_threads(1)});
 *       skipped with a one-line reason when Python or torch is missing.</li>
 * </ul>
 * Inputs cycle through 1024 distinct standard-normal rows. Every method is warmed up first; then the Java methods
 * are timed in interleaved rounds (round k runs each method for about {@code --round-ms} before round k+1 starts)
 * so that load from other processes falls on all of them alike. Per method: the median over rounds of wall-clock
 * ns per row, the spread (fastest and slowest round), and the median of the measuring thread's CPU ns per row
 * (steadier on a shared machine: it leaves out time spent descheduled). ND4J runs its kernels on the calling
 * thread when {@code OMP_NUM_THREADS=1}, which the {@code ./micromodels} launcher sets.
 *
 * <p>The frozen and DL4J outputs are compared first (largest absolute difference printed). The last line is
 * exactly {@code single-row speedup vs DL4J: X}, X = median DL4J {@code output(x)} time / median frozen time for one
 * row, both from this run.
 *
 * <p>Usage: {@code InferenceBenchmark [--quick] [--rounds N] [--round-ms MS] [--warmup-ms MS] [--jmh] [--no-torch]
 * [--peer-script PATH] [--python PATH] [--backend cpu|cuda|auto] [--verbose]}. Defaults: 9 rounds of 400 ms after 2 s of
 * warm-up per method; {@code --quick}: 5 rounds of 150 ms after 1 s. {@code --jmh} adds the JMH figures of
 * {@link FrozenInferenceJmh} (frozen only) as a cross-check.
 */
public final class InferenceBenchmark {
    /** Batch size of the batch figures. */
    public static final int BATCH = FrozenInferenceBench.BATCH;
    /** Distinct input rows the single-row methods cycle through. */
    static final int DISTINCT = 1024;
    private static final String PEER = "torch_infer_ref.py";

    private InferenceBenchmark() {
    }

    /** Settings of a run. */
    public record Options(int rounds, long roundMillis, long warmupMillis, boolean jmh, boolean quickJmh, boolean torch,
                          Path peerScript, String python, String backend) {
        /** Parses command-line arguments. */
        public static Options parse(String... args) {
            boolean quick = false;
            int rounds = -1;
            long roundMs = -1;
            long warmupMs = -1;
            boolean jmh = false;
            boolean torch = true;
            Path script = null;
            String python = "/usr/bin/python3";
            String backend = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> quick = true;
                    case "--jmh" -> jmh = true;
                    case "--no-torch" -> torch = false;
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, a));
                    case "--round-ms" -> roundMs = Long.parseLong(value(args, ++i, a));
                    case "--warmup-ms" -> warmupMs = Long.parseLong(value(args, ++i, a));
                    case "--peer-script" -> script = Path.of(value(args, ++i, a));
                    case "--python" -> python = value(args, ++i, a);
                    case "--backend" -> backend = value(args, ++i, a);
                    case "inference" -> { } // the suite name, when passed through a suite runner
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'; usage: InferenceBenchmark [--quick]"
                            + " [--rounds N] [--round-ms MS] [--warmup-ms MS] [--jmh] [--no-torch] [--peer-script PATH] [--python PATH]"
                            + " [--backend B] [--verbose]");
                }
            }
            if (rounds < 0) rounds = quick ? 5 : 9;
            if (roundMs < 0) roundMs = quick ? 150 : 400;
            if (warmupMs < 0) warmupMs = quick ? 1000 : 2000;
            if (rounds < 1 || roundMs < 10) throw new IllegalArgumentException("--rounds must be >= 1 and --round-ms >= 10");
            return new Options(rounds, roundMs, warmupMs, jmh, quick, torch, script, python, backend);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }
    }

    /** Timing of one method, per row: medians over rounds, and the fastest and slowest round. */
    public record Timing(String method, int rowsPerCall, double medianNs, double minNs, double maxNs, double cpuNs, long calls) {
        String row() {
            return String.format(Locale.ROOT, "%-28s %6d %12s %22s %12s %10d", method, rowsPerCall, ns(medianNs),
                    ns(minNs) + " .. " + ns(maxNs), Double.isNaN(cpuNs) ? "n/a" : ns(cpuNs), calls);
        }
    }

    /** The reference network in DL4J ({@link ReferenceNetwork#dl4j}): float32, DL4J's default training workspace mode. */
    public static MultiLayerNetwork referenceDl4j(long seed, WorkspaceMode inference) {
        return ReferenceNetwork.dl4j(ReferenceNetwork.WIDTH, seed, DataType.FLOAT, WorkspaceMode.ENABLED, inference);
    }

    /** The frozen copy of a dense DL4J network of this benchmark's form (ReLU hidden layers, softmax output). */
    public static FrozenNetwork freeze(MultiLayerNetwork net) {
        List<FrozenLayer> layers = new ArrayList<>();
        int n = net.getnLayers();
        for (int i = 0; i < n; i++) {
            double[][] w = net.getLayer(i).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] b = net.getLayer(i).getParam("b").castTo(DataType.DOUBLE).ravel().toDoubleVector();
            layers.add(FrozenLayer.dense(w, b, i + 1 < n ? io.micromodels.frozen.Activation.RELU : io.micromodels.frozen.Activation.SOFTMAX));
        }
        return FrozenNetwork.of(layers);
    }

    /** Runs the benchmark, printing to {@code out}; returns the single-row speedup (DL4J time / frozen time). */
    public static double run(Options o, PrintStream out) throws Exception {
        BackendInfo backend = Backend.initialise(Backend.resolve(o.backend()));
        MultiLayerNetwork dl4j = referenceDl4j(1, WorkspaceMode.ENABLED);
        MultiLayerNetwork dl4jNoWs = referenceDl4j(1, WorkspaceMode.NONE);
        dl4jNoWs.setParams(dl4j.params().dup());
        FrozenNetwork frozen = freeze(dl4j);
        int in = frozen.inputWidth();
        int outW = frozen.outputWidth();

        out.println("inference benchmark: reference micromodel " + frozen.shape() + " (ReLU, softmax), " + frozen.parameterCount()
                + " parameters; " + backend.summary());
        out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores visible, load average "
                + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + ", Java " + System.getProperty("java.version") + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                + "; DL4J default inference workspace mode: " + dl4j.getLayerWiseConfigurations().getInferenceWorkspaceMode());

        // Inputs: 1024 distinct rows, as double[] (frozen) and float32 INDArrays (DL4J), and one flat batch.
        double[] flat = FrozenInferenceBench.randomRows(42, Math.max(DISTINCT, BATCH), in);
        double[][] rows = new double[DISTINCT][in];
        INDArray[] xs = new INDArray[DISTINCT];
        for (int r = 0; r < DISTINCT; r++) {
            System.arraycopy(flat, r * in, rows[r], 0, in);
            xs[r] = Nd4j.create(rows[r], new long[] {1, in}, DataType.FLOAT);
        }
        INDArray xBatch = Nd4j.create(Arrays.copyOf(flat, BATCH * in), new long[] {BATCH, in}, DataType.FLOAT);
        double[] batchFlat = Arrays.copyOf(flat, BATCH * in);
        // The frozen side gets the same float32-rounded inputs as DL4J.
        for (int i = 0; i < batchFlat.length; i++) batchFlat[i] = (float) batchFlat[i];
        for (double[] r : rows) for (int j = 0; j < in; j++) r[j] = (float) r[j];

        // Same function: frozen vs DL4J on the batch.
        double[] fo = new double[BATCH * outW];
        frozen.predictBatch(batchFlat, BATCH, fo);
        float[][] dOut = dl4j.output(xBatch).toFloatMatrix();
        double maxDiff = 0;
        for (int r = 0; r < BATCH; r++) for (int j = 0; j < outW; j++) maxDiff = Math.max(maxDiff, Math.abs(fo[r * outW + j] - dOut[r][j]));
        out.println(String.format(Locale.ROOT, "frozen vs DL4J outputs on %d rows: max |difference| = %.3g (float32 DL4J vs double frozen)",
                BATCH, maxDiff));

        WorkspaceConfiguration wsConf = WorkspaceConfiguration.builder().initialSize(1L << 20)
                .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.NONE).build();
        double[] o1 = new double[outW];
        double[] oBatch = new double[BATCH * outW];
        List<Method> methods = List.of(
                new Method("DL4J output(x)", 1, i -> dl4j.output(xs[i]).getDouble(0)),
                new Method("DL4J output(x,false,ws)", 1, i -> {
                    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(wsConf, "MM_INFER_OUT")) {
                        return dl4j.output(xs[i], false, ws).getDouble(0);
                    }
                }),
                new Method("DL4J no workspaces", 1, i -> dl4jNoWs.output(xs[i]).getDouble(0)),
                new Method("frozen predict", 1, i -> {
                    frozen.predict(rows[i], o1);
                    return o1[0];
                }),
                new Method("DL4J output(x)", BATCH, i -> dl4j.output(xBatch).getDouble(i)),
                new Method("DL4J output(x,false,ws)", BATCH, i -> {
                    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(wsConf, "MM_INFER_OUT")) {
                        return dl4j.output(xBatch, false, ws).getDouble(i);
                    }
                }),
                new Method("DL4J no workspaces", BATCH, i -> dl4jNoWs.output(xBatch).getDouble(i)),
                new Method("frozen predictBatch", BATCH, i -> {
                    frozen.predictBatch(batchFlat, BATCH, oBatch);
                    return oBatch[i];
                }));

        out.println(String.format(Locale.ROOT, "timing: warm-up %d ms per method, then %d interleaved rounds of %d ms per method",
                o.warmupMillis(), o.rounds(), o.roundMillis()));
        List<Timing> timings = measure(methods, o.rounds(), o.roundMillis(), o.warmupMillis());
        List<Timing> all = new ArrayList<>(timings);
        List<String> notes = new ArrayList<>();
        if (o.torch()) {
            all.addAll(torch(o, notes));
        } else {
            notes.add("PyTorch: skipped (--no-torch)");
        }

        out.println();
        out.println(String.format(Locale.ROOT, "%-28s %6s %12s %22s %12s %10s", "method", "rows", "ns/row", "spread (rounds)",
                "CPU ns/row", "calls"));
        all.stream().filter(t -> t.rowsPerCall() == 1).forEach(t -> out.println(t.row()));
        all.stream().filter(t -> t.rowsPerCall() != 1).forEach(t -> out.println(t.row()));
        notes.forEach(out::println);
        out.println("ns/row: median over rounds of wall-clock time; spread: fastest .. slowest round; CPU: median thread CPU time"
                + " (PyTorch: its process's thread CPU time); calls: timed calls in all rounds");

        if (o.jmh()) {
            Map<String, Double> jmh = o.quickJmh() ? FrozenInferenceBench.runJmh(1, 2, 3, TimeValue.milliseconds(500))
                    : FrozenInferenceBench.runJmh(1, 3, 5, TimeValue.seconds(1));
            out.println("JMH cross-check, frozen only (" + (o.quickJmh() ? "1 fork, 2x0.5 s warm-up, 3x0.5 s" : "1 fork, 3x1 s warm-up, 5x1 s")
                    + "), ns/row: " + String.format(Locale.ROOT, "singleRow %.1f, batch1024 %.1f", jmh.get("singleRow"), jmh.get("batch1024")));
        }

        Timing dSingle = find(timings, "DL4J output(x)", 1);
        Timing fSingle = find(timings, "frozen predict", 1);
        Timing dBatch = find(timings, "DL4J output(x)", BATCH);
        Timing fBatch = find(timings, "frozen predictBatch", BATCH);
        double bestDl4jBatch = timings.stream().filter(t -> t.rowsPerCall() == BATCH && t.method().startsWith("DL4J"))
                .mapToDouble(Timing::medianNs).min().orElseThrow();
        double speedup = dSingle.medianNs() / fSingle.medianNs();
        double cpuSpeedup = dSingle.cpuNs() / fSingle.cpuNs();
        out.println();
        out.println(String.format(Locale.ROOT, "target single row >= 100x faster than MultiLayerNetwork.output: %.1fx (CPU time %.1fx) -> %s",
                speedup, cpuSpeedup, speedup >= 100 ? "met" : "NOT met"));
        out.println(String.format(Locale.ROOT, "target single row <= 2 us: frozen %s -> %s", ns(fSingle.medianNs()),
                fSingle.medianNs() <= 2000 ? "met" : "NOT met"));
        out.println(String.format(Locale.ROOT, "target batch-%d at least as fast as DL4J: frozen %s/row vs DL4J output(x) %s/row"
                        + " (%.2fx; fastest DL4J variant %s/row, %.2fx) -> %s", BATCH, ns(fBatch.medianNs()), ns(dBatch.medianNs()),
                dBatch.medianNs() / fBatch.medianNs(), ns(bestDl4jBatch), bestDl4jBatch / fBatch.medianNs(),
                fBatch.medianNs() <= bestDl4jBatch ? "met" : "NOT met"));
        out.println(String.format(Locale.ROOT, "single-row speedup vs DL4J: %.1f", speedup));
        dl4j.close();
        dl4jNoWs.close();
        return speedup;
    }

    private static Timing find(List<Timing> ts, String method, int rows) {
        return ts.stream().filter(t -> t.method().equals(method) && t.rowsPerCall() == rows).findFirst().orElseThrow();
    }

    /** A timed method: {@code call.applyAsDouble(i)} scores row {@code i} (of 1024) or the batch, and returns a value read from the result. */
    record Method(String name, int rowsPerCall, IntToDoubleFunction call) {
    }

    /** Warms up every method, then times them in interleaved rounds ({@link Measurer#rounds}). */
    static List<Timing> measure(List<Method> methods, int rounds, long roundMillis, long warmupMillis) {
        List<Measurer.Timed> ops = methods.stream()
                .map(m -> new Measurer.Timed(m.call(), m.rowsPerCall(), DISTINCT, m.rowsPerCall() == 1 ? 32 : 1)).toList();
        List<Measurer.Rounds> figures = Measurer.rounds(ops, rounds, roundMillis, warmupMillis);
        List<Timing> result = new ArrayList<>();
        for (int j = 0; j < methods.size(); j++) {
            Measurer.Rounds f = figures.get(j);
            result.add(new Timing(methods.get(j).name(), methods.get(j).rowsPerCall(), f.medianNs(), f.minNs(), f.maxNs(),
                    f.cpuNs(), f.calls()));
        }
        return result;
    }

    static String ns(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v >= 100_000) return String.format(Locale.ROOT, "%.1f us", v / 1000);
        if (v >= 1000) return String.format(Locale.ROOT, "%.2f us", v / 1000);
        return String.format(Locale.ROOT, "%.1f ns", v);
    }

    // ------------------------------------------------------------------ PyTorch peer

    /** Runs the PyTorch peer; on any problem adds a one-line note and returns nothing (never a made-up figure). */
    static List<Timing> torch(Options o, List<String> notes) {
        Path script = o.peerScript() != null ? o.peerScript() : findPeerScript();
        if (script == null || !Files.isRegularFile(script)) {
            notes.add("PyTorch: skipped (peer script " + (script == null ? PEER : script) + " not found; pass --peer-script)");
            return List.of();
        }
        List<String> cmd = List.of(o.python(), script.toString(), "--rounds", Integer.toString(o.rounds()),
                "--round-ms", Long.toString(o.roundMillis()), "--warmup-ms", Long.toString(o.warmupMillis()),
                "--batch", Integer.toString(BATCH), "--distinct", Integer.toString(DISTINCT));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException e) {
            notes.add("PyTorch: skipped (cannot run " + o.python() + ": " + e.getMessage() + ")");
            return List.of();
        }
        List<Timing> ts = new ArrayList<>();
        ObjectMapper json = StrictJson.mapper();
        String meta = null;
        String skip = null;
        StringBuilder err = new StringBuilder();
        try {
            Thread errReader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) synchronized (err) { err.append(line).append('\n'); }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            errReader.setDaemon(true);
            errReader.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.startsWith("{")) continue;
                    JsonNode n = json.readTree(line);
                    if (n.has("skip")) {
                        skip = n.get("skip").asText();
                    } else if (n.has("meta")) {
                        meta = n.get("meta").toString();
                    } else {
                        ts.add(new Timing("PyTorch " + n.get("mode").asText(), n.get("rows").asInt(), n.get("median_ns").asDouble(),
                                n.get("min_ns").asDouble(), n.get("max_ns").asDouble(), n.get("cpu_ns").asDouble(), n.get("calls").asLong()));
                    }
                }
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                notes.add("PyTorch: skipped (peer timed out)");
                return List.of();
            }
            errReader.join(1000);
        } catch (IOException | InterruptedException e) {
            p.destroyForcibly();
            notes.add("PyTorch: skipped (" + e + ")");
            return List.of();
        }
        if (skip != null) {
            notes.add("PyTorch: skipped (" + skip + ")");
            return List.of();
        }
        if (p.exitValue() != 0 || ts.isEmpty()) {
            String tail;
            synchronized (err) {
                String[] lines = err.toString().strip().split("\n");
                tail = lines[lines.length - 1];
            }
            notes.add("PyTorch: skipped (peer failed, exit " + p.exitValue() + ": " + tail + ")");
            return List.of();
        }
        notes.add("PyTorch peer: " + script + " " + (meta == null ? "" : meta) + " (timed in its own process after the Java rounds)");
        return ts;
    }

    /** gpu-bench/peers/torch_infer_ref.py: from the working directory, or next to the jar's module. */
    static Path findPeerScript() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("gpu-bench", "peers", PEER), Path.of("peers", PEER)));
        try {
            Path code = Path.of(InferenceBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // gpu-bench/target/classes or gpu-bench/target/x.jar -> gpu-bench/peers
            for (Path p = code; p != null; p = p.getParent()) {
                if (p.getFileName() != null && p.getFileName().toString().equals("target") && p.getParent() != null) {
                    candidates.add(p.getParent().resolve("peers").resolve(PEER));
                    break;
                }
            }
        } catch (Exception ignored) {
            // no code source: only the working-directory candidates
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    /** Command line; see the class comment. */
    public static void main(String[] args) throws Exception {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        args = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
        // ND4J's start-up logging only with --verbose (as the micromodels command line does); set before any logger exists.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        }
        if (System.getProperty("org.nd4j.log.initialization") == null) {
            System.setProperty("org.nd4j.log.initialization", Boolean.toString(verbose));
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(o, System.out);
    }
}

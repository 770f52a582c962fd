package io.micromodels.bench.train;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micromodels.bench.BenchContext;
import io.micromodels.bench.BenchMain;
import io.micromodels.bench.BenchSuite;
import io.micromodels.bench.ChildJvm;
import io.micromodels.bench.MachineFacts;
import io.micromodels.bench.Measurement;
import io.micromodels.bench.Measurer;
import io.micromodels.bench.PeerOutcome;
import io.micromodels.bench.Plots;
import io.micromodels.bench.Processes;
import io.micromodels.bench.Result;
import io.micromodels.bench.ResultTable;
import io.micromodels.bench.TextTable;

import io.micromodels.text.Fmt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Training throughput of the 10-W-W-2 MLP ({@link io.micromodels.bench.ReferenceNetwork}): microseconds per training
 * iteration (one Adam step on one batch) and samples per second, for DL4J with its defaults,
 * DL4J with the best settings found in the same run, PyTorch and scikit-learn.
 *
 * <p>Steps:
 * <ol>
 *   <li><b>Explore</b> on the reference 10-32-32-2 at batch 64 and 1024, one factor at a time from the
 *       defaults: OpenMP threads (1 and {@code --threads}, each in a child JVM whose
 *       {@code OMP_NUM_THREADS} is set before ND4J loads; "default" is a child with the variable
 *       unset, i.e. ND4J's own choice), workspaces ENABLED vs NONE, periodic GC (ND4J's default vs
 *       the opposite), FLOAT vs DOUBLE, {@code fit(DataSet)} vs {@code fit(INDArray, INDArray)} vs
 *       an iterator assembling batches from rows.</li>
 *   <li><b>Tune</b>: the fastest thread count, then in that JVM the fastest workspace, GC and fit
 *       choices (geometric mean over batch 64 and 1024). FLOAT is kept: DOUBLE changes the model.</li>
 *   <li><b>Grid</b>: defaults and tuned over widths (batch 64) and batch sizes (width 32).</li>
 *   <li><b>Peers</b>: PyTorch and scikit-learn on the same grid, with the same thread counts.</li>
 * </ol>
 * The last printed line is the headline {@code best/default speedup@batch64: X}.
 *
 * <pre>
 *   java -cp ... io.micromodels.bench.train.TrainThroughput --suite quick --out results/train
 *   java -cp ... io.micromodels.bench.BenchMain train --suite full --threads 2
 * </pre>
 */
public final class TrainThroughput implements BenchSuite {

    /** Width of the reference model 10-32-32-2. */
    public static final int REF_WIDTH = 32;
    /** Batch sizes of the reference comparison. */
    public static final int[] REF_BATCHES = {64, 1024};
    /** Batch size of the width sweep. */
    public static final int SWEEP_BATCH = 64;
    static final long SEED = 42;
    /** Training time per worker JVM before its first measurement (JIT, ND4J first use). */
    static final long JVM_WARMUP_QUICK_MS = 3000, JVM_WARMUP_FULL_MS = 10000;
    static final String PLOT_BATCH = "throughput-vs-batch.png";
    static final String PLOT_WIDTH = "throughput-vs-width.png";

    private static final ObjectMapper JSON = StrictJson.mapper();

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String description() {
        return "training throughput of 10-W-W-2 MLPs: DL4J default vs tuned vs PyTorch vs sklearn";
    }

    /**
     * Runs this suite alone: {@code --suite quick|full --out DIR --threads N --force [--no-peers]}
     * (the same as {@code BenchMain train ...}).
     */
    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        BenchMain.main(all);
    }

    /** Widths swept at batch {@value #SWEEP_BATCH} and batch sizes swept at width {@value #REF_WIDTH}. */
    record Grid(int[] widths, int[] batches) {
        static Grid of(boolean quick) {
            return quick
                    ? new Grid(new int[] {8, 32, 128, 512}, new int[] {1, 16, 64, 256, 1024, 4096})
                    : new Grid(new int[] {8, 16, 32, 64, 128, 256, 512},
                    new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096});
        }

        /** All (width, batch) points, reference points included, without duplicates. */
        List<int[]> points() {
            Set<List<Integer>> seen = new LinkedHashSet<>();
            for (int w : widths) seen.add(List.of(w, SWEEP_BATCH));
            for (int b : batches) seen.add(List.of(REF_WIDTH, b));
            for (int b : REF_BATCHES) seen.add(List.of(REF_WIDTH, b));
            return seen.stream().map(l -> new int[] {l.get(0), l.get(1)}).toList();
        }
    }

    /** One measurement from a worker JVM. */
    record Measured(String jvm, int threads, TrainSettings settings, int width, int batch, Measurement m, String gc) {
    }

    /** A worker JVM's outcome. */
    record WorkerRun(String label, Integer omp, int threads, boolean gcDefault, List<Measured> results,
                     List<String> errors) {
        Measured find(TrainSettings s, int width, int batch) {
            return results.stream().filter(r -> r.settings.equals(s) && r.width == width && r.batch == batch)
                    .findFirst().orElse(null);
        }

        /** Geometric mean of the medians at the reference batches, NaN if any is missing. */
        double refScore(TrainSettings s) {
            double logSum = 0;
            for (int b : REF_BATCHES) {
                Measured m = find(s, REF_WIDTH, b);
                if (m == null) return Double.NaN;
                logSum += Math.log(m.m.median());
            }
            return Math.exp(logSum / REF_BATCHES.length);
        }
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        ResultTable table = ctx.newTable(name()).units("iter", "samples");
        ctx.checkOutputsFree(table, PLOT_BATCH, PLOT_WIDTH);
        Grid grid = Grid.of(ctx.quick());
        Measurer.Plan plan = ctx.plan();
        TrainSettings def = TrainSettings.defaults();
        List<TrainSettings> explore = List.of(def, def.withWorkspaces(false), def.withGc("flip"),
                def.withDtype("DOUBLE"), def.withFit("arrays"), def.withFit("iterator"));
        ctx.println(String.format(Locale.ROOT, "train: %s grid, plan %s, thread budget %d; DL4J runs in child JVMs",
                ctx.size().label(), plan, ctx.threads()));

        // 1. Explore, and the default grid, in a JVM with ND4J's own thread choice.
        // Variants at the same point are consecutive tasks, which the worker measures interleaved.
        List<Object[]> tasksA = new ArrayList<>();
        for (int b : REF_BATCHES) for (TrainSettings s : explore) tasksA.add(new Object[] {s, REF_WIDTH, b});
        for (int[] p : grid.points()) {
            if (!(p[0] == REF_WIDTH && contains(REF_BATCHES, p[1]))) tasksA.add(new Object[] {def, p[0], p[1]});
        }
        WorkerRun a = runWorker(ctx, null, plan, tasksA);
        List<WorkerRun> byThreads = new ArrayList<>(List.of(a));
        for (int t : threadCounts(ctx)) {
            if (t == a.threads) continue;
            List<Object[]> tasks = new ArrayList<>();
            for (int b : REF_BATCHES) for (TrainSettings s : explore) tasks.add(new Object[] {s, REF_WIDTH, b});
            byThreads.add(runWorker(ctx, t, plan, tasks));
        }

        // 2. Tune: the thread setting whose JVM was fastest over all explored variants, then each
        //    factor within that JVM (FLOAT kept).
        WorkerRun best = fastestJvm(byThreads, explore);
        TrainSettings combo = tune(best);
        if (combo.gc().equals("flip")) combo = combo.withGc(best.gcDefault ? "off" : "on");
        ctx.println("thread setting: " + threadWord(best) + "; combined factors: " + combo.describe());

        // 3. The grid in a JVM with the winning thread setting, for the defaults (threads only) and
        //    the combined factors, interleaved; the faster of the two at the reference is "tuned".
        List<TrainSettings> candidates = combo.equals(def) ? List.of(def) : List.of(def, combo);
        List<Object[]> tasksC = new ArrayList<>();
        for (int[] p : grid.points()) for (TrainSettings s : candidates) tasksC.add(new Object[] {s, p[0], p[1]});
        WorkerRun c = runWorker(ctx, best.omp, plan, tasksC);
        final TrainSettings tunedFinal = candidates.stream().filter(s -> !Double.isNaN(c.refScore(s)))
                .min(Comparator.comparingDouble(c::refScore)).orElse(combo);
        ctx.println("tuned settings: " + threadWord(best) + ", " + tunedFinal.describe());

        // 4. Peers at the thread counts of DL4J default and DL4J tuned.
        Set<Integer> peerThreads = new TreeSet<>(List.of(a.threads, c.threads));
        Map<String, Map<Integer, List<JsonNode>>> peers = new LinkedHashMap<>();
        List<String> peerLines = new ArrayList<>();
        if (ctx.peersEnabled()) {
            String gridArg = String.join(",", grid.points().stream().map(p -> p[0] + "x" + p[1]).toList());
            List<String> common = List.of("--grid", gridArg, "--seed", String.valueOf(SEED),
                    "--warmup-ms", String.valueOf(plan.warmupMillis()), "--min-warmup", String.valueOf(plan.minWarmupOps()),
                    "--repeat-ms", String.valueOf(plan.repeatMillis()), "--repeats", String.valueOf(plan.repeats()));
            for (String[] peer : new String[][] {{"PyTorch", "torch", "torch_train.py"}, {"sklearn", "sklearn", "sklearn_mlp.py"}}) {
                for (int t : peerThreads) {
                    List<String> args = new ArrayList<>(common);
                    if (peer[1].equals("sklearn")) args.addAll(0, List.of("--mode", "train"));
                    ctx.println("peer " + peer[1] + " (" + t + " thread" + (t == 1 ? "" : "s") + ") ...");
                    PeerOutcome o = ctx.peers().run(peer[1], peer[2], t, args);
                    String line = o.line() + (o.ok() && o.meta() != null ? " " + o.meta() : "");
                    ctx.println(line);
                    peerLines.add(line);
                    if (o.ok()) peers.computeIfAbsent(peer[0], k -> new LinkedHashMap<>()).put(t, o.results());
                    else if (o.status() == PeerOutcome.Status.SKIPPED) break;   // same reason at every thread count
                }
            }
        } else {
            peerLines.add("peers skipped: --no-peers");
            ctx.println(peerLines.get(0));
        }

        // 5. Tables.
        for (WorkerRun w : byThreads) {
            for (Measured m : w.results) {
                String variant = m.settings.label();
                if (m.settings.gc().equals("flip")) variant = variant.replace("gc=flip", "gc=" + m.gc);
                if (w.omp != null) variant = variant + " OMP=" + w.omp;
                table.add(dl4jResult(m, variant, ""));
            }
        }
        for (Measured m : c.results) {
            String variant = m.settings.equals(tunedFinal) ? "tuned" : "candidate " + m.settings.label();
            table.add(dl4jResult(m, variant, threadWord(best) + (m.settings.equals(tunedFinal) ? ", " + m.settings.label() : "")));
        }
        peers.forEach((impl, byT) -> byT.forEach((t, rows) -> {
            for (JsonNode r : rows) {
                List<Double> samples = new ArrayList<>();
                r.get("samples_us").forEach(n -> samples.add(n.asDouble()));
                table.add(new Result(name(), impl, r.path("variant").asText("default"), r.path("threads").asInt(t),
                        Result.params("width", r.get("width").asInt(), "batch", r.get("batch").asInt()),
                        Measurement.of(samples), r.get("batch").asInt(), r.path("note").asText("")));
            }
        }));

        TextTable exploration = explorationTable(byThreads, explore, a);
        TextTable ratios = ratioTable(grid, a, c, tunedFinal, peers);
        String threadsNote = String.format(Locale.ROOT,
                "DL4J default: ND4J's own thread choice (OMP_NUM_THREADS unset in its JVM) = %d threads. "
                        + "DL4J tuned: %s, %s (of the candidates %s measured interleaved in that JVM). "
                        + "Peers ran at %s threads (same as the DL4J rows they are compared with).",
                a.threads, threadWord(best), tunedFinal.describe(),
                candidates.stream().map(TrainSettings::label).toList(), peerThreads);
        table.note("Model: 10-W-W-2 MLP, ReLU, dropout 0.1 on hidden activations (DL4J dropOut(0.9) = retain), "
                + "L2 1e-4, Adam 1e-3, softmax + cross-entropy, float32; synthetic data, seed " + SEED
                + ". One iteration = one optimizer step on one batch. Measurement plan: " + plan + ".");
        table.note(threadsNote);
        table.note("Figures may be noisy: other sessions share this machine's cores (load average at start "
                + table.facts().loadAverage() + ", at the end " + MachineFacts.loadAverageNow() + "). The machine facts are "
                + "those of the parent JVM; DL4J was measured in child JVMs whose compute threads are in the threads column.");
        peerLines.forEach(l -> table.note("`" + l + "`"));
        for (WorkerRun w : byThreads) w.errors.forEach(e -> table.note("error in " + w.label + ": " + e));
        c.errors.forEach(e -> table.note("error in tuned JVM: " + e));
        table.section("Exploration on 10-32-32-2 (us/iter, ratio = variant / default; < 1 is faster)", exploration);
        table.section("Ratios ours / peer (us per iteration; > 1 means DL4J is slower)", ratios);

        // 6. Plots.
        List<Path> plots = plots(ctx, table, grid, a, c, tunedFinal, peers);
        for (Path p : plots) table.image(p.getFileName().toString().replace(".png", ""), p);

        // 7. Print, write, headline.
        ctx.println("");
        ctx.out().print(table.toText());
        ctx.println("");
        ctx.println("Exploration on 10-32-32-2 (us/iter; ratio = variant/default, < 1 is faster):");
        ctx.out().print(exploration.toText());
        ctx.println("");
        ctx.println("Ratios ours/peer (us per iteration; > 1 means DL4J is slower):");
        ctx.out().print(ratios.toText());
        ctx.println("");
        ctx.println(threadsNote);
        ctx.println("load average (1/5/15 min) at start " + table.facts().loadAverage() + ", now "
                + MachineFacts.loadAverageNow() + " on " + table.facts().logicalCores() + " logical cores: figures may be noisy");
        List<String> summary = new ArrayList<>();
        double[] speedups = new double[REF_BATCHES.length];
        for (int i = 0; i < REF_BATCHES.length; i++) {
            int b = REF_BATCHES[i];
            Measured d = a.find(def, REF_WIDTH, b);
            Measured t = c.find(tunedFinal, REF_WIDTH, b);
            speedups[i] = d != null && t != null ? d.m.median() / t.m.median() : Double.NaN;
            summary.add(String.format(Locale.ROOT,
                    "reference 10-32-32-2 batch %d: default %s us/iter (%s samples/s, %s), best %s us/iter (%s samples/s, %s)",
                    b, d == null ? "-" : Fmt.measure(d.m.median()), d == null ? "-" : Fmt.rate(d.m.throughput(b)), threads(a.threads),
                    t == null ? "-" : Fmt.measure(t.m.median()), t == null ? "-" : Fmt.rate(t.m.throughput(b)), threads(c.threads)));
        }
        summary.add("best settings: " + threadWord(best) + ", " + tunedFinal.describe());
        List<String> byMin = new ArrayList<>();
        for (int b : REF_BATCHES) {
            Measured d = a.find(def, REF_WIDTH, b);
            Measured t = c.find(tunedFinal, REF_WIDTH, b);
            byMin.add("batch" + b + " " + (d == null || t == null ? "n/a"
                    : String.format(Locale.ROOT, "%.2f", d.m.min() / t.m.min())));
        }
        summary.add("best/default speedup by fastest repeat (less sensitive to other load): " + String.join(", ", byMin));
        for (int i = REF_BATCHES.length - 1; i >= 0; i--) {
            summary.add(String.format(Locale.ROOT, "best/default speedup@batch%d: %s", REF_BATCHES[i],
                    Double.isNaN(speedups[i]) ? "n/a" : String.format(Locale.ROOT, "%.2f", speedups[i])));
        }
        String headline = summary.remove(summary.size() - 1);
        summary.forEach(table::note);
        table.headline(headline);
        ctx.write(table);
        summary.forEach(ctx::println);
        ctx.headline(headline);
    }

    private static Result dl4jResult(Measured m, String variant, String note) {
        return new Result("train", "DL4J", variant, m.threads,
                Result.params("width", m.width, "batch", m.batch), m.m, m.batch, note);
    }

    /**
     * The worker JVM (thread setting) with the lowest geometric mean of medians over all explored
     * variants at the reference batches; variants missing in any JVM are left out.
     */
    static WorkerRun fastestJvm(List<WorkerRun> runs, List<TrainSettings> explore) {
        WorkerRun best = runs.get(0);
        double bestScore = Double.NaN;
        for (WorkerRun w : runs) {
            double logSum = 0;
            int n = 0;
            for (TrainSettings s : explore) {
                if (runs.stream().anyMatch(r -> Double.isNaN(r.refScore(s)))) continue;
                logSum += Math.log(w.refScore(s));
                n++;
            }
            double score = n == 0 ? Double.NaN : Math.exp(logSum / n);
            if (!Double.isNaN(score) && (Double.isNaN(bestScore) || score < bestScore)) {
                bestScore = score;
                best = w;
            }
        }
        return best;
    }

    /**
     * The tuned settings: for each factor, the value whose one-factor-from-default variant was
     * fastest in {@code run} (geometric mean over the reference batches); FLOAT always.
     */
    static TrainSettings tune(WorkerRun run) {
        TrainSettings d = TrainSettings.defaults();
        double base = run.refScore(d);
        boolean ws = !(run.refScore(d.withWorkspaces(false)) < base);
        String gc = run.refScore(d.withGc("flip")) < base ? "flip" : "default";
        String fit = "dataset";
        double bestFit = base;
        for (String f : List.of("arrays", "iterator")) {
            double s = run.refScore(d.withFit(f));
            if (s < bestFit || (Double.isNaN(bestFit) && !Double.isNaN(s))) {
                bestFit = s;
                fit = f;
            }
        }
        return new TrainSettings(ws, gc, "FLOAT", fit);
    }

    private static String threads(int n) {
        return n + (n == 1 ? " thread" : " threads");
    }

    private static String threadWord(WorkerRun w) {
        return w.omp == null ? "threads=ND4J default (" + w.threads + ")" : "OMP_NUM_THREADS=" + w.omp;
    }

    /** Thread counts to explore: 1 and the budget (quick); 1, 2, 4, ... and the budget (full). */
    static List<Integer> threadCounts(BenchContext ctx) {
        Set<Integer> s = new TreeSet<>();
        s.add(1);
        if (!ctx.quick()) for (int t = 2; t < ctx.threads(); t *= 2) s.add(t);
        s.add(ctx.threads());
        return List.copyOf(s);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    /** Runs tasks in a child JVM; {@code omp} null leaves OMP_NUM_THREADS unset (ND4J's default). */
    private WorkerRun runWorker(BenchContext ctx, Integer omp, Measurer.Plan plan, List<Object[]> tasks) throws Exception {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("seed", SEED);
        spec.put("jvmWarmupMillis", ctx.quick() ? JVM_WARMUP_QUICK_MS : JVM_WARMUP_FULL_MS);
        spec.set("plan", JSON.valueToTree(plan));
        ArrayNode arr = spec.putArray("tasks");
        for (Object[] t : tasks) {
            ObjectNode n = arr.addObject();
            n.set("settings", JSON.valueToTree(t[0]));
            n.put("width", (Integer) t[1]);
            n.put("batch", (Integer) t[2]);
        }
        String label = omp == null ? "JVM with OMP_NUM_THREADS unset" : "JVM with OMP_NUM_THREADS=" + omp;
        ChildJvm jvm = new ChildJvm(TrainWorker.class.getName())
                .jvmArg("-Xmx1g")
                .env(ctx.backend().childEnvironment())
                .args(List.of(JSON.writeValueAsString(spec)))
                .timeout(Duration.ofMinutes(ctx.quick() ? 15 : 120));
        for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) jvm.unsetEnv(v);
        if (omp != null) jvm.env("OMP_NUM_THREADS", String.valueOf(omp)).env("OPENBLAS_NUM_THREADS", String.valueOf(omp));
        ctx.println(label + ": " + tasks.size() + " measurements ...");
        int[] threads = {0};
        boolean[] gcDefault = {false};
        List<Measured> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Processes.Outcome o = jvm.run(line -> {
            if (!line.startsWith("{")) return;
            try {
                JsonNode n = JSON.readTree(line);
                switch (n.path("type").asText()) {
                    case "env" -> {
                        threads[0] = n.get("threads").asInt();
                        gcDefault[0] = n.get("periodic_gc_default").asBoolean();
                        ctx.println("  " + label + ": ND4J threads " + threads[0] + ", omp " + n.path("omp_threads").asText()
                                + ", blas " + n.path("blas_threads").asText() + ", periodic GC by default "
                                + (gcDefault[0] ? "on" : "off"));
                    }
                    case "result" -> {
                        List<Double> samples = new ArrayList<>();
                        n.get("samples_us").forEach(x -> samples.add(x.asDouble()));
                        TrainSettings s = JSON.treeToValue(n.get("settings"), TrainSettings.class);
                        Measured m = new Measured(label, n.get("threads").asInt(), s, n.get("width").asInt(),
                                n.get("batch").asInt(), Measurement.of(samples), n.path("gc_applied").asText());
                        synchronized (results) {
                            results.add(m);
                        }
                        String shown = s.gc().equals("flip") ? s.label().replace("gc=flip", "gc=" + m.gc) : s.label();
                        ctx.println(String.format(Locale.ROOT, "  %-28s w=%-4d b=%-5d %10s us/iter  %10s samples/s",
                                shown, m.width, m.batch, Fmt.measure(m.m.median()), Fmt.rate(m.m.throughput(m.batch))));
                    }
                    case "error" -> {
                        synchronized (errors) {
                            errors.add(n.toString());
                        }
                        ctx.println("  error: " + n);
                    }
                    default -> { }
                }
            } catch (Exception e) {
                errors.add("unparsable worker line: " + line);
            }
        });
        if (o.exitCode() != 0) {
            String why = o.timedOut() ? "timed out" : "exit code " + o.exitCode() + ": " + String.join("\n", o.stderrTail());
            if (results.isEmpty()) throw new IllegalStateException(label + " failed: " + why);
            errors.add(label + " ended early: " + why);
        }
        return new WorkerRun(label, omp, threads[0], gcDefault[0], List.copyOf(results), List.copyOf(errors));
    }

    private static TextTable explorationTable(List<WorkerRun> runs, List<TrainSettings> explore, WorkerRun a) {
        List<String> header = new ArrayList<>(List.of("JVM", "threads", "settings"));
        for (int b : REF_BATCHES) header.add("us/iter b" + b);
        for (int b : REF_BATCHES) header.add("ratio b" + b);
        TextTable t = new TextTable(header);
        for (WorkerRun w : runs) {
            for (TrainSettings s : explore) {
                List<String> row = new ArrayList<>(List.of(w.omp == null ? "OMP unset" : "OMP=" + w.omp,
                        String.valueOf(w.threads), s.equals(TrainSettings.defaults().withGc("flip"))
                                ? "gc=" + (w.gcDefault ? "off" : "on/" + TrainSettings.GC_WINDOW_MS + "ms") : s.label()));
                for (int b : REF_BATCHES) {
                    Measured m = w.find(s, REF_WIDTH, b);
                    row.add(m == null ? "-" : Fmt.measure(m.m.median()));
                }
                for (int b : REF_BATCHES) {
                    Measured m = w.find(s, REF_WIDTH, b);
                    Measured d = a.find(TrainSettings.defaults(), REF_WIDTH, b);
                    row.add(m == null || d == null ? "-" : Fmt.ratio(m.m.median() / d.m.median()));
                }
                t.row(row);
            }
        }
        return t;
    }

    private static TextTable ratioTable(Grid grid, WorkerRun a, WorkerRun c, TrainSettings tuned,
                                        Map<String, Map<Integer, List<JsonNode>>> peers) {
        List<String> header = new ArrayList<>(List.of("width", "batch",
                "DL4J default us (" + a.threads + "t)", "DL4J tuned us (" + c.threads + "t)"));
        List<String> impls = List.copyOf(peers.keySet());
        for (String p : impls) header.add(p + " us (" + c.threads + "t)");
        for (String p : impls) header.add("tuned/" + p);
        for (String p : impls) header.add("default/" + p + (a.threads != c.threads ? " (" + a.threads + "t)" : ""));
        TextTable t = new TextTable(header);
        for (int[] p : sortedPoints(grid)) {
            Measured d = a.find(TrainSettings.defaults(), p[0], p[1]);
            Measured tu = c.find(tuned, p[0], p[1]);
            List<String> row = new ArrayList<>(List.of(String.valueOf(p[0]), String.valueOf(p[1]),
                    d == null ? "-" : Fmt.measure(d.m.median()), tu == null ? "-" : Fmt.measure(tu.m.median())));
            for (String impl : impls) {
                Double v = peerMedian(peers, impl, c.threads, p);
                row.add(v == null ? "-" : Fmt.measure(v));
            }
            for (String impl : impls) {
                Double v = peerMedian(peers, impl, c.threads, p);
                row.add(v == null || tu == null ? "-" : Fmt.ratio(tu.m.median() / v));
            }
            for (String impl : impls) {
                Double v = peerMedian(peers, impl, a.threads, p);
                row.add(v == null || d == null ? "-" : Fmt.ratio(d.m.median() / v));
            }
            t.row(row);
        }
        return t;
    }

    private static List<int[]> sortedPoints(Grid grid) {
        List<int[]> pts = new ArrayList<>(grid.points());
        pts.sort(Comparator.<int[]>comparingInt(p -> p[0] == REF_WIDTH ? 1 : 0).thenComparingInt(p -> p[0])
                .thenComparingInt(p -> p[1]));
        return pts;
    }

    private static Double peerMedian(Map<String, Map<Integer, List<JsonNode>>> peers, String impl, int threads, int[] p) {
        List<JsonNode> rows = peers.getOrDefault(impl, Map.of()).get(threads);
        if (rows == null) return null;
        for (JsonNode r : rows) {
            if (r.get("width").asInt() == p[0] && r.get("batch").asInt() == p[1]) {
                List<Double> s = new ArrayList<>();
                r.get("samples_us").forEach(n -> s.add(n.asDouble()));
                return Measurement.of(s).median();
            }
        }
        return null;
    }

    private List<Path> plots(BenchContext ctx, ResultTable table, Grid grid, WorkerRun a, WorkerRun c,
                             TrainSettings tuned, Map<String, Map<Integer, List<JsonNode>>> peers) throws Exception {
        List<Path> out = new ArrayList<>();
        for (boolean byBatch : new boolean[] {true, false}) {
            int[] xs = byBatch ? grid.batches() : grid.widths();
            List<Plots.Series> series = new ArrayList<>();
            series.add(series("DL4J default (" + a.threads + " thr)", xs, byBatch,
                    x -> a.find(TrainSettings.defaults(), byBatch ? REF_WIDTH : x, byBatch ? x : SWEEP_BATCH)));
            series.add(series("DL4J tuned (" + c.threads + " thr)", xs, byBatch,
                    x -> c.find(tuned, byBatch ? REF_WIDTH : x, byBatch ? x : SWEEP_BATCH)));
            for (String impl : peers.keySet()) {
                double[] y = new double[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    int[] p = byBatch ? new int[] {REF_WIDTH, xs[i]} : new int[] {xs[i], SWEEP_BATCH};
                    Double med = peerMedian(peers, impl, c.threads, p);
                    y[i] = med == null ? Double.NaN : p[1] * 1e6 / med;
                }
                series.add(new Plots.Series(impl + " (" + c.threads + " thr)", toDouble(xs), y));
            }
            String file = byBatch ? PLOT_BATCH : PLOT_WIDTH;
            String title = byBatch ? "Training throughput vs batch size, 10-32-32-2"
                    : "Training throughput vs width, 10-W-W-2, batch " + SWEEP_BATCH;
            try {
                var f = table.facts();
                String sub = String.format(Locale.ROOT, "%s, %s, %d logical cores, ND4J %s, %s (shared machine: figures may be noisy)",
                        f.hostname(), f.cpuModel(), f.logicalCores(), f.backendLabel(), f.date().substring(0, Math.min(10, f.date().length())));
                out.add(Plots.logLog(ctx.file(table, file), title, sub, byBatch ? "batch size" : "hidden width W",
                        "training samples / s (median)", 2, series, ctx.force()));
            } catch (IllegalArgumentException e) {
                ctx.println("plot " + file + " skipped: " + e.getMessage());
            }
        }
        return out;
    }

    private static Plots.Series series(String name, int[] xs, boolean byBatch, java.util.function.IntFunction<Measured> f) {
        double[] y = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            Measured m = f.apply(xs[i]);
            y[i] = m == null ? Double.NaN : m.m.throughput(m.batch);
        }
        return new Plots.Series(name, toDouble(xs), y);
    }

    private static double[] toDouble(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}

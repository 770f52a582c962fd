package io.micromodels.bench.hpo;

import io.micromodels.json.StrictJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.micromodels.tune.bayes.BayesianOptimizer;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.Trial;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sample efficiency of hyperparameter-search generators on two standard test functions: the
 * simple regret (best score so far minus the known minimum) after 10, 25, 50 (and 100) evaluations,
 * median and interquartile range over seeds, plus the per-suggestion overhead of each generator at
 * 50, 100 and 200 observations in 6 dimensions.
 *
 * <p>Generators: {@code bayes} ({@link BayesianOptimizer} with default options), {@code random}
 * (uniform in the cube) and {@code tpe-peer} (Optuna's TPESampler with default settings, run by
 * {@code gpu-bench/peers/optuna_hpo.py} under {@code /usr/bin/python3}; skipped with a one-line
 * reason when Python or Optuna is missing). Functions: {@code branin} on
 * {@code [-5,10] x [0,15]} (minimum 0.397887) and {@code hartmann6} on {@code [0,1]^6} (minimum
 * -3.32237), both searched through the unit cube; for output warping and noise also
 * {@code rosenbrock4} and {@code noisy-hartmann6} (see {@link #FUNCTIONS}).
 *
 * <p>Usage: {@code HpoBenchmark --function branin|hartmann6|rosenbrock4|noisy-hartmann6 --trials N
 * --seeds S --generator bayes|random|tpe-peer|optuna-tpe|optuna-mtpe|optuna-cmaes|optuna-random[,...]
 * [--overhead-repeats R] [--peer-script PATH]} (the {@code optuna-*} peers, see {@link #GENERATORS},
 * run {@code optuna_warp.py} beside the peer script). With several
 * generators, the table has a row for each; the last line, {@code median regret@N: X}, is that of
 * the first generator listed. {@code HpoBenchmark --proposal-cost 100,200,500,1000} instead measures
 * the cost of a proposal in a growing search (see {@link #proposalCost}).
 */
public final class HpoBenchmark {

    /** Known minimum of Branin. */
    public static final double BRANIN_MIN = 0.397887;
    /** Known minimum of Hartmann6. */
    public static final double HARTMANN6_MIN = -3.32237;
    private static final int[] CHECKPOINTS = {10, 25, 50, 100, 200, 500};
    private static final int[] OVERHEAD_OBSERVATIONS = {50, 100, 200};
    private static final String PYTHON = "/usr/bin/python3";
    /**
     * Test functions: {@code branin}, {@code hartmann6}; {@code rosenbrock4} (Rosenbrock on
     * {@code [-2, 2]^4}, minimum 0, values up to about 1e4 around a narrow curved valley: several
     * orders of magnitude); {@code noisy-hartmann6} (Hartmann6 plus Gaussian noise of standard
     * deviation 0.1, seeded per seed and evaluation; the regret reported is that of the
     * <em>noise-free</em> value at the trial the optimiser would return: for {@code bayes} its
     * {@code recommend()} at the last evaluation, best observed before).
     */
    static final List<String> FUNCTIONS = List.of("branin", "hartmann6", "rosenbrock4", "noisy-hartmann6");
    /**
     * Generators: {@code bayes}, {@code random}, {@code tpe-peer} (branin and hartmann6 only) and the
     * Optuna peers of {@code gpu-bench/peers/optuna_warp.py} for {@code rosenbrock4} and
     * {@code noisy-hartmann6}: {@code optuna-tpe} (TPESampler), {@code optuna-mtpe} (TPESampler with
     * {@code multivariate=True}), {@code optuna-cmaes} (CmaEsSampler), {@code optuna-random}
     * (RandomSampler), all with default settings and seeded with the seed. On the noisy function a
     * peer is scored by the noise-free value of its trial with the lowest observed value (Optuna's
     * {@code study.best_trial}); the noise of each evaluation is the same stream as the Java side's.
     */
    static final List<String> GENERATORS = List.of("bayes", "random", "tpe-peer",
            "optuna-tpe", "optuna-mtpe", "optuna-cmaes", "optuna-random");

    private HpoBenchmark() {
    }

    /**
     * Settings of one benchmark run.
     *
     * @param function        {@code branin} or {@code hartmann6}
     * @param trials          evaluations per seed, {@code >= 1}
     * @param seeds           number of seeds, {@code >= 1} (seeds 0 .. S-1)
     * @param generators      generator names, non-empty
     * @param overheadRepeats timed suggestions per observation count ({@code >= 0}; 0 skips timing)
     * @param peerScript      path of the Optuna peer script
     */
    public record Options(String function, int trials, int seeds, List<String> generators,
                          int overheadRepeats, Path peerScript) {
        /** Validates the fields. */
        public Options {
            if (!FUNCTIONS.contains(function)) {
                throw new IllegalArgumentException("function must be one of " + FUNCTIONS + ", got " + function);
            }
            if (trials < 1) {
                throw new IllegalArgumentException("trials must be >= 1, got " + trials);
            }
            if (seeds < 1) {
                throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
            }
            generators = List.copyOf(generators);
            if (generators.isEmpty()) {
                throw new IllegalArgumentException("generators must not be empty");
            }
            for (String g : generators) {
                if (!GENERATORS.contains(g)) {
                    throw new IllegalArgumentException("generator must be one of " + GENERATORS + ", got " + g);
                }
            }
            if (overheadRepeats < 0) {
                throw new IllegalArgumentException("overheadRepeats must be >= 0, got " + overheadRepeats);
            }
            Objects.requireNonNull(peerScript, "peerScript must not be null");
        }
    }

    /**
     * Results of one generator.
     *
     * @param generator  its name
     * @param bestSoFar  shape {@code [seeds][trials]}: best score after each evaluation, or null if
     *                   the generator was skipped
     * @param overheadMs observation count to median wall-clock milliseconds per suggestion (may
     *                   be empty)
     * @param cpuMs      observation count to median CPU milliseconds of the suggesting thread (or
     *                   process, for the peer) per suggestion (may be empty)
     * @param note       why it was skipped, or null
     */
    public record GeneratorResult(String generator, double[][] bestSoFar, Map<Integer, Double> overheadMs,
                                  Map<Integer, Double> cpuMs, String note) {
    }

    /**
     * Command-line entry point; see the class Javadoc for the options.
     *
     * @param args the options
     */
    public static void main(String[] args) throws Exception {
        String function = "branin";
        int trials = 50;
        int seeds = 20;
        List<String> generators = List.of("bayes");
        int repeats = 15;
        Path script = defaultPeerScript();
        if (args.length == 2 && "--proposal-cost".equals(args[0])) {
            proposalCost(Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray(), System.out);
            return;
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--function" -> { function = v; i++; }
                case "--trials" -> { trials = Integer.parseInt(v); i++; }
                case "--seeds" -> { seeds = Integer.parseInt(v); i++; }
                case "--generator" -> { generators = Arrays.asList(v.split(",")); i++; }
                case "--overhead-repeats" -> { repeats = Integer.parseInt(v); i++; }
                case "--peer-script" -> { script = Path.of(v); i++; }
                default -> throw new IllegalArgumentException("unknown option " + a + "; usage: --function "
                        + String.join("|", FUNCTIONS) + " --trials N --seeds S --generator "
                        + String.join("|", GENERATORS) + "[,...] "
                        + "[--overhead-repeats R] [--peer-script PATH]");
            }
        }
        run(new Options(function, trials, seeds, generators, repeats, script), System.out);
    }

    private static Path defaultPeerScript() {
        Path p = Path.of("gpu-bench", "peers", "optuna_hpo.py");
        return Files.exists(p) ? p : Path.of("peers", "optuna_hpo.py");
    }

    /**
     * Runs the benchmark and prints the regret and overhead tables to {@code out}; the last line
     * printed is {@code median regret@N: X} for the first generator.
     *
     * @param options the settings
     * @param out     where the report goes
     * @return the results, one per generator in the order given
     */
    public static List<GeneratorResult> run(Options options, PrintStream out) throws IOException, InterruptedException {
        int d = dimensions(options.function());
        double min = minimum(options.function());
        List<GeneratorResult> results = new ArrayList<>();
        for (String g : options.generators()) {
            results.add(switch (g) {
                case "bayes", "random" -> runJava(g, options);
                case "tpe-peer" -> List.of("branin", "hartmann6").contains(options.function()) ? runPeer(options)
                        : skipped(g, "the Optuna peer script optuna_hpo.py knows only branin and hartmann6; "
                        + "use optuna-tpe for " + options.function());
                default -> runWarpPeer(g, options);
            });
        }
        out.printf(Locale.ROOT, "HPO benchmark: %s (d=%d, minimum %s), %d trials, %d seeds (0..%d)%n",
                options.function(), d, min, options.trials(), options.seeds(), options.seeds() - 1);
        List<Integer> checkpoints = new ArrayList<>();
        for (int c : CHECKPOINTS) {
            if (c <= options.trials()) {
                checkpoints.add(c);
            }
        }
        if (!checkpoints.contains(options.trials())) {
            checkpoints.add(options.trials());
        }
        out.println("simple regret (best so far - minimum): median [25th, 75th percentile]");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-13s", "generator"));
        for (int c : checkpoints) {
            header.append(String.format(Locale.ROOT, " | %-28s", "@" + c));
        }
        out.println(header);
        for (GeneratorResult r : results) {
            if (r.bestSoFar() == null) {
                out.printf(Locale.ROOT, "%-13s | skipped: %s%n", r.generator(), r.note());
                continue;
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-13s", r.generator()));
            for (int c : checkpoints) {
                double[] regret = regretAt(r.bestSoFar(), c, min);
                row.append(String.format(Locale.ROOT, " | %-28s", String.format(Locale.ROOT, "%.4g [%.4g, %.4g]",
                        quantile(regret, 0.5), quantile(regret, 0.25), quantile(regret, 0.75))));
            }
            out.println(row);
        }
        if (options.overheadRepeats() > 0) {
            out.printf(Locale.ROOT, "per-suggestion overhead, 6-D (Hartmann6 observations at random points), "
                    + "median of %d, ms wall-clock / ms CPU:%n", options.overheadRepeats());
            out.printf(Locale.ROOT, "%-10s | %-16s | %-16s | %-16s%n", "generator", "@50 obs", "@100 obs", "@200 obs");
            for (GeneratorResult r : results) {
                if (r.overheadMs().isEmpty()) {
                    continue;
                }
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-13s", r.generator()));
                for (int n : OVERHEAD_OBSERVATIONS) {
                    Double ms = r.overheadMs().get(n);
                    Double cpu = r.cpuMs().get(n);
                    row.append(String.format(Locale.ROOT, " | %-16s", (ms == null ? "-" : String.format(Locale.ROOT, "%.3g", ms))
                            + " / " + (cpu == null ? "-" : String.format(Locale.ROOT, "%.3g", cpu))));
                }
                out.println(row);
            }
            out.println("(one thread; wall-clock on a shared 2-core machine, so other processes may inflate it)");
        }
        for (GeneratorResult r : results) {
            if (r.bestSoFar() != null) {
                int stuck = 0;
                for (double v : regretAt(r.bestSoFar(), options.trials(), min)) {
                    stuck += v > 0.05 ? 1 : 0;
                }
                out.printf(Locale.ROOT, "%-13s seeds above regret 0.05@%d: %d of %d%n", r.generator(), options.trials(),
                        stuck, options.seeds());
            }
        }
        if (!recommendNotes.isEmpty()) {
            out.println("bayes, noise-free regret at the last evaluation per seed, best observed -> recommend(): "
                    + String.join(" ", recommendNotes));
            recommendNotes.clear();
        }
        GeneratorResult winner = null;
        for (GeneratorResult r : results) {
            if (r.bestSoFar() != null && (winner == null
                    || quantile(regretAt(r.bestSoFar(), options.trials(), min), 0.5)
                    < quantile(regretAt(winner.bestSoFar(), options.trials(), min), 0.5))) {
                winner = r;
            }
        }
        if (winner != null) {
            out.printf(Locale.ROOT, "lowest median regret@%d: %s (%.4g)%n", options.trials(), winner.generator(),
                    quantile(regretAt(winner.bestSoFar(), options.trials(), min), 0.5));
        }
        GeneratorResult first = results.get(0);
        String last = first.bestSoFar() == null ? "NaN"
                : String.format(Locale.ROOT, "%.6g", quantile(regretAt(first.bestSoFar(), options.trials(), min), 0.5));
        out.println("median regret@" + options.trials() + ": " + last);
        return results;
    }

    /** Per seed, noise-free regret of the best observed trial then of the recommended one (noisy-hartmann6). */
    private static final List<String> recommendNotes = new ArrayList<>();

    /** The noise stream of seed {@code s} on {@code noisy-hartmann6}: one {@link #gaussian} per evaluation. */
    static SplittableRandom noiseStream(int s) {
        return new SplittableRandom(1_000_003L * s + 17);
    }

    /** Standard normal draw by Box-Muller from two {@code nextDouble()}. */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * rng.nextDouble());
    }

    private static GeneratorResult runJava(String generator, Options options) {
        String function = options.function();
        int d = dimensions(function);
        BayesianOptimizer bayes = new BayesianOptimizer(Collections.nCopies(d, Dimension.continuous()));
        double[][] best = new double[options.seeds()][options.trials()];
        boolean noisy = "noisy-hartmann6".equals(function);
        for (int s = 0; s < options.seeds(); s++) {
            List<Trial> trials = new ArrayList<>();
            double b = Double.POSITIVE_INFINITY;
            double bTrue = Double.NaN;
            SplittableRandom noise = noiseStream(s);
            for (int t = 0; t < options.trials(); t++) {
                double[] x = "bayes".equals(generator) ? bayes.propose(trials, s) : uniform(d, s, t);
                double f = evaluate(function, x);
                double y = noisy ? f + 0.1 * gaussian(noise) : f;
                trials.add(Trial.of(x, y));
                if (y < b) {
                    b = y;
                    bTrue = f;
                }
                best[s][t] = noisy ? bTrue : b;
            }
            if (noisy && "bayes".equals(generator)) {
                BayesianOptimizer.Recommendation r = bayes.recommend(trials, s);
                double observed = best[s][options.trials() - 1];
                best[s][options.trials() - 1] = evaluate(function, trials.get(r.index()).point());
                recommendNotes.add(String.format(Locale.ROOT, "%.4g->%.4g", observed - minimum(function),
                        best[s][options.trials() - 1] - minimum(function)));
            }
        }
        Map<Integer, Double> overhead = new LinkedHashMap<>();
        Map<Integer, Double> cpuMs = new LinkedHashMap<>();
        if (options.overheadRepeats() > 0) {
            BayesianOptimizer six = new BayesianOptimizer(Collections.nCopies(6, Dimension.continuous()));
            // Warm-up so that the JIT has compiled the hot loops before timing.
            for (int w = 0; w < 10; w++) {
                suggest(generator, six, randomTrials(50, 1000 + w), 1000 + w);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int n : OVERHEAD_OBSERVATIONS) {
                // Untimed warm-up at this size too (JIT of size-dependent paths).
                for (int w = 0; w < 3; w++) {
                    suggest(generator, six, randomTrials(n, 3000 + w), 3000 + w);
                }
                double[] ms = new double[options.overheadRepeats()];
                double[] cpu = new double[options.overheadRepeats()];
                for (int r = 0; r < ms.length; r++) {
                    List<Trial> trials = randomTrials(n, 2000 + r);
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    suggest(generator, six, trials, r);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                    cpu[r] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                }
                overhead.put(n, quantile(ms, 0.5));
                cpuMs.put(n, quantile(cpu, 0.5));
            }
        }
        return new GeneratorResult(generator, best, overhead, cpuMs, null);
    }

    /**
     * Cost of a proposal of the Bayesian optimiser (default options, 6 continuous dimensions) in a
     * growing search: for each size {@code N}, a fresh optimiser is given {@code N} Hartmann6 trials
     * at seeded uniform points and then proposes {@code ceil(N / 10)} points one after another, each
     * evaluated and added (so the window holds at least one hyperparameter refit, see
     * {@code BayesianOptimizer}, and the first call's fit and factorisation from scratch). Prints the
     * mean wall and CPU milliseconds of the proposing thread per proposal, then the line
     * {@code ms per proposal@500: X} (CPU ms) when 500 is among the sizes.
     *
     * @param sizes observation counts {@code N}
     * @param out   where the report goes
     */
    public static void proposalCost(int[] sizes, PrintStream out) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Dimension> six = Collections.nCopies(6, Dimension.continuous());
        for (int w = 0; w < 2; w++) { // JIT warm-up, untimed
            List<Trial> trials = randomTrials(120, 4000 + w);
            BayesianOptimizer warm = new BayesianOptimizer(six);
            for (int k = 0; k < 5; k++) {
                double[] x = warm.propose(trials, w);
                trials.add(Trial.of(x, hartmann6(x)));
            }
        }
        out.println("ms per proposal in a growing 6-D search (N Hartmann6 trials at random points, then N/10 sequential "
                + "proposals; one thread; mean wall / mean CPU):");
        Double at500 = null;
        for (int n : sizes) {
            BayesianOptimizer bayes = new BayesianOptimizer(six);
            List<Trial> trials = randomTrials(n, 5000 + n);
            int steps = (n + 9) / 10;
            long wall = 0;
            long cpu = 0;
            for (int k = 0; k < steps; k++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                double[] x = bayes.propose(trials, 7L);
                wall += System.nanoTime() - t0;
                cpu += threads.getCurrentThreadCpuTime() - c0;
                trials.add(Trial.of(x, hartmann6(x)));
            }
            double cpuMs = cpu / 1e6 / steps;
            out.printf(Locale.ROOT, "  @%d observations (%d proposals): %.1f / %.1f%n", n, steps, wall / 1e6 / steps, cpuMs);
            if (n == 500) {
                at500 = cpuMs;
            }
        }
        if (at500 != null) {
            out.printf(Locale.ROOT, "ms per proposal@500: %.1f%n", at500);
        }
    }

    private static double[] suggest(String generator, BayesianOptimizer six, List<Trial> trials, long seed) {
        return "bayes".equals(generator) ? six.propose(trials, seed) : uniform(6, seed, trials.size());
    }

    private static List<Trial> randomTrials(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Trial> trials = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] x = new double[6];
            for (int j = 0; j < 6; j++) {
                x[j] = rng.nextDouble();
            }
            trials.add(Trial.of(x, hartmann6(x)));
        }
        return trials;
    }

    private static double[] uniform(int d, long seed, int index) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            x[j] = rng.nextDouble();
        }
        return x;
    }

    private static GeneratorResult runPeer(Options options) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return skipped("tpe-peer", PYTHON + " not found");
        }
        if (!Files.exists(options.peerScript())) {
            return skipped("tpe-peer", "peer script " + options.peerScript() + " not found");
        }
        String missing = optunaMissing();
        if (missing != null) {
            return skipped("tpe-peer", missing);
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, options.peerScript().toString(),
                "--function", options.function(), "--trials", Integer.toString(options.trials()),
                "--seeds", Integer.toString(options.seeds()),
                "--overhead-repeats", Integer.toString(options.overheadRepeats())));
        Path err = Files.createTempFile("optuna-peer", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(6, TimeUnit.HOURS) || p.exitValue() != 0) {
            String tail = Files.readString(err).trim();
            Files.deleteIfExists(err);
            return skipped("tpe-peer", "peer script failed: " + tail.substring(Math.max(0, tail.length() - 300)).replace('\n', ' '));
        }
        Files.deleteIfExists(err);
        JsonNode root = StrictJson.mapper().readTree(json);
        JsonNode bests = root.get("best_so_far");
        double[][] best = new double[bests.size()][];
        for (int s = 0; s < best.length; s++) {
            JsonNode row = bests.get(s);
            best[s] = new double[row.size()];
            for (int t = 0; t < best[s].length; t++) {
                best[s][t] = row.get(t).asDouble();
            }
        }
        Map<Integer, Double> overhead = new LinkedHashMap<>();
        JsonNode o = root.get("overhead_ms");
        if (o != null) {
            o.fields().forEachRemaining(e -> overhead.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
        }
        Map<Integer, Double> cpuMs = new LinkedHashMap<>();
        JsonNode c = root.get("overhead_cpu_ms");
        if (c != null) {
            c.fields().forEachRemaining(e -> cpuMs.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
        }
        return new GeneratorResult("tpe-peer", best, overhead, cpuMs, null);
    }

    private static GeneratorResult skipped(String generator, String reason) {
        System.out.println(generator + " skipped: " + reason);
        return new GeneratorResult(generator, null, Map.of(), Map.of(), reason);
    }

    /**
     * @return null when {@code import optuna} works under {@link #PYTHON}, else why not (one line)
     */
    static String optunaMissing() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        Process check = new ProcessBuilder(PYTHON, "-c", "import optuna").redirectErrorStream(true).start();
        String checkOut = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (check.waitFor() != 0) {
            String[] lines = checkOut.split("\n");
            return "'import optuna' failed under " + PYTHON + ": " + lines[lines.length - 1];
        }
        return null;
    }

    /**
     * Runs {@code optuna_warp.py} (beside the {@code --peer-script}) for one Optuna sampler on
     * {@code rosenbrock4} or {@code noisy-hartmann6}; skipped with a reason when Python, Optuna or
     * the script is missing, or for another function.
     */
    private static GeneratorResult runWarpPeer(String generator, Options options)
            throws IOException, InterruptedException {
        String function = options.function();
        if (!List.of("rosenbrock4", "noisy-hartmann6").contains(function)) {
            return skipped(generator, "optuna_warp.py knows only rosenbrock4 and noisy-hartmann6; use tpe-peer for "
                    + function);
        }
        Path script = warpScript(options.peerScript());
        if (!Files.exists(script)) {
            return skipped(generator, "peer script " + script + " not found");
        }
        String missing = optunaMissing();
        if (missing != null) {
            return skipped(generator, missing);
        }
        JsonNode root;
        try {
            root = runWarpScript(script, function, generator.substring("optuna-".length()), options.trials(),
                    options.seeds());
        } catch (IOException e) {
            return skipped(generator, e.getMessage());
        }
        double[][] best = peerBestSoFar(function, options.trials(), options.seeds(), root);
        double[] seconds = new double[options.seeds()];
        for (int s = 0; s < seconds.length; s++) {
            seconds[s] = root.get("seconds").get(s).asDouble();
        }
        System.out.printf(Locale.ROOT, "%s: optuna %s, median %.2f s per seed (sampler + evaluations)%n",
                generator, root.get("optuna_version").asText(), quantile(seconds, 0.5));
        return new GeneratorResult(generator, best, Map.of(), Map.of(), null);
    }

    /**
     * Runs {@code optuna_warp.py} under {@link #PYTHON} and returns its JSON.
     *
     * @param script   path of {@code optuna_warp.py}
     * @param function {@code rosenbrock4} or {@code noisy-hartmann6}
     * @param sampler  {@code tpe}, {@code mtpe}, {@code cmaes} or {@code random}
     * @param trials   evaluations per seed
     * @param seeds    seeds 0 .. seeds-1
     * @return the parsed JSON object (fields see the script's docstring)
     * @throws IOException when the script fails, with the tail of its standard error
     */
    static JsonNode runWarpScript(Path script, String function, String sampler, int trials, int seeds)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(PYTHON, script.toString(), "--function", function, "--sampler", sampler,
                "--trials", Integer.toString(trials), "--seeds", Integer.toString(seeds));
        Path err = Files.createTempFile("optuna-warp", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(6, TimeUnit.HOURS) || p.exitValue() != 0) {
                String tail = Files.readString(err).trim();
                throw new IOException("peer script " + script + " failed: "
                        + tail.substring(Math.max(0, tail.length() - 300)).replace('\n', ' '));
            }
            return StrictJson.mapper().readTree(json);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** {@code optuna_warp.py} beside the given {@code optuna_hpo.py}. */
    static Path warpScript(Path hpoScript) {
        return hpoScript.resolveSibling("optuna_warp.py");
    }

    /**
     * Scores the output of {@code optuna_warp.py} as the Java generators are scored: after each
     * evaluation, the noise-free value ({@link #evaluate}, recomputed from the point) of the trial
     * with the lowest observed value so far (first one on ties).
     *
     * @param function {@code rosenbrock4} or {@code noisy-hartmann6}
     * @param trials   expected evaluations per seed
     * @param seeds    expected number of seeds
     * @param root     the script's JSON ({@code points} shape {@code [seeds][trials][d]},
     *                 {@code observed} shape {@code [seeds][trials]})
     * @return shape {@code [seeds][trials]}: noise-free value of the best observed trial so far
     * @throws IllegalArgumentException naming the field when a shape or the function differs
     */
    static double[][] peerBestSoFar(String function, int trials, int seeds, JsonNode root) {
        String f = root.path("function").asText();
        if (!function.equals(f)) {
            throw new IllegalArgumentException("peer JSON field function: expected " + function + ", got " + f);
        }
        JsonNode points = root.path("points");
        JsonNode observed = root.path("observed");
        if (points.size() != seeds || observed.size() != seeds) {
            throw new IllegalArgumentException("peer JSON fields points/observed: expected " + seeds
                    + " seeds, got " + points.size() + "/" + observed.size());
        }
        int d = dimensions(function);
        double[][] best = new double[seeds][trials];
        for (int s = 0; s < seeds; s++) {
            if (points.get(s).size() != trials || observed.get(s).size() != trials) {
                throw new IllegalArgumentException("peer JSON seed " + s + ": expected " + trials
                        + " trials, got " + points.get(s).size() + " points and " + observed.get(s).size() + " values");
            }
            double b = Double.POSITIVE_INFINITY;
            double bTrue = Double.NaN;
            for (int t = 0; t < trials; t++) {
                JsonNode row = points.get(s).get(t);
                if (row.size() != d) {
                    throw new IllegalArgumentException("peer JSON points[" + s + "][" + t + "]: expected " + d
                            + " coordinates in [0, 1], got " + row);
                }
                double[] x = new double[d];
                for (int j = 0; j < d; j++) {
                    x[j] = row.get(j).asDouble();
                    if (!(x[j] >= 0.0 && x[j] <= 1.0)) {
                        throw new IllegalArgumentException("peer JSON points[" + s + "][" + t + "]: expected "
                                + "coordinates in [0, 1], got " + row);
                    }
                }
                double y = observed.get(s).get(t).asDouble();
                if (y < b) {
                    b = y;
                    bTrue = evaluate(function, x);
                }
                best[s][t] = bTrue;
            }
        }
        return best;
    }

    private static double[] regretAt(double[][] bestSoFar, int checkpoint, double min) {
        double[] r = new double[bestSoFar.length];
        for (int s = 0; s < r.length; s++) {
            r[s] = bestSoFar[s][Math.min(checkpoint, bestSoFar[s].length) - 1] - min;
        }
        return r;
    }

    /** Linear-interpolation quantile (NumPy's default). */
    static double quantile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    static int dimensions(String function) {
        return switch (function) {
            case "branin" -> 2;
            case "rosenbrock4" -> 4;
            default -> 6;
        };
    }

    static double minimum(String function) {
        return switch (function) {
            case "branin" -> BRANIN_MIN;
            case "rosenbrock4" -> 0.0;
            default -> HARTMANN6_MIN;
        };
    }

    /**
     * @param function {@code branin} or {@code hartmann6}
     * @param u        shape {@code [d]}: a point of the unit cube
     * @return the function's value at the corresponding point of its domain
     */
    public static double evaluate(String function, double[] u) {
        return switch (function) {
            case "branin" -> branin(u);
            case "rosenbrock4" -> rosenbrock(u);
            default -> hartmann6(u);
        };
    }

    /**
     * @param u shape {@code [d]}: unit-cube point mapped to {@code [-2, 2]^d}
     * @return Rosenbrock's value {@code sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2} (minimum 0 at all ones)
     */
    public static double rosenbrock(double[] u) {
        double s = 0.0;
        for (int i = 0; i + 1 < u.length; i++) {
            double a = -2.0 + 4.0 * u[i];
            double b = -2.0 + 4.0 * u[i + 1];
            s += 100.0 * (b - a * a) * (b - a * a) + (1.0 - a) * (1.0 - a);
        }
        return s;
    }

    /**
     * @param u shape {@code [2]}: unit-cube point mapped to {@code [-5,10] x [0,15]}
     * @return Branin's value
     */
    public static double branin(double[] u) {
        double x1 = -5.0 + 15.0 * u[0];
        double x2 = 15.0 * u[1];
        double b = 5.1 / (4.0 * Math.PI * Math.PI);
        double c = 5.0 / Math.PI;
        double t = 1.0 / (8.0 * Math.PI);
        double a = x2 - b * x1 * x1 + c * x1 - 6.0;
        return a * a + 10.0 * (1.0 - t) * Math.cos(x1) + 10.0;
    }

    private static final double[] H_ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] H_A = {
        {10, 3, 17, 3.5, 1.7, 8},
        {0.05, 10, 17, 0.1, 8, 14},
        {3, 3.5, 1.7, 10, 17, 8},
        {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H_P = {
        {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
        {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
        {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
        {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    /**
     * @param x shape {@code [6]}: a point of {@code [0,1]^6}
     * @return Hartmann6's value
     */
    public static double hartmann6(double[] x) {
        double sum = 0.0;
        for (int i = 0; i < 4; i++) {
            double inner = 0.0;
            for (int j = 0; j < 6; j++) {
                double t = x[j] - H_P[i][j];
                inner += H_A[i][j] * t * t;
            }
            sum += H_ALPHA[i] * Math.exp(-inner);
        }
        return -sum;
    }
}

package io.micromodels.bench.population;

import io.micromodels.bench.ReferenceNetwork;
import io.micromodels.backend.Backend;
import io.micromodels.backend.BackendChoice;
import io.micromodels.backend.BackendInfo;
import io.micromodels.population.Population;
import io.micromodels.population.PopulationOptions;
import io.micromodels.population.PopulationResult;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Population training against training the same candidates one after another with DL4J's
 * {@code MultiLayerNetwork} (through {@link Trainer}), and against the same sequential training in PyTorch
 * ({@code gpu-bench/peers/torch_population.py}, run in the same session when {@code /usr/bin/python3} and the script
 * are there; otherwise one line says it was skipped).
 *
 * <p>Reference candidate: 10-32-32-2, ReLU, drop rate 0.1 after each hidden layer, L2 1e-4, Adam, float32, batch 64;
 * candidate {@code i} has its own seed and learning rate. Every candidate trains the same number of minibatch steps
 * ({@code --steps}, as epochs of {@code --steps-per-epoch} batches with a validation loss after each epoch, no early
 * stopping) in every mode. The figure compared is candidates x samples per second over epochs 2..E of each run
 * (epoch 1 is warm-up; neither DL4J's initialisation nor the export is in the window), from wall-clock time; with
 * one thread the same ratio from this thread's CPU time is printed too, since other processes share the cores.
 *
 * <p>The modes are interleaved: each population run is followed by a chunk of the sequential candidates (DL4J, then
 * PyTorch), for {@code --repeat} rounds, so that changes in the machine's load hit all modes alike. Sequential
 * training costs the same per candidate whatever K is, so it runs on the first {@code min(max K, --seq-max)}
 * candidates in total and its rate applies to every K.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp ... io.micromodels.bench.population.PopulationBenchmark --k 1,8,64,256
 * </pre>
 *
 * Options: {@code --k 1,8,64,256}, {@code --batch 64}, {@code --steps 100}, {@code --steps-per-epoch 10},
 * {@code --threads N} (default: OMP_NUM_THREADS, else 1; also given to PyTorch), {@code --seq-max 64},
 * {@code --repeat 3}, {@code --backend cpu|cuda|auto} (asking for cuda and getting the CPU refuses to report),
 * {@code --torch PATH} (default gpu-bench/peers/torch_population.py), {@code --no-torch}. The last line printed is
 * exactly {@code speedup@K=64: X}.
 */
public final class PopulationBenchmark {
    private PopulationBenchmark() {
    }

    /** Parsed command line. */
    record Args(int[] ks, int batch, int steps, int stepsPerEpoch, int threads, int seqMax, int repeat, String backend,
                String torch, boolean noTorch) {
        static Args parse(String[] a) {
            int[] ks = {1, 8, 64, 256};
            int batch = 64;
            int steps = 100;
            int perEpoch = 10;
            String env = System.getenv("OMP_NUM_THREADS");
            int threads = env != null && env.matches("\\d+") ? Integer.parseInt(env) : 1;
            int seqMax = 64;
            int repeat = 3;
            String backend = null;
            String torch = "gpu-bench/peers/torch_population.py";
            boolean noTorch = false;
            for (int i = 0; i < a.length; i++) {
                String v = i + 1 < a.length ? a[i + 1] : null;
                switch (a[i]) {
                    case "--k" -> ks = Arrays.stream(need(v, "--k").split(",")).mapToInt(s -> positive(s.trim(), "--k")).toArray();
                    case "--batch" -> batch = positive(need(v, "--batch"), "--batch");
                    case "--steps" -> steps = positive(need(v, "--steps"), "--steps");
                    case "--steps-per-epoch" -> perEpoch = positive(need(v, "--steps-per-epoch"), "--steps-per-epoch");
                    case "--threads" -> threads = positive(need(v, "--threads"), "--threads");
                    case "--seq-max" -> seqMax = positive(need(v, "--seq-max"), "--seq-max");
                    case "--repeat" -> repeat = positive(need(v, "--repeat"), "--repeat");
                    case "--backend" -> backend = need(v, "--backend");
                    case "--torch" -> torch = need(v, "--torch");
                    case "--no-torch" -> {
                        noTorch = true;
                        i--;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a[i] + "; options: --k 1,8,64,256 "
                            + "--batch 64 --steps 100 --steps-per-epoch 10 --threads N --seq-max 64 --repeat 3 --backend cpu|cuda|auto "
                            + "--torch PATH --no-torch");
                }
                i++;
            }
            if (steps % perEpoch != 0) {
                throw new IllegalArgumentException("--steps (" + steps + ") must be a multiple of --steps-per-epoch ("
                        + perEpoch + ")");
            }
            return new Args(ks, batch, steps, perEpoch, threads, seqMax, repeat, backend, torch, noTorch);
        }

        private static String need(String v, String opt) {
            if (v == null) {
                throw new IllegalArgumentException(opt + " needs a value");
            }
            return v;
        }

        private static int positive(String v, String opt) {
            try {
                int x = Integer.parseInt(v);
                if (x < 1) {
                    throw new NumberFormatException();
                }
                return x;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(opt + " must be a positive integer, got '" + v + "'");
            }
        }
    }

    /** Candidate {@code i} of the reference model: its own seed and learning rate. */
    static MicromodelSpec candidate(int i, int batch, int epochs) {
        double lr = 1e-3 * Math.pow(2, (i % 6) / 2.0);
        return Micromodel.from(ReferenceNetwork.spec(ReferenceNetwork.WIDTH, 1000L + i))
                .adam(lr).epochs(epochs).patience(0).batchSize(batch).build();
    }

    /** Two classes from a noisy nonlinear rule on 10 features: {@code [n, 10]} and one-hot {@code [n, 2]}. */
    static DataSet data(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][10];
        float[][] y = new float[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 10; j++) {
                x[i][j] = (float) (rng.nextDouble() * 2 - 1);
            }
            double s = x[i][0] * x[i][1] + 0.5 * x[i][2] - 0.3 * x[i][3] + 0.2 * (rng.nextDouble() - 0.5);
            y[i][s > 0 ? 1 : 0] = 1;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Backend.Resolved resolved = Backend.resolve(args.backend());
        boolean gpuAsked = resolved.choice() == BackendChoice.CUDA;
        BackendInfo info;
        try {
            info = Backend.initialise(resolved);
        } catch (io.micromodels.backend.BackendException e) {
            System.out.println((gpuAsked ? "refusing to report GPU figures: " : "backend unavailable: ") + e.getMessage());
            System.exit(2);
            return;
        }
        if (gpuAsked && !info.isGpu()) {
            System.out.println("refusing to report GPU figures: the GPU was asked for but ND4J runs on " + info.summary());
            System.exit(2);
        }
        if (!info.isGpu()) {
            Nd4j.getEnvironment().setMaxThreads(args.threads());
            Nd4j.getEnvironment().setMaxMasterThreads(args.threads());
            Nd4j.factory().blas().setMaxThreads(args.threads());
        }
        System.out.println(info.summary());
        System.out.printf(Locale.ROOT, "reference 10-32-32-2 relu, drop 0.1, l2 1e-4, adam, float32; batch %d, %d steps "
                        + "per candidate (%d epochs of %d), threads %d (OMP_NUM_THREADS=%s)%n", args.batch(), args.steps(),
                args.steps() / args.stepsPerEpoch(), args.stepsPerEpoch(), args.threads(), System.getenv("OMP_NUM_THREADS"));

        int epochs = args.steps() / args.stepsPerEpoch();
        if (epochs < 2) {
            throw new IllegalArgumentException("--steps must cover at least 2 epochs of --steps-per-epoch (the first "
                    + "epoch is warm-up and not timed)");
        }
        DataSet train = data(args.batch() * args.stepsPerEpoch(), 1);
        DataSet validation = data(256, 2);
        int maxK = Arrays.stream(args.ks()).max().orElse(1);
        List<MicromodelSpec> all = candidates(maxK, args.batch(), epochs);

        // warm-up: JIT and ND4J's first-use costs, both paths
        runPopulation(candidates(8, args.batch(), 2), train, validation);
        runSequential(candidates(2, args.batch(), 2), train, validation);

        // Other processes share this machine's two cores and their load changes by the minute, so the modes are
        // interleaved: each population run is followed by a chunk of the sequential DL4J candidates and a chunk of
        // the PyTorch ones, round after round, and every mode's rate is its total work over its total time.
        int seqCount = Math.min(maxK, args.seqMax());
        int rounds = args.repeat();
        int chunks = rounds * args.ks().length;
        Window[] pop = new Window[args.ks().length];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = new Window();
        }
        Window seq = new Window();
        Window torch = new Window();
        String torchNote = args.noTorch() ? "pytorch: skipped (--no-torch)" : null;
        int chunk = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < args.ks().length; i++, chunk++) {
                int k = args.ks()[i];
                pop[i].add(runPopulation(all.subList(0, k), train, validation));
                int from = chunk * seqCount / chunks;
                int to = (chunk + 1) * seqCount / chunks;
                if (to > from) {
                    seq.add(runSequential(all.subList(from, to), train, validation));
                    if (torchNote == null) {
                        String failure = runTorch(args, from, to - from, torch);
                        if (failure != null) {
                            torchNote = failure;
                        }
                    }
                }
            }
        }
        double seqRate = seq.rate();
        double seqCpuRate = seq.cpuRate();
        boolean haveTorch = torchNote == null;

        System.out.println();
        System.out.println("    K  pop step ms  pop cand*samples/s  seq DL4J cand*samples/s  speedup vs DL4J"
                + (haveTorch ? "  vs PyTorch" : "") + (args.threads() == 1 ? "  | cpu-time speedup vs DL4J"
                + (haveTorch ? "  vs PyTorch" : "") : ""));
        Double speedup64 = null;
        for (int i = 0; i < args.ks().length; i++) {
            int k = args.ks()[i];
            double rate = pop[i].rate();
            double speedup = rate / seqRate;
            if (k == 64) {
                speedup64 = speedup;
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5d  %11.2f  %18.0f  %23.0f  %15.1fx", k,
                    1000 * pop[i].seconds / pop[i].steps, rate, seqRate, speedup));
            if (haveTorch) {
                row.append(String.format(Locale.ROOT, "  %9.1fx", rate / torch.rate()));
            }
            if (args.threads() == 1) {
                row.append(String.format(Locale.ROOT, "  | %24.1fx", pop[i].cpuRate() / seqCpuRate));
                if (haveTorch) {
                    row.append(String.format(Locale.ROOT, "  %9.1fx", pop[i].cpuRate() / torch.cpuRate()));
                }
            }
            System.out.println(row);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "timed: epochs 2..%d of every run (epoch 1 is warm-up), %d rounds; sequential "
                        + "DL4J on %d candidates (%.2f ms per step)%s%n", epochs, rounds, seqCount,
                1000 * seq.seconds / seq.steps, haveTorch ? String.format(Locale.ROOT, ", PyTorch on the same %d "
                        + "(%.0f cand*samples/s, %.2f ms per step)", seqCount, torch.rate(),
                        1000 * torch.seconds / (torch.samples / args.batch())) : "");
        if (args.threads() == 1) {
            System.out.println("cpu-time speedup: the same ratio on this thread's CPU time, which leaves out the time "
                    + "other processes take from the shared cores (with one thread all work runs on it)");
        }
        if (!haveTorch) {
            System.out.println(torchNote);
        }
        System.out.println(speedup64 == null ? "speedup@K=64: n/a (K=64 not measured)"
                : String.format(Locale.ROOT, "speedup@K=64: %.1f", speedup64));
    }

    /** Work and time of the timed windows of several runs. */
    static final class Window {
        double seconds;
        double cpuSeconds;
        double samples;
        long steps;

        void add(Window w) {
            seconds += w.seconds;
            cpuSeconds += w.cpuSeconds;
            samples += w.samples;
            steps += w.steps;
        }

        double rate() {
            return samples / seconds;
        }

        double cpuRate() {
            return samples / cpuSeconds;
        }
    }

    /** Records wall and thread CPU time at the end of epoch 1 and of the last epoch, from the training thread. */
    static final class Clock {
        long wall0;
        long cpu0;
        long wall1;
        long cpu1;
        boolean started;

        void tick(int epoch) {
            long wall = System.nanoTime();
            long cpu = io.micromodels.bench.Measurer.threadCpuNanos();
            if (epoch == 1 && !started) {
                started = true;
                wall0 = wall;
                cpu0 = cpu;
            }
            wall1 = wall;
            cpu1 = cpu;
        }

        Window window(int candidates, int epochs, int stepsPerEpoch, int batch) {
            Window w = new Window();
            w.seconds = (wall1 - wall0) / 1e9;
            w.cpuSeconds = (cpu1 - cpu0) / 1e9;
            w.steps = (long) (epochs - 1) * stepsPerEpoch;
            w.samples = (double) candidates * w.steps * batch;
            return w;
        }
    }

    static List<MicromodelSpec> candidates(int k, int batch, int epochs) {
        List<MicromodelSpec> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(candidate(i, batch, epochs));
        }
        return out;
    }

    /** Trains the specs as one population; the timed window covers epochs 2..E of the loop. */
    static Window runPopulation(List<MicromodelSpec> specs, DataSet train, DataSet validation) {
        Clock clock = new Clock();
        int epochs = specs.get(0).epochs();
        try (PopulationResult r = Population.fit(specs, train, validation, PopulationOptions.defaults(specs.get(0).seed()),
                (member, report) -> clock.tick(report.epoch()))) {
            Window w = clock.window(specs.size(), epochs, (int) (r.steps() / r.epochs()), specs.get(0).batchSize());
            w.steps = (long) (epochs - 1) * (r.steps() / r.epochs());
            return w;
        }
    }

    /** Trains the specs one after another with the Trainer (MultiLayerNetwork.fit); windows as for the population. */
    static Window runSequential(List<MicromodelSpec> specs, DataSet train, DataSet validation) {
        Window total = new Window();
        for (MicromodelSpec spec : specs) {
            Clock clock = new Clock();
            TrainingResult r = Trainer.fit(spec, train, validation, report -> clock.tick(report.epoch()));
            int perEpoch = (train.numExamples() + spec.batchSize() - 1) / spec.batchSize();
            total.add(clock.window(1, r.epochsRun(), perEpoch, spec.batchSize()));
            release(r);
        }
        return total;
    }

    /**
     * Frees a trained network's parameters and updater state without {@code MultiLayerNetwork.close()}, which forces
     * a {@code System.gc()} per network (hundreds per run here, which also crashed one run inside DL4J's fit).
     */
    static void release(TrainingResult r) {
        for (org.nd4j.linalg.api.ndarray.INDArray a : new org.nd4j.linalg.api.ndarray.INDArray[] {r.network().params(),
                r.network().getUpdater(false) == null ? null : r.network().getUpdater(false).getStateViewArray()}) {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    /**
     * Runs the PyTorch peer on candidates {@code [offset, offset + count)} and adds its timed window to {@code into};
     * returns a one-line note when it cannot run, else null.
     */
    static String runTorch(Args args, int offset, int count, Window into) {
        File script = new File(args.torch());
        if (!script.isFile()) {
            return "pytorch: skipped (no peer script at " + script + ")";
        }
        String python = "/usr/bin/python3";
        if (!new File(python).canExecute()) {
            return "pytorch: skipped (" + python + " not found)";
        }
        List<String> cmd = List.of(python, script.getPath(), "--k", String.valueOf(count), "--offset",
                String.valueOf(offset), "--batch", String.valueOf(args.batch()), "--steps", String.valueOf(args.steps()),
                "--steps-per-epoch", String.valueOf(args.stepsPerEpoch()), "--threads", String.valueOf(args.threads()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                }
            }
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "pytorch: skipped (peer timed out)";
            }
            String text = out.toString().trim();
            String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
            Double wall = number(last, "window_seconds");
            Double cpu = number(last, "window_cpu_seconds");
            Double samples = number(last, "window_samples");
            if (p.exitValue() != 0 || wall == null || cpu == null || samples == null) {
                return "pytorch: skipped (peer failed: " + (last.isEmpty() ? "exit " + p.exitValue() : last) + ")";
            }
            into.seconds += wall;
            into.cpuSeconds += cpu;
            into.samples += samples;
            return null;
        } catch (IOException e) {
            return "pytorch: skipped (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "pytorch: skipped (interrupted)";
        }
    }

    private static Double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }
}

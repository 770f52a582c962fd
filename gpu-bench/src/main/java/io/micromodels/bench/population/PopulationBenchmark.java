package io.micromodels.bench.population;

import io.micromodels.backend.Backend;
import io.micromodels.backend.BackendChoice;
import io.micromodels.backend.BackendInfo;
import io.micromodels.population.Population;
import io.micromodels.population.PopulationOptions;
import io.micromodels.population.PopulationResult;
import io.micromodels.spec.Activation;
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
 * {@code MultiLayerNetwork} (through {@link Trainer}), and against the same sequential training in PyTorch.
 *
 * <p>Reference candidate: 10-32-32-2, ReLU, drop rate 0.1 after each hidden layer, L2 1e-4, Adam, float32, batch 64;
 * candidate {@code i} has its own seed and learning rate. Every candidate trains the same number of minibatch steps
 * ({@code --steps}, as whole epochs of {@code --steps-per-epoch} batches, validation loss after each epoch, no early
 * stopping) in both modes. The figure compared is candidates x samples per second of the training loop (steps plus
 * per-epoch validation): {@link PopulationResult#trainingSeconds()} for the population, the sum of
 * {@link TrainingResult#seconds()} for the sequential runs; neither includes DL4J's parameter initialisation, which
 * both pay once per candidate (the end-to-end population time is printed too).
 *
 * <p>Sequential DL4J costs the same per candidate whatever K is, so it is measured on the first
 * {@code min(K, --seq-max)} candidates and its rate applies to all K; the table says how many were measured.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp ... io.micromodels.bench.population.PopulationBenchmark --k 1,8,64,256
 * </pre>
 *
 * Options: {@code --k 1,8,64,256}, {@code --batch 64}, {@code --steps 100}, {@code --steps-per-epoch 10},
 * {@code --threads N} (default: OMP_NUM_THREADS, else 1; also given to PyTorch), {@code --seq-max 64},
 * {@code --backend cpu|cuda|auto}, {@code --torch PATH} (default gpu-bench/peers/torch_population.py),
 * {@code --no-torch}. The last line printed is exactly {@code speedup@K=64: X}.
 */
public final class PopulationBenchmark {
    private PopulationBenchmark() {
    }

    /** Parsed command line. */
    record Args(int[] ks, int batch, int steps, int stepsPerEpoch, int threads, int seqMax, String backend,
                String torch, boolean noTorch) {
        static Args parse(String[] a) {
            int[] ks = {1, 8, 64, 256};
            int batch = 64;
            int steps = 100;
            int perEpoch = 10;
            String env = System.getenv("OMP_NUM_THREADS");
            int threads = env != null && env.matches("\\d+") ? Integer.parseInt(env) : 1;
            int seqMax = 64;
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
                    case "--backend" -> backend = need(v, "--backend");
                    case "--torch" -> torch = need(v, "--torch");
                    case "--no-torch" -> {
                        noTorch = true;
                        i--;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a[i] + "; options: --k 1,8,64,256 "
                            + "--batch 64 --steps 100 --steps-per-epoch 10 --threads N --seq-max 64 --backend cpu|cuda|auto "
                            + "--torch PATH --no-torch");
                }
                i++;
            }
            if (steps % perEpoch != 0) {
                throw new IllegalArgumentException("--steps (" + steps + ") must be a multiple of --steps-per-epoch ("
                        + perEpoch + ")");
            }
            return new Args(ks, batch, steps, perEpoch, threads, seqMax, backend, torch, noTorch);
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
        return Micromodel.classifier(2).input(10)
                .dense(32, Activation.RELU).dropout(0.1)
                .dense(32, Activation.RELU).dropout(0.1)
                .l2(1e-4).adam(lr).seed(1000L + i).epochs(epochs).patience(0).batchSize(batch).build();
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
        BackendInfo info = Backend.initialise(resolved);
        boolean gpuAsked = resolved.choice() == BackendChoice.CUDA;
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
        DataSet train = data(args.batch() * args.stepsPerEpoch(), 1);
        DataSet validation = data(256, 2);
        int maxK = Arrays.stream(args.ks()).max().orElse(1);

        // warm-up: JIT and ND4J's first-use costs, both paths
        runPopulation(candidates(8, args.batch(), 2), train, validation).close();
        runSequential(candidates(2, args.batch(), 2), train, validation);

        int seqCount = Math.min(maxK, args.seqMax());
        List<MicromodelSpec> all = candidates(maxK, args.batch(), epochs);
        // the sequential baseline runs in two halves, before and after the populations, so that a change in the
        // load other processes put on the machine affects both sides alike
        int firstHalf = (seqCount + 1) / 2;
        double[] seq = runSequential(all.subList(0, firstHalf), train, validation);

        List<String> rows = new ArrayList<>();
        double[] popRate = new double[args.ks().length];
        for (int i = 0; i < args.ks().length; i++) {
            int k = args.ks()[i];
            double cpu0 = processCpuSeconds();
            PopulationResult r = runPopulation(all.subList(0, k), train, validation);
            double cpu = processCpuSeconds() - cpu0;
            popRate[i] = k * (double) args.steps() * args.batch() / r.trainingSeconds();
            rows.add(String.format(Locale.ROOT, "%5d  %11.2f  %10.2f  %11.2f  %10.2f  %18.0f", k,
                    1000 * r.trainingSeconds() / r.steps(), r.trainingSeconds(), r.seconds(), cpu, popRate[i]));
            r.close();
        }
        double[] seq2 = runSequential(all.subList(firstHalf, seqCount), train, validation);
        double seqTotal = Arrays.stream(seq).sum() + Arrays.stream(seq2).sum();
        double seqRate = seqCount * (double) args.steps() * args.batch() / seqTotal;

        Double torchRate = null;
        String torchNote;
        if (args.noTorch()) {
            torchNote = "pytorch: skipped (--no-torch)";
        } else {
            TorchResult t = runTorch(args, seqCount);
            torchRate = t.rate;
            torchNote = t.note;
        }

        System.out.println();
        System.out.println("    K  pop step ms  pop loop s  pop total s  pop cpu s  pop cand*samples/s"
                + "  seq DL4J cand*samples/s  speedup vs DL4J" + (torchRate != null ? "  vs PyTorch" : ""));
        Double speedup64 = null;
        for (int i = 0; i < args.ks().length; i++) {
            double speedup = popRate[i] / seqRate;
            if (args.ks()[i] == 64) {
                speedup64 = speedup;
            }
            System.out.printf(Locale.ROOT, "%s  %23.0f  %15.1fx%s%n", rows.get(i), seqRate, speedup,
                    torchRate != null ? String.format(Locale.ROOT, "  %9.1fx", popRate[i] / torchRate) : "");
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "sequential DL4J measured on the first %d candidates: %.2f s for %d x %d steps "
                + "(%.2f ms per step)%n", seqCount, seqTotal, seqCount, args.steps(), 1000 * seqTotal / (seqCount * args.steps()));
        System.out.println("pop loop s = training loop (steps + per-epoch validation); pop total s adds DL4J "
                + "initialisation and export of every member; pop cpu s = process CPU time of the whole fit (wall-clock "
                + "figures include time other processes took from this 2-core machine)");
        System.out.println(torchNote);
        System.out.println(speedup64 == null ? "speedup@K=64: n/a (K=64 not measured)"
                : String.format(Locale.ROOT, "speedup@K=64: %.1f", speedup64));
    }

    /** CPU time of this process (all threads), seconds. */
    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    static List<MicromodelSpec> candidates(int k, int batch, int epochs) {
        List<MicromodelSpec> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(candidate(i, batch, epochs));
        }
        return out;
    }

    static PopulationResult runPopulation(List<MicromodelSpec> specs, DataSet train, DataSet validation) {
        return Population.fit(specs, train, validation, PopulationOptions.defaults(specs.get(0).seed()));
    }

    static double[] runSequential(List<MicromodelSpec> specs, DataSet train, DataSet validation) {
        double[] seconds = new double[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            try (TrainingResult r = Trainer.fit(specs.get(i), train, validation)) {
                seconds[i] = r.seconds();
            }
        }
        return seconds;
    }

    record TorchResult(Double rate, String note) {
    }

    /** Runs the PyTorch peer in this session; a one-line note when it cannot. */
    static TorchResult runTorch(Args args, int candidates) {
        File script = new File(args.torch());
        if (!script.isFile()) {
            return new TorchResult(null, "pytorch: skipped (no peer script at " + script + ")");
        }
        String python = "/usr/bin/python3";
        if (!new File(python).canExecute()) {
            return new TorchResult(null, "pytorch: skipped (" + python + " not found)");
        }
        List<String> cmd = List.of(python, script.getPath(), "--k", String.valueOf(candidates), "--batch",
                String.valueOf(args.batch()), "--steps", String.valueOf(args.steps()), "--steps-per-epoch",
                String.valueOf(args.stepsPerEpoch()), "--threads", String.valueOf(args.threads()));
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
                return new TorchResult(null, "pytorch: skipped (peer timed out)");
            }
            String text = out.toString().trim();
            String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
            Matcher m = Pattern.compile("\"candidates_samples_per_second\"\\s*:\\s*([0-9.eE+-]+)").matcher(last);
            if (p.exitValue() != 0 || !m.find()) {
                return new TorchResult(null, "pytorch: skipped (peer failed: " + last + ")");
            }
            double rate = Double.parseDouble(m.group(1));
            return new TorchResult(rate, String.format(Locale.ROOT, "pytorch sequential (%d candidates, %d threads): "
                    + "%.0f cand*samples/s; %s", candidates, args.threads(), rate, last));
        } catch (IOException e) {
            return new TorchResult(null, "pytorch: skipped (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TorchResult(null, "pytorch: skipped (interrupted)");
        }
    }
}

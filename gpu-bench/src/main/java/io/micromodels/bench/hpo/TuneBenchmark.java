package io.micromodels.bench.hpo;

import io.micromodels.backend.Backend;
import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.Activation;
import io.micromodels.tune.GeneratorKind;
import io.micromodels.tune.Study;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.space.IntRange;
import io.micromodels.tune.space.Range;
import io.micromodels.tune.space.SpaceConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Benchmarks of {@code io.micromodels.tune.Study}, printing figures (not a unit test).
 *
 * <ul>
 *   <li>{@code overhead}: the cost of a trial outside the fit itself. A sequential study of tiny trials
 *       (200 synthetic rows, one hidden layer of 4-8 units, one epoch) runs {@code --trials} trials; for each trial
 *       after the first {@code --warmup}, the time between the previous trial's record and this one's (a whole
 *       cycle: the generator's proposal, building the network, the fit, scoring, writing and forcing the JSON line,
 *       the listener) minus the fit's own time ({@code fitSeconds}: the epoch loop). Printed as the median and 90th
 *       percentile for the Bayesian and the random generator, with the part spent inside the executor (network
 *       construction and scoring) beside it. Last line: {@code median trial overhead (bayes): X ms}.</li>
 *   <li>{@code credit}: German credit, best validation AUC after {@code --trials} (30) trials, Bayesian vs random,
 *       one study per seed (the seed sets the data split, the training and the generator), {@code --parallel} trials
 *       at a time. Last line: {@code median best AUC@30 bayes vs random: X vs Y}.</li>
 *   <li>{@code population}: German credit, a Bayesian search of {@code --trials} (64) trials trained in batches of
 *       {@code --k} (16) candidates, once as populations ({@code tune --population K}) and once one network at a time
 *       on one thread, same generator and seeds: wall clock and best validation AUC of each. Last line:
 *       {@code population search speedup@64: X (best AUC population P vs one-at-a-time S)}.</li>
 * </ul>
 *
 * <p>Usage: {@code TuneBenchmark overhead|credit|population [--trials N] [--warmup W] [--seeds S] [--epochs E]
 * [--patience P] [--parallel K] [--k K]}. Other sessions may share the cores: timings are noisy.
 */
public final class TuneBenchmark {

    private TuneBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.nd4j.log.initialization", "false");
        String mode = args.length > 0 ? args[0] : "overhead";
        int trials = intArg(args, "--trials", mode.equals("credit") ? 30 : mode.equals("population") ? 64 : 40);
        int warmup = intArg(args, "--warmup", 5);
        int seeds = intArg(args, "--seeds", 5);
        int epochs = intArg(args, "--epochs", 100);
        int patience = intArg(args, "--patience", 10);
        int parallel = intArg(args, "--parallel", 2);
        PrintStream out = System.out;
        Backend.initialise(Backend.resolve(null));
        out.println("backend: " + Backend.current().name() + ", cores " + Runtime.getRuntime().availableProcessors()
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
        switch (mode) {
            case "overhead" -> overhead(out, trials, warmup);
            case "credit" -> credit(out, trials, seeds, epochs, patience, parallel);
            case "population" -> population(out, trials, intArg(args, "--k", 16), intArg(args, "--seeds", 3), epochs, patience);
            default -> throw new IllegalArgumentException("mode must be overhead, credit or population, got " + mode);
        }
    }

    static void overhead(PrintStream out, int trials, int warmup) throws IOException {
        if (trials - warmup < 30) {
            throw new IllegalArgumentException("need at least 30 measured trials: --trials " + trials + " --warmup " + warmup);
        }
        Path tmp = Files.createTempDirectory("tune-overhead");
        try {
            Path csv = tmp.resolve("tiny.csv");
            Files.writeString(csv, tinyCsv(200, 1), StandardCharsets.UTF_8);
            SpaceConfig tiny = new SpaceConfig(new IntRange(1, 1, false), new IntRange(4, 8, false),
                    List.of(Activation.RELU, Activation.TANH), new Range(0, 0.2, false), new Range(1e-7, 1e-3, true),
                    new Range(1e-7, 1e-3, true), new Range(1e-3, 1e-1, true), List.of(32, 64));
            PreparedData data = DataPipeline.prepare(csv, DataOptions.builder("y").seed(1).build());
            double bayesMedian = Double.NaN;
            for (GeneratorKind g : List.of(GeneratorKind.RANDOM, GeneratorKind.BAYES)) {
                StudyOptions o = StudyOptions.forCsv(csv.toString(), "y").withGenerator(g).withTrials(trials)
                        .withEpochs(1, 0).withSpace(tiny).withSeed(1);
                List<Long> stamps = new ArrayList<>();
                List<TrialRecord> records;
                try (Study study = Study.create(tmp.resolve(g.label()), o, data)) {
                    records = study.run((t, all) -> stamps.add(System.nanoTime()));
                }
                double[] overhead = new double[trials - warmup];
                double[] inside = new double[trials - warmup];
                double[] fit = new double[trials - warmup];
                for (int i = warmup; i < trials; i++) {
                    TrialRecord r = records.get(i);
                    double cycle = (stamps.get(i) - stamps.get(i - 1)) / 1e6;
                    overhead[i - warmup] = cycle - r.fitSeconds() * 1e3;
                    inside[i - warmup] = (r.seconds() - r.fitSeconds()) * 1e3;
                    fit[i - warmup] = r.fitSeconds() * 1e3;
                }
                double median = quantile(overhead, 0.5);
                out.printf(Locale.ROOT, "%-7s %d trials measured: overhead per trial median %.1f ms, p90 %.1f ms"
                                + " (inside the executor: median %.1f ms); the fit itself: median %.1f ms%n",
                        g.label(), overhead.length, median, quantile(overhead, 0.9), quantile(inside, 0.5), quantile(fit, 0.5));
                if (g == GeneratorKind.BAYES) {
                    bayesMedian = median;
                }
            }
            out.printf(Locale.ROOT, "median trial overhead (bayes): %.1f ms (target <= 50 ms)%n", bayesMedian);
        } finally {
            delete(tmp);
        }
    }

    static void credit(PrintStream out, int trials, int seeds, int epochs, int patience, int parallel) throws IOException {
        Path tmp = Files.createTempDirectory("tune-credit");
        try {
            double[] bayes = new double[seeds];
            double[] random = new double[seeds];
            out.printf(Locale.ROOT, "german_credit: best validation AUC after %d trials, up to %d epochs (patience %d),"
                    + " %d at a time%n", trials, epochs, patience, parallel);
            for (int s = 0; s < seeds; s++) {
                for (GeneratorKind g : List.of(GeneratorKind.BAYES, GeneratorKind.RANDOM)) {
                    long start = System.nanoTime();
                    StudyOptions o = StudyOptions.forDataset("german_credit").withGenerator(g).withSeed(s).withTrials(trials)
                            .withEpochs(epochs, patience).withExecution(parallel, parallel);
                    Study study = Study.create(tmp.resolve(g.label() + "-" + s), o);
                    study.run((t, all) -> { });
                    TrialRecord best = study.best().orElseThrow();
                    long failed = study.trials().stream().filter(t -> !t.complete()).count();
                    study.close();
                    (g == GeneratorKind.BAYES ? bayes : random)[s] = best.score();
                    out.printf(Locale.ROOT, "seed %d %-6s best AUC@%d %.4f (trial %d, %d failed) in %.0f s%n", s, g.label(),
                            trials, best.score(), best.number(), failed, (System.nanoTime() - start) / 1e9);
                }
            }
            out.println("per seed bayes:  " + fmt(bayes));
            out.println("per seed random: " + fmt(random));
            out.printf(Locale.ROOT, "median best AUC@%d bayes vs random: %.4f vs %.4f%n", trials, quantile(bayes, 0.5),
                    quantile(random, 0.5));
        } finally {
            delete(tmp);
        }
    }

    static void population(PrintStream out, int trials, int k, int seeds, int epochs, int patience) throws IOException {
        Path tmp = Files.createTempDirectory("tune-population");
        try {
            out.printf(Locale.ROOT, "german_credit: Bayesian search of %d trials in batches of %d, up to %d epochs (patience %d), "
                    + "one thread; populations vs one network at a time, %d seeds%n", trials, k, epochs, patience, seeds);
            double[] speedups = new double[seeds];
            double[] popAuc = new double[seeds];
            double[] seqAuc = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                double[] secs = new double[2];
                for (int mode = 0; mode < 2; mode++) {
                    StudyOptions o = StudyOptions.forDataset("german_credit").withSeed(s).withTrials(trials)
                            .withEpochs(epochs, patience).withExecution(1, k);
                    Study study = Study.create(tmp.resolve((mode == 0 ? "pop-" : "seq-") + s), o);
                    if (mode == 0) {
                        study.setPopulation(k);
                    }
                    long start = System.nanoTime();
                    study.run((t, all) -> { });
                    secs[mode] = (System.nanoTime() - start) / 1e9;
                    TrialRecord best = study.best().orElseThrow();
                    (mode == 0 ? popAuc : seqAuc)[s] = best.score();
                    study.close();
                    out.printf(Locale.ROOT, "seed %d %-13s %5.1f s wall, best validation AUC %.4f (trial %d)%n", s,
                            mode == 0 ? "population" : "one-at-a-time", secs[mode], best.score(), best.number());
                }
                speedups[s] = secs[1] / secs[0];
            }
            out.printf(Locale.ROOT, "population search speedup@%d: %.2f (best AUC population %.4f vs one-at-a-time %.4f, medians)%n",
                    trials, quantile(speedups, 0.5), quantile(popAuc, 0.5), quantile(seqAuc, 0.5));
        } finally {
            delete(tmp);
        }
    }

    /** x1..x4 numeric, y = yes/no from a noisy linear rule. */
    static String tinyCsv(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("x1,x2,x3,x4,y\n");
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble() * 2 - 1;
            double b = r.nextDouble() * 2 - 1;
            double c = r.nextDouble() * 2 - 1;
            double d = r.nextDouble() * 2 - 1;
            boolean y = a + 0.5 * b + 0.5 * (r.nextDouble() - 0.5) > 0;
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s%n", a, b, c, d, y ? "yes" : "no"));
        }
        return sb.toString();
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(String.format(Locale.ROOT, "%.4f ", x));
        }
        return sb.toString().trim();
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

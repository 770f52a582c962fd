package io.micromodels.bench.hpo;

import io.micromodels.seed.Seeds;
import io.micromodels.train.Metrics;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.BayesianSampler;
import io.micromodels.tune.Halving;
import io.micromodels.tune.Study;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TrialStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * {@code bench halving} (issue 15): a Bayesian search on bundled datasets with and without successive halving inside
 * populations, the same K population slots, the same time budget, paired per seed (the seed splits the data and seeds
 * the search, so both arms of a seed see the same split). The budget is wall time ({@code --wall S}, what a user waits)
 * or CPU time of the study's one thread ({@code --cpu S}: the search runs on the calling thread, populations, the
 * optimiser, ND4J with one OpenMP thread), which a machine shared with other work disturbs less. The study stops asking
 * at the budget; trials in flight then finish but count only at the time they finished, so the curve is cut at the
 * budget.
 *
 * <p>For each dataset and seed the arms run one after the other, in the order given on even seeds and reversed on odd
 * seeds (A,B then B,A: a change of machine load hits both arms alike), after one short unrecorded warm-up run that
 * compiles the code paths. Each arm records, at 25/50/75/100% of the budget, the best validation score of the complete
 * trials finished by then and that trial's test metric (its model rebuilt after the run by {@link Study#model}: the
 * kept network of the final best, the others retrained exactly as they trained; each rebuilt model's validation score
 * is checked against the recorded one, the largest difference is printed). Second view on the other clock: with a wall
 * budget, the same figures at fractions of the CPU time both arms of the seed had used within the wall budget (the
 * smaller of the two). The 1-minute load average is printed at the start and end of each arm.
 *
 * <p>Summary per dataset: the paired difference (mode minus {@code population}) of the best validation score and of
 * its test metric at 100% of the budget, mean ± sample standard deviation over seeds, and wins/ties/losses in the
 * direction of better (higher AUC, lower RMSE or log loss; a tie is a difference below 1e-6). Last line:
 * {@code halving better on X of Y datasets at equal wall time (...)}: better = more wins than losses in validation.
 *
 * <p>Modes: {@code population} ({@code tune --population K}, every candidate trained to its end or early stop),
 * {@code halving} ({@code tune --halving --population K}, partial trials observed by the Gaussian process at their rung
 * score), {@code halving-failed} and {@code halving-pending} (partial trials seen as failures, or only as points
 * taken).
 *
 * <p>Usage: {@code HalvingBenchmark [--datasets a,b] [--seeds S] [--wall SECONDS | --cpu SECONDS] [--k K] [--epochs E]
 * [--patience P] [--keep F] [--modes population,halving,...] [--warmup SECONDS]}.
 */
public final class HalvingBenchmark {
    private HalvingBenchmark() {
    }

    /** Fractions of the budget the curve is read at. */
    static final double[] FRACTIONS = {0.25, 0.5, 0.75, 1.0};

    /** One finished trial as the run saw it: CPU and wall seconds since the start, best complete trial so far (0 none). */
    private record Point(double cpu, double wall, int best, double bestScore) {
    }

    /** One arm's run: its trajectory, trial counts, and the test and validation metrics of the trials that were best. */
    private record Run(String dataset, String mode, int seed, List<Point> points, int trials, int partial, String metric,
                       Map<Integer, Double> test, double cpuWithinWall, double loadStart, double loadEnd, double wall,
                       double cpu) {
        /** The best complete trial finished by {@code t} seconds on the clock (0 = none). */
        Point at(boolean cpuClock, double t) {
            Point b = null;
            for (Point p : points) {
                if ((cpuClock ? p.cpu : p.wall) <= t && p.best > 0) {
                    b = p;
                }
            }
            return b;
        }

        double validationAt(boolean cpuClock, double t) {
            Point p = at(cpuClock, t);
            return p == null ? Double.NaN : p.bestScore;
        }

        double testAt(boolean cpuClock, double t) {
            Point p = at(cpuClock, t);
            return p == null ? Double.NaN : test.getOrDefault(p.best, Double.NaN);
        }
    }

    /** Parsed options. */
    private record Options(List<String> datasets, int seeds, double budget, boolean wallClock, int k, int epochs,
                           int patience, double keep, List<String> modes, double warmup) {
    }

    public static void main(String[] args) throws IOException {
        List<String> datasets = List.of("german_credit", "breast_cancer_wdbc", "heart_disease_cleveland",
                "diabetes_progression");
        int seeds = 5;
        double budget = 25;
        boolean wall = true;
        int k = 8;
        int epochs = 100;
        int patience = 10;
        double keep = 0.5;
        List<String> modes = List.of("population", "halving");
        double warmup = 5;
        for (Map.Entry<String, String> flag : io.micromodels.bench.Flags.pairs(args)) {
            String v = flag.getValue();
            switch (flag.getKey()) {
                case "--datasets" -> datasets = List.of(v.split(","));
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--wall" -> {
                    budget = Double.parseDouble(v);
                    wall = true;
                }
                case "--cpu" -> {
                    budget = Double.parseDouble(v);
                    wall = false;
                }
                case "--k" -> k = Integer.parseInt(v);
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--patience" -> patience = Integer.parseInt(v);
                case "--keep" -> keep = Double.parseDouble(v);
                case "--modes" -> modes = List.of(v.split(","));
                case "--warmup" -> warmup = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + flag.getKey() + "; usage: [--datasets a,b]"
                        + " [--seeds S] [--wall SECONDS | --cpu SECONDS] [--k K] [--epochs E] [--patience P] [--keep F]"
                        + " [--modes population,halving,halving-failed,halving-pending] [--warmup SECONDS]");
            }
        }
        for (String m : modes) {
            if (!List.of("population", "halving", "halving-failed", "halving-pending").contains(m)) {
                throw new IllegalArgumentException("--modes: each of population, halving, halving-failed, halving-pending,"
                        + " got " + m);
            }
        }
        if (!(budget > 0)) {
            throw new IllegalArgumentException("--wall/--cpu must be > 0 seconds, got " + budget);
        }
        run(new Options(datasets, seeds, budget, wall, k, epochs, patience, keep, modes, warmup), System.out);
    }

    private static void run(Options o, PrintStream out) throws IOException {
        List<Integer> rungs = List.of(o.epochs / 8, o.epochs / 4, o.epochs / 2);
        String clock = o.wallClock ? "wall" : "CPU";
        out.printf(Locale.ROOT, "Bayesian search, %d population slots, up to %d epochs (patience %d), halving at epochs %s "
                        + "keeping %.2f; budget %.0f s %s per arm; %d seeds (split and search); datasets %s; modes %s, "
                        + "order reversed on odd seeds; %d processors%n", o.k, o.epochs, o.patience, rungs, o.keep, o.budget,
                clock, o.seeds, o.datasets, o.modes, Runtime.getRuntime().availableProcessors());
        Path tmp = Files.createTempDirectory("bench-halving");
        List<Run> runs = new ArrayList<>();
        try {
            if (o.warmup > 0) {
                List<Study> open = new ArrayList<>();
                try {
                    arm(tmp.resolve("warmup"), o, o.datasets.get(0), 1_000, "halving", o.warmup, rungs, open);
                } finally {
                    for (Study st : open) {
                        st.close();
                    }
                }
                out.printf(Locale.ROOT, "(warm-up: %.0f s %s of halving on %s, seed 1000, not recorded)%n", o.warmup, clock,
                        o.datasets.get(0));
            }
            for (String ds : o.datasets) {
                for (int s = 0; s < o.seeds; s++) {
                    List<String> order = new ArrayList<>(o.modes);
                    if (s % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    List<Run> seedRuns = new ArrayList<>();
                    List<Study> open = new ArrayList<>();
                    try {
                        for (String mode : order) {
                            seedRuns.add(arm(tmp.resolve(ds + "-" + s + "-" + mode), o, ds, s, mode, o.budget, rungs, open));
                        }
                        double cpuBoth = seedRuns.stream().mapToDouble(Run::cpuWithinWall).min().orElse(0);
                        for (int i = 0; i < seedRuns.size(); i++) {
                            Run r = seedRuns.get(i);
                            double off = rebuild(open.get(i), r, !o.wallClock, o.budget, o.wallClock ? cpuBoth : 0);
                            out.printf(Locale.ROOT, "%-24s seed %d %-16s %4d trials (%3d partial) %6.1f s CPU %6.1f s wall,"
                                            + " load %.1f -> %.1f; best validation %s %s; test %s %s; rebuilt models'"
                                            + " validation off by at most %.1e%n",
                                    ds, s, r.mode, r.trials, r.partial, r.cpu, r.wall, r.loadStart, r.loadEnd, r.metric,
                                    curve(r, !o.wallClock, o.budget, true), r.metric,
                                    curve(r, !o.wallClock, o.budget, false), off);
                        }
                        if (o.wallClock) {
                            for (Run r : seedRuns) {
                                out.printf(Locale.ROOT, "%-24s seed %d %-16s CPU view (%.1f s CPU, both arms' within the"
                                                + " wall budget): best validation %s; test %s%n", ds, s, r.mode, cpuBoth,
                                        curve(r, true, cpuBoth, true), curve(r, true, cpuBoth, false));
                            }
                        }
                    } finally {
                        for (Study st : open) {
                            st.close();
                        }
                    }
                    runs.addAll(seedRuns);
                }
            }
        } finally {
            try (Stream<Path> w = Files.walk(tmp)) {
                for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        summarise(o, runs, out);
    }

    /** The best validation (or its test metric) at 25/50/75/100% of {@code budget} on the clock, as text. */
    private static String curve(Run r, boolean cpuClock, double budget, boolean validation) {
        StringBuilder sb = new StringBuilder();
        for (double f : FRACTIONS) {
            double v = validation ? r.validationAt(cpuClock, f * budget) : r.testAt(cpuClock, f * budget);
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f%%:%.4f", 100 * f, v));
        }
        return sb.toString();
    }

    /**
     * Runs one arm: a study of {@code mode} on the budget. The study stays open (added to {@code open}, the caller closes
     * it) so that {@link #rebuild} can read the test metrics of the trials that were best.
     */
    private static Run arm(Path dir, Options opt, String ds, int seed, String mode, double budget, List<Integer> rungs,
                           List<Study> open) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        StudyOptions o = StudyOptions.forDataset(ds).withSeed(seed).withTrials(100_000).withEpochs(opt.epochs, opt.patience)
                .withExecution(1, opt.k);
        if (mode.startsWith("halving")) {
            o = o.withHalving(new Halving(rungs, opt.keep));
        }
        double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Point> points = new ArrayList<>();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        Study study = Study.create(dir, o);
        open.add(study);
        study.setPopulation(opt.k);
        if (mode.equals("halving-failed") || mode.equals("halving-pending")) {
            study.setSampler(new BayesianSampler(study.space().dimensions(), study.objective(),
                    Seeds.fork(o.seed(), Seeds.SAMPLER), mode.equals("halving-failed")
                    ? BayesianSampler.Partial.FAILED : BayesianSampler.Partial.PENDING));
        }
        LongSupplier clock = opt.wallClock ? System::nanoTime : mx::getCurrentThreadCpuTime;
        // the study stops asking once the budget is used (trials in flight finish, counted when they finish)
        study.setTimeBudget(Duration.ofMillis(Math.round(budget * 1000)), clock);
        int[] best = {0};
        double[] bestScore = {Double.NaN};
        study.run((t, all) -> {
            if (t.complete() && (best[0] == 0 || study.objective().better(t.score(), bestScore[0]))) {
                best[0] = t.number();
                bestScore[0] = t.score();
            }
            points.add(new Point((mx.getCurrentThreadCpuTime() - cpu0) / 1e9, (System.nanoTime() - wall0) / 1e9, best[0],
                    bestScore[0]));
        });
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double loadEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<TrialRecord> trials = study.trials();
        int partial = (int) trials.stream().filter(r -> r.status() == TrialStatus.PARTIAL).count();
        double cpuWithinWall = 0;
        for (Point p : points) {
            if (p.wall <= budget) {
                cpuWithinWall = p.cpu;
            }
        }
        return new Run(ds, mode, seed, points, trials.size(), partial, study.objective().metricName(), new HashMap<>(),
                cpuWithinWall, loadStart, loadEnd, wall, cpu);
    }

    /**
     * Fills {@code r.test} with the test metric of every trial that was best at a checkpoint (fractions of {@code budget}
     * on the budget's clock, and of {@code cpuView} seconds of CPU when positive), the final best first (its network is
     * kept, the others are retrained).
     *
     * @return the largest difference between a rebuilt model's validation score and the one its trial recorded
     */
    private static double rebuild(Study study, Run r, boolean cpuClock, double budget, double cpuView) {
        List<Integer> wanted = new ArrayList<>();
        study.best().ifPresent(b -> wanted.add(b.number()));
        for (double f : FRACTIONS) {
            List<Point> ps = new ArrayList<>();
            ps.add(r.at(cpuClock, f * budget));
            if (cpuView > 0) {
                ps.add(r.at(true, f * cpuView));
            }
            for (Point p : ps) {
                if (p != null && !wanted.contains(p.best)) {
                    wanted.add(p.best);
                }
            }
        }
        double off = 0;
        List<TrialRecord> trials = study.trials();
        for (int n : wanted) {
            TrialRecord t = trials.stream().filter(x -> x.number() == n).findFirst().orElseThrow();
            try (TrainedModel m = study.model(t)) {
                r.test.put(n, testMetric(m.testMetrics(), r.metric));
                double again = study.objective().evaluate(m.network(), study.data().validation(), study.data().pipeline());
                off = Math.max(off, Math.abs(again - t.score()));
            }
        }
        return off;
    }

    /** Per dataset and mode other than {@code population}: paired differences at 100% of the budget, and the last line. */
    private static void summarise(Options o, List<Run> runs, PrintStream out) {
        String clock = o.wallClock ? "wall" : "CPU";
        out.println();
        out.printf(Locale.ROOT, "paired per seed at 100%% of the budget (%.0f s %s): mode minus population, mean ± sd over"
                + " seeds; wins/ties/losses in the direction of better%n", o.budget, clock);
        out.println("| dataset (metric) | mode | trials (partial), mean | validation difference | W/T/L | test difference | W/T/L |");
        out.println("| --- | --- | --- | --- | --- | --- | --- |");
        Map<String, int[]> better = new java.util.LinkedHashMap<>();
        for (String mode : o.modes) {
            if (!mode.equals("population")) {
                better.put(mode, new int[3]);
            }
        }
        for (String ds : o.datasets) {
            for (String mode : o.modes) {
                if (mode.equals("population") || !o.modes.contains("population")) {
                    continue;
                }
                List<double[]> val = new ArrayList<>();
                List<double[]> tst = new ArrayList<>();
                double trials = 0;
                double partial = 0;
                String metric = "";
                for (int s = 0; s < o.seeds; s++) {
                    Run a = find(runs, ds, mode, s);
                    Run p = find(runs, ds, "population", s);
                    metric = a.metric;
                    trials += a.trials / (double) o.seeds;
                    partial += a.partial / (double) o.seeds;
                    val.add(new double[] {a.validationAt(!o.wallClock, o.budget), p.validationAt(!o.wallClock, o.budget)});
                    tst.add(new double[] {a.testAt(!o.wallClock, o.budget), p.testAt(!o.wallClock, o.budget)});
                }
                boolean higher = !metric.equals("rmse") && !metric.equals("log_loss") && !metric.equals("mae");
                int[] wv = wtl(val, higher);
                int[] wt = wtl(tst, higher);
                out.printf(Locale.ROOT, "| %s (%s) | %s | %.1f (%.1f) vs %.1f | %s | %d/%d/%d | %s | %d/%d/%d |%n", ds, metric, mode,
                        trials, partial, runs.stream().filter(r -> r.dataset.equals(ds) && r.mode.equals("population"))
                                .mapToInt(Run::trials).average().orElse(0),
                        meanSd(val), wv[0], wv[1], wv[2], meanSd(tst), wt[0], wt[1], wt[2]);
                int[] b = better.get(mode);
                b[0] += wv[0] > wv[2] ? 1 : 0;
                b[1] += wt[0] > wt[2] ? 1 : 0;
                b[2]++;
            }
        }
        for (Map.Entry<String, int[]> e : better.entrySet()) {
            int[] b = e.getValue();
            out.printf(Locale.ROOT, "%s better on %d of %d datasets at equal %s time (more wins than losses over %d seeds in"
                    + " best validation at 100%% of the budget; in the test metric of that best: %d of %d)%n", e.getKey(), b[0],
                    b[2], clock, o.seeds, b[1], b[2]);
        }
    }

    private static Run find(List<Run> runs, String ds, String mode, int seed) {
        return runs.stream().filter(r -> r.dataset.equals(ds) && r.mode.equals(mode) && r.seed == seed).findFirst()
                .orElseThrow();
    }

    /** Wins, ties, losses of {mode, population} pairs in the direction of better (tie: |difference| < 1e-6). */
    static int[] wtl(List<double[]> pairs, boolean higherBetter) {
        int[] w = new int[3];
        for (double[] p : pairs) {
            double d = higherBetter ? p[0] - p[1] : p[1] - p[0];
            if (Double.isNaN(d)) {
                continue;
            }
            w[Math.abs(d) < 1e-6 ? 1 : d > 0 ? 0 : 2]++;
        }
        return w;
    }

    /** Mean ± sample sd (n - 1) of {@code p[0] - p[1]} over the pairs with both values. */
    static String meanSd(List<double[]> pairs) {
        double[] d = pairs.stream().mapToDouble(p -> p[0] - p[1]).filter(x -> !Double.isNaN(x)).toArray();
        double mean = Arrays.stream(d).average().orElse(Double.NaN);
        double ss = Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum();
        double sd = d.length > 1 ? Math.sqrt(ss / (d.length - 1)) : Double.NaN;
        return String.format(Locale.ROOT, "%+.4f ± %.4f (n=%d)", mean, sd, d.length);
    }

    private static double testMetric(Metrics m, String metric) {
        return m.names().contains(metric) ? m.get(metric) : Double.NaN;
    }
}

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
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bench halving} (issue 15): a Bayesian search on bundled datasets with and without successive halving inside
 * populations, the same K population slots, the same budget. The budget is CPU time of the study's one thread (the
 * search runs on the calling thread: populations, the optimiser, ND4J with one OpenMP thread), read at each finished
 * trial, because wall time on the shared benchmark machine swings with its load; wall time is printed beside it. For
 * each dataset, seed and mode it records the best validation score reached by each CPU-time checkpoint and, at the
 * end, the best model's test metric, and prints medians over seeds.
 *
 * <p>Modes: {@code population} ({@code tune --population K}, every candidate trained to its end or early stop),
 * {@code halving} ({@code tune --halving --population K}, partial trials observed by the Gaussian process at their rung
 * score), and with {@code --partial-variants} also {@code halving-failed} and {@code halving-pending} (partial trials
 * seen as failures, or only as points taken).
 *
 * <p>Usage: {@code HalvingBenchmark [--datasets a,b] [--seeds S] [--cpu SECONDS] [--k K] [--epochs E] [--patience P]
 * [--keep F] [--partial-variants] [--modes population,halving,halving-failed,halving-pending]}. Last line: {@code halving median best validation gain@<cpu>s: X}.
 */
public final class HalvingBenchmark {
    private HalvingBenchmark() {
    }

    /** One run's trajectory: per finished trial, CPU and wall seconds and the best complete score so far. */
    private record Run(String dataset, String mode, int seed, double[] cpu, double[] wall, double[] best, int trials,
                       int partial, double test, String testMetric, double seconds) {
        /** The best validation score reached by {@code cpuSeconds} of CPU time (NaN if none yet). */
        double bestAt(double cpuSeconds) {
            double b = Double.NaN;
            for (int i = 0; i < cpu.length; i++) {
                if (cpu[i] <= cpuSeconds && !Double.isNaN(best[i])) {
                    b = best[i];
                }
            }
            return b;
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> datasets = List.of(arg(args, "--datasets", "german_credit,breast_cancer_wdbc,heart_disease_cleveland,"
                + "diabetes_progression").split(","));
        int seeds = Integer.parseInt(arg(args, "--seeds", "3"));
        double cpuBudget = Double.parseDouble(arg(args, "--cpu", "20"));
        int k = Integer.parseInt(arg(args, "--k", "8"));
        int epochs = Integer.parseInt(arg(args, "--epochs", "100"));
        int patience = Integer.parseInt(arg(args, "--patience", "10"));
        double keep = Double.parseDouble(arg(args, "--keep", "0.5"));
        boolean variants = Arrays.asList(args).contains("--partial-variants");
        List<String> modes = new ArrayList<>(List.of("population", "halving"));
        if (variants) {
            modes.addAll(List.of("halving-failed", "halving-pending"));
        }
        String chosen = arg(args, "--modes", "");
        if (!chosen.isEmpty()) {
            modes = new ArrayList<>(List.of(chosen.split(",")));
        }
        List<Integer> rungs = List.of(epochs / 8, epochs / 4, epochs / 2);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "Bayesian search, %d population slots, up to %d epochs (patience %d), halving at epochs %s "
                + "keeping %.2f; budget %.0f s CPU of the study's thread; %d seeds; modes %s%n", k, epochs, patience, rungs,
                keep, cpuBudget, seeds, modes);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path tmp = Files.createTempDirectory("bench-halving");
        List<Run> runs = new ArrayList<>();
        try {
            for (String ds : datasets) {
                for (int s = 0; s < seeds; s++) {
                    for (String mode : modes) {
                        StudyOptions o = StudyOptions.forDataset(ds).withSeed(s).withTrials(100_000).withEpochs(epochs, patience)
                                .withExecution(1, k);
                        if (mode.startsWith("halving")) {
                            o = o.withHalving(new Halving(rungs, keep));
                        }
                        List<double[]> points = new ArrayList<>();
                        long cpu0 = mx.getCurrentThreadCpuTime();
                        long wall0 = System.nanoTime();
                        try (Study study = Study.create(tmp.resolve(ds + "-" + s + "-" + mode), o)) {
                            study.setPopulation(k);
                            if (mode.equals("halving-failed") || mode.equals("halving-pending")) {
                                study.setSampler(new BayesianSampler(study.space().dimensions(), study.objective(),
                                        Seeds.fork(o.seed(), Seeds.SAMPLER), mode.equals("halving-failed")
                                        ? BayesianSampler.Partial.FAILED : BayesianSampler.Partial.PENDING));
                            }
                            // the study stops asking once its thread has used the CPU budget (trials in flight finish)
                            study.setTimeBudget(Duration.ofMillis(Math.round(cpuBudget * 1000)), mx::getCurrentThreadCpuTime);
                            double[] best = {Double.NaN};
                            study.run((t, all) -> {
                                if (t.complete() && (Double.isNaN(best[0]) || study.objective().better(t.score(), best[0]))) {
                                    best[0] = t.score();
                                }
                                points.add(new double[] {(mx.getCurrentThreadCpuTime() - cpu0) / 1e9,
                                        (System.nanoTime() - wall0) / 1e9, best[0]});
                            });
                            List<TrialRecord> trials = study.trials();
                            int partial = (int) trials.stream().filter(r -> r.status() == TrialStatus.PARTIAL).count();
                            double test;
                            String metric = study.objective().metricName();
                            try (TrainedModel m = study.bestModel()) {
                                test = testMetric(m.testMetrics(), metric);
                            }
                            Run r = new Run(ds, mode, s, column(points, 0), column(points, 1), column(points, 2), trials.size(),
                                    partial, test, metric, (System.nanoTime() - wall0) / 1e9);
                            runs.add(r);
                            out.printf(Locale.ROOT, "%-24s seed %d %-16s %4d trials (%3d partial) %6.1f s CPU %6.1f s wall;"
                                            + " best validation %s @%.0fs CPU %.4f, @%.0fs %.4f; test %s of the best %.4f%n",
                                    ds, s, mode, r.trials, r.partial, r.cpu.length == 0 ? 0 : r.cpu[r.cpu.length - 1], r.seconds,
                                    metric, cpuBudget / 2, r.bestAt(cpuBudget / 2), cpuBudget, r.bestAt(cpuBudget), metric, test);
                        }
                    }
                }
            }
        } finally {
            try (Stream<Path> w = Files.walk(tmp)) {
                for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        out.println();
        out.println("medians over seeds (validation at CPU checkpoints; test metric of the final best model):");
        out.printf(Locale.ROOT, "| dataset | mode | trials (partial) | best validation @%.0fs CPU | @%.0fs CPU | test |%n",
                cpuBudget / 2, cpuBudget);
        out.println("| --- | --- | --- | --- | --- | --- |");
        List<Double> gains = new ArrayList<>();
        for (String ds : datasets) {
            double popAt = Double.NaN;
            for (String mode : modes) {
                List<Run> rs = runs.stream().filter(r -> r.dataset.equals(ds) && r.mode.equals(mode)).toList();
                double half = median(rs.stream().mapToDouble(r -> r.bestAt(cpuBudget / 2)).toArray());
                double full = median(rs.stream().mapToDouble(r -> r.bestAt(cpuBudget)).toArray());
                double test = median(rs.stream().mapToDouble(Run::test).toArray());
                double trials = median(rs.stream().mapToDouble(Run::trials).toArray());
                double partial = median(rs.stream().mapToDouble(Run::partial).toArray());
                String metric = rs.isEmpty() ? "" : rs.get(0).testMetric;
                out.printf(Locale.ROOT, "| %s (%s) | %s | %.0f (%.0f) | %.4f | %.4f | %.4f |%n", ds, metric, mode, trials, partial,
                        half, full, test);
                if (mode.equals("population")) {
                    popAt = full;
                } else if (mode.equals("halving")) {
                    // gain in the direction of better: positive = halving better
                    boolean higher = !metric.equals("rmse") && !metric.equals("log_loss") && !metric.equals("mae");
                    gains.add(higher ? full - popAt : popAt - full);
                }
            }
        }
        out.printf(Locale.ROOT, "halving median best validation gain@%.0fs: %.4f (per dataset %s; positive = halving better)%n",
                cpuBudget, median(gains.stream().mapToDouble(Double::doubleValue).toArray()),
                gains.stream().map(g -> String.format(Locale.ROOT, "%+.4f", g)).toList());
    }

    private static double testMetric(Metrics m, String metric) {
        return m.names().contains(metric) ? m.get(metric) : Double.NaN;
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    private static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}

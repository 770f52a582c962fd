package io.micromodels.spark;

import io.micromodels.data.PreparedData;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.Study;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.TrialExecutor;
import io.micromodels.tune.TrialOutcome;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TuneData;
import io.micromodels.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (prints, asserts nothing): trials per minute of one seeded random search run as a plain local study and on
 * a Spark standalone cluster of 1 and 2 workers (one core each) on this machine, the same trials each time; and the
 * overhead per trial that Spark adds (driver wall time of a one-trial batch minus the trial's own time on the executor),
 * against the same for the local executor. Arguments: trials (default 16), rows (default 1000), epochs (default 5).
 *
 * <pre>
 * mvn -B -q -pl spark -am test-compile
 * java $(spark.jvm.options) -cp spark/target/test-classes:spark/target/classes:... io.micromodels.spark.SparkTuneBench 16 1000 5
 * </pre>
 */
public final class SparkTuneBench {
    private SparkTuneBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path tmp = Files.createTempDirectory("spark-bench");
        Path csv = TuneData.binaryCsv(tmp, rows, 5);
        System.out.printf(Locale.ROOT, "%d trials of a seeded random search, %d rows, %d epochs (patience %d); cores %d%n",
                trials, rows, epochs, epochs, Runtime.getRuntime().availableProcessors());
        List<String> lines = new ArrayList<>();
        List<TrialRecord> reference = null;
        for (int parallel : new int[] {1, 2}) {
            StudyOptions o = SparkStudies.random(csv, trials).withEpochs(epochs, epochs).withExecution(parallel, parallel);
            // local: a warm-up study first (JIT, ND4J), then the measured one
            try (Study warm = Study.create(tmp.resolve("warm-local-" + parallel), o.withTrials(2))) {
                warm.run(SparkStudies.QUIET);
            }
            long t0 = System.nanoTime();
            List<TrialRecord> local;
            try (Study s = Study.create(tmp.resolve("local-" + parallel), o)) {
                local = s.run(SparkStudies.QUIET);
            }
            double localSec = (System.nanoTime() - t0) / 1e9;
            lines.add(row("local, " + parallel + " thread" + (parallel > 1 ? "s" : ""), trials, localSec, local));
            reference = local;
            try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("cluster-" + parallel), parallel)) {
                try (Study s = Study.create(tmp.resolve("spark-" + parallel), o)) {
                    SparkTrialExecutor spark = SparkTrialExecutor.start(new SparkMaster(cluster.url()), cluster.settings(),
                            s.objective(), false, false);
                    s.setExecutor(spark);
                    cluster.awaitExecutors(spark.context(), parallel);
                    // warm-up on every executor: one trial each (ND4J loads, JIT), not part of the study
                    PreparedData d = s.data();
                    List<MicromodelSpec> warmSpecs = new ArrayList<>();
                    for (int i = 0; i < parallel; i++) {
                        warmSpecs.add(s.space().getValue(new double[s.space().numParameters()]));
                    }
                    spark.run(warmSpecs, d, (x, i) -> { }).forEach(x -> TrainingResult.release(x.network()));
                    long t1 = System.nanoTime();
                    List<TrialRecord> sparkTrials = s.run(SparkStudies.QUIET);
                    double sparkSec = (System.nanoTime() - t1) / 1e9;
                    lines.add(row("Spark standalone, " + parallel + " worker" + (parallel > 1 ? "s" : ""), trials, sparkSec,
                            sparkTrials));
                    SparkStudies.assertSameTrials(local, sparkTrials);
                    if (parallel == 1) {
                        lines.add(overhead("overhead per trial, Spark (1 worker)", spark, s, trials));
                        try (TrialExecutor plain = TrialExecutor.threaded(1)) {
                            lines.add(overhead("overhead per trial, local executor", plain, s, trials));
                        }
                    }
                }
            }
        }
        System.out.println("same trials in every run: yes (" + reference.size() + " trials compared)");
        lines.forEach(System.out::println);
    }

    private static String row(String what, int trials, double seconds, List<TrialRecord> rs) {
        double inTrials = rs.stream().mapToDouble(TrialRecord::seconds).sum();
        return String.format(Locale.ROOT, "%-34s %7.1f s  %6.1f trials/min  (sum of trial times %.1f s)", what, seconds,
                trials * 60 / seconds, inTrials);
    }

    /** Median over one-trial batches of (driver wall time - the trial's own seconds). */
    private static String overhead(String what, TrialExecutor ex, Study s, int n) {
        double[] over = new double[n];
        double[] own = new double[n];
        List<TrialRecord> ts = s.trials();
        for (int i = 0; i < n; i++) {
            MicromodelSpec spec = ts.get(i % ts.size()).spec();
            long t = System.nanoTime();
            TrialOutcome o = ex.run(List.of(spec), s.data(), (x, k) -> { }).get(0);
            double wall = (System.nanoTime() - t) / 1e9;
            TrainingResult.release(o.network());
            over[i] = wall - o.seconds();
            own[i] = o.seconds();
        }
        Arrays.sort(over);
        Arrays.sort(own);
        return String.format(Locale.ROOT, "%-34s median %6.1f ms  (p10 %.1f, p90 %.1f ms; trial itself median %.0f ms; %d trials)",
                what, over[n / 2] * 1e3, over[n / 10] * 1e3, over[n * 9 / 10] * 1e3, own[n / 2] * 1e3, n);
    }
}

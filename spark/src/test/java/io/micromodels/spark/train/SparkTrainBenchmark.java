package io.micromodels.spark.train;

import io.micromodels.data.DataOptions;
import io.micromodels.data.DataPipeline;
import io.micromodels.data.PreparedData;
import io.micromodels.spark.SparkMaster;
import io.micromodels.spark.StandaloneCluster;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.QualityOptions;
import io.micromodels.train.TrainedModel;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Benchmark (prints, asserts nothing): the same spec trained for a fixed number of epochs locally
 * ({@link TrainedModel#train}) and with {@link SparkTraining} on a standalone cluster of 1 and 2 workers (child JVMs on
 * 127.0.0.1, one core each), on a CSV: test AUC and training rows per second (training rows x epochs / training
 * seconds, the driver's preparation and the cluster's start-up not counted).
 *
 * <pre>
 * java $SPARK_JVM_OPTIONS -cp TEST_CLASS_PATH io.micromodels.spark.train.SparkTrainBenchmark FILE.csv TARGET EPOCHS [WORKDIR]
 * java ... SparkTrainBenchmark --synthetic ROWS OUT.csv EPOCHS [WORKDIR]   # writes a seeded transactions CSV first
 * </pre>
 * {@code -Daveraging=N} sets the averaging frequency (default {@value SparkTrainOptions#DEFAULT_AVERAGING_FREQUENCY}),
 * {@code -Dworkers=1,2} the cluster sizes, {@code -Dlocal=false} skips the local run.
 */
public final class SparkTrainBenchmark {
    private SparkTrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path csv;
        String target;
        int epochs;
        Path work;
        if (args[0].equals("--synthetic")) {
            csv = Path.of(args[2]);
            writeSynthetic(csv, Integer.parseInt(args[1]), 7);
            target = "fraud";
            epochs = Integer.parseInt(args[3]);
            work = Path.of(args.length > 4 ? args[4] : "target/spark-bench");
        } else {
            csv = Path.of(args[0]);
            target = args[1];
            epochs = Integer.parseInt(args[2]);
            work = Path.of(args.length > 3 ? args[3] : "target/spark-bench");
        }
        long t0 = System.nanoTime();
        PreparedData data = DataPipeline.prepare(csv, DataOptions.of(target));
        System.out.printf(Locale.ROOT, "%s: %d training rows, %d features, prepared in %.1f s%n", csv,
                data.train().numExamples(), data.pipeline().width(), (System.nanoTime() - t0) / 1e9);
        MicromodelSpec spec = Micromodel.from(TrainedModel.defaultSpec(data)).epochs(epochs).patience(0).seed(1).build();
        int n = data.train().numExamples();
        if (!"false".equals(System.getProperty("local"))) {
            try (TrainedModel m = TrainedModel.train(data, spec, csv.toString())) {
                report("local (one thread)", m, n);
            }
        }
        SparkTrainOptions options = new SparkTrainOptions(Integer.getInteger("averaging", SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY));
        for (String w : System.getProperty("workers", "1,2").split(",")) {
            int workers = Integer.parseInt(w.strip());
            Path dir = Files.createDirectories(work.resolve("cluster-" + workers));
            try (StandaloneCluster cluster = StandaloneCluster.start(dir, workers);
                 JavaSparkContext sc = SparkTraining.context(new SparkMaster(cluster.url()), cluster.settings())) {
                cluster.awaitExecutors(sc, workers);
                try (TrainedModel m = SparkTraining.train(sc, csv, data, spec, csv.toString(), QualityOptions.defaults(),
                        options, System.out::println)) {
                    report("standalone, " + workers + " worker" + (workers > 1 ? "s" : "") + ", averaging every "
                            + options.averagingFrequency(), m, n);
                }
            }
        }
    }

    private static void report(String what, TrainedModel m, int trainRows) {
        var p = m.provenance();
        System.out.printf(Locale.ROOT, "%-46s test AUC %.4f  %d epochs in %.1f s  %.0f training rows/s%n", what,
                m.testMetrics().get("auc"), p.epochsRun(), p.trainingSeconds(), (double) trainRows * p.epochsRun() / p.trainingSeconds());
    }

    /**
     * A seeded card-transactions CSV: amount (log-normal), hour, merchant category (8 levels), distance from home,
     * foreign (yes/no), and a binary {@code fraud} label drawn from a logistic model of them (about 10% positive).
     */
    static void writeSynthetic(Path csv, int rows, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        String[] merchants = {"grocery", "fuel", "travel", "online", "restaurant", "electronics", "pharmacy", "jewellery"};
        double[] risk = {-0.8, -0.4, 0.6, 0.9, -0.3, 0.7, -0.6, 1.2};
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("amount,hour,merchant,distance_km,foreign,fraud\n");
            for (int i = 0; i < rows; i++) {
                double amount = Math.exp(3.5 + 1.1 * r.nextGaussian());
                int hour = r.nextInt(24);
                int m = r.nextInt(merchants.length);
                double distance = Math.abs(15 * r.nextGaussian()) + (r.nextInt(20) == 0 ? 400 * r.nextDouble() : 0);
                boolean foreign = r.nextInt(12) == 0;
                double z = -3.2 + 0.45 * (Math.log(amount) - 3.5) + (hour < 6 ? 0.9 : 0) + risk[m] + 0.004 * distance
                        + (foreign ? 1.0 : 0);
                boolean fraud = r.nextDouble() < 1 / (1 + Math.exp(-z));
                w.write(String.format(Locale.ROOT, "%.2f,%d,%s,%.1f,%s,%s%n", amount, hour, merchants[m], distance,
                        foreign ? "yes" : "no", fraud ? "yes" : "no"));
            }
        }
    }
}

package io.micromodels.bench.explain;

import io.micromodels.data.Datasets;
import io.micromodels.data.PreparedData;
import io.micromodels.explain.Background;
import io.micromodels.explain.BackgroundOptions;
import io.micromodels.explain.BatchModel;
import io.micromodels.explain.Explainer;
import io.micromodels.explain.FeatureGroups;
import io.micromodels.explain.ModelExplainer;
import io.micromodels.explain.ShapExplainer;
import io.micromodels.explain.ShapExplanation;
import io.micromodels.explain.ShapOptions;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainedModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Times SHAP for one explained row, with warm-up and repeats. Two modes (first argument):
 * <ul>
 *   <li>{@code real} (default): real micromodels trained here through {@link TrainedModel#train}
 *       (10-32-32-k, ReLU, a few dozen epochs) and explained through
 *       {@link Explainer#model(TrainedModel)}, i.e. scored by their frozen networks:
 *       <ul>
 *         <li>exact SHAP on diabetes_progression (10 numeric features, regression in original
 *             units), 100 background rows of the training split (target &le; 50 ms per row);</li>
 *         <li>Kernel SHAP on breast_cancer_wdbc (30 numeric features, P(malignant)), 100
 *             background rows, default budget 2*30+2048 coalitions (target &le; 200 ms per row).</li>
 *       </ul>
 *       Explained rows are test-split rows, cycled.</li>
 *   <li>{@code mlp}: the same two cases against a plain-Java MLP stand-in (width-32-32-1, seeded
 *       weights, Gaussian data), with the model alone and the explainer alone (zero-cost model)
 *       timed on the same rows so the explainer's own overhead is visible.</li>
 *   <li>{@code all}: both, {@code mlp} first.</li>
 * </ul>
 * Prints the median, min, quartiles and max wall time in milliseconds and the median thread CPU
 * time (less sensitive to other processes sharing the cores). The last line is the headline.
 *
 * <p>Run (after {@code ./micromodels --help} has built the jars):
 * {@code java -cp "gpu-bench/target/micromodels-gpu-bench-0.1.0-SNAPSHOT.jar:$(cat gpu-bench/target/classpath.txt)"
 * io.micromodels.bench.explain.ShapBenchmark [real|mlp|all] [warmup] [repeats]}
 */
public final class ShapBenchmark {

    private ShapBenchmark() {}

    /** A dense MLP in plain Java: width -> 32 (ReLU) -> 32 (ReLU) -> 1 (sigmoid), seeded weights. */
    static final class Mlp implements BatchModel {
        private final int width;
        private final int h1;
        private final int h2;
        private final double[] w1;   // [width][h1], input-major so the inner loop is contiguous
        private final double[] b1;
        private final double[] w2;   // [h1][h2]
        private final double[] b2;
        private final double[] w3;   // [h2]
        private final double b3;

        Mlp(int width, int h1, int h2, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.width = width;
            this.h1 = h1;
            this.h2 = h2;
            w1 = init(rng, width * h1, Math.sqrt(2.0 / width));
            b1 = init(rng, h1, 0.1);
            w2 = init(rng, h1 * h2, Math.sqrt(2.0 / h1));
            b2 = init(rng, h2, 0.1);
            w3 = init(rng, h2, Math.sqrt(1.0 / h2));
            b3 = 0.05;
        }

        private static double[] init(SplittableRandom rng, int n, double scale) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) w[i] = (rng.nextDouble() * 2 - 1) * scale * Math.sqrt(3);
            return w;
        }

        /** Four rows at a time, so each weight loaded feeds four multiply-adds. */
        @Override
        public double[] predict(double[][] rows) {
            int n = rows.length;
            double[] out = new double[n];
            double[] a = new double[4 * h1];
            double[] c = new double[4 * h2];
            int r = 0;
            for (; r + 4 <= n; r += 4) {
                double[] x0 = rows[r];
                double[] x1 = rows[r + 1];
                double[] x2 = rows[r + 2];
                double[] x3 = rows[r + 3];
                for (int t = 0; t < 4; t++) System.arraycopy(b1, 0, a, t * h1, h1);
                for (int k = 0; k < width; k++) {
                    double p0 = x0[k];
                    double p1 = x1[k];
                    double p2 = x2[k];
                    double p3 = x3[k];
                    int off = k * h1;
                    for (int j = 0; j < h1; j++) {
                        double w = w1[off + j];
                        a[j] += p0 * w;
                        a[h1 + j] += p1 * w;
                        a[2 * h1 + j] += p2 * w;
                        a[3 * h1 + j] += p3 * w;
                    }
                }
                for (int j = 0; j < 4 * h1; j++) a[j] = Math.max(a[j], 0);
                for (int t = 0; t < 4; t++) System.arraycopy(b2, 0, c, t * h2, h2);
                for (int k = 0; k < h1; k++) {
                    double p0 = a[k];
                    double p1 = a[h1 + k];
                    double p2 = a[2 * h1 + k];
                    double p3 = a[3 * h1 + k];
                    int off = k * h2;
                    for (int j = 0; j < h2; j++) {
                        double w = w2[off + j];
                        c[j] += p0 * w;
                        c[h2 + j] += p1 * w;
                        c[2 * h2 + j] += p2 * w;
                        c[3 * h2 + j] += p3 * w;
                    }
                }
                for (int t = 0; t < 4; t++) {
                    double z = b3;
                    for (int j = 0; j < h2; j++) z += Math.max(c[t * h2 + j], 0) * w3[j];
                    out[r + t] = 1 / (1 + Math.exp(-z));
                }
            }
            for (; r < n; r++) out[r] = one(rows[r], a, c);
            return out;
        }

        private double one(double[] x, double[] a, double[] c) {
            System.arraycopy(b1, 0, a, 0, h1);
            for (int k = 0; k < width; k++) {
                for (int j = 0; j < h1; j++) a[j] += x[k] * w1[k * h1 + j];
            }
            System.arraycopy(b2, 0, c, 0, h2);
            for (int k = 0; k < h1; k++) {
                double ak = Math.max(a[k], 0);
                for (int j = 0; j < h2; j++) c[j] += ak * w2[k * h2 + j];
            }
            double z = b3;
            for (int j = 0; j < h2; j++) z += Math.max(c[j], 0) * w3[j];
            return 1 / (1 + Math.exp(-z));
        }
    }

    static double[][] gaussian(int n, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][width];
        for (double[] r : x) {
            for (int j = 0; j < width; j++) {
                r[j] = Math.sqrt(-2 * Math.log(rng.nextDouble(1e-300, 1))) * Math.cos(2 * Math.PI * rng.nextDouble());
            }
        }
        return x;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Sorted wall and thread-CPU milliseconds of the timed repeats, and process CPU ms (all threads, GC included) per repeat. */
    record Timing(double[] wallMs, double[] cpuMs, double processCpuMsPerRepeat) {
        double medianWall() {
            return wallMs[wallMs.length / 2];
        }

        double medianCpu() {
            return cpuMs[cpuMs.length / 2];
        }
    }

    /** Runs {@code body(i)} warmup + repeats times; returns the timed repeats in ms, sorted. */
    static double[] time(int warmup, int repeats, IntConsumer body) {
        return timing(warmup, repeats, body).wallMs();
    }

    /** Runs {@code body(i)} warmup + repeats times; returns wall and thread CPU ms of the repeats, sorted. */
    static Timing timing(int warmup, int repeats, IntConsumer body) {
        for (int i = 0; i < warmup; i++) body.accept(i);
        double[] ms = new double[repeats];
        double[] cpu = new double[repeats];
        long p0 = processCpu();
        for (int i = 0; i < repeats; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            body.accept(warmup + i);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        double process = (processCpu() - p0) / 1e6 / repeats;
        Arrays.sort(ms);
        Arrays.sort(cpu);
        return new Timing(ms, cpu, process);
    }

    private static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    static String summary(double[] sorted) {
        int n = sorted.length;
        return String.format(Locale.ROOT, "median %7.1f ms  [min %6.1f, p25 %6.1f, p75 %6.1f, max %6.1f]  n=%d",
                sorted[n / 2], sorted[0], sorted[n / 4], sorted[(3 * n) / 4], sorted[n - 1], n);
    }

    static volatile double sink;

    static void run(String name, int width, ShapOptions options, double targetMs, int warmup, int repeats) {
        Mlp mlp = new Mlp(width, 32, 32, 11);
        double[][] train = gaussian(2000, width, 12);
        double[][] rows = gaussian(warmup + repeats, width, 13);
        Background bg = Background.random(train, 100, 14);
        FeatureGroups groups = FeatureGroups.indexed(width);
        long[] modelRows = {0};
        int[] calls = {0};
        BatchModel counted = r -> {
            modelRows[0] += r.length;
            calls[0]++;
            return mlp.predict(r);
        };
        ShapExplainer shap = Explainer.shap(counted, bg, groups, options);
        modelRows[0] = 0;
        calls[0] = 0;
        ShapExplanation probe = shap.explain(rows[0]);
        long rowsPerExplain = modelRows[0];
        int callsPerExplain = calls[0];
        double[] shapMs = time(warmup, repeats, i -> sink += shap.explain(rows[i]).output());

        // The model alone on the same number of rows, in the same chunking.
        double[][] block = gaussian((int) Math.min(rowsPerExplain, options.maxRowsPerCall()), width, 15);
        long fullChunks = rowsPerExplain / block.length;
        int tail = (int) (rowsPerExplain % block.length);
        double[][] tailBlock = Arrays.copyOf(block, tail);
        double[] modelMs = time(warmup, repeats, i -> {
            for (long c = 0; c < fullChunks; c++) sink += mlp.predict(block)[0];
            if (tail > 0) sink += mlp.predict(tailBlock)[0];
        });
        // The explainer with a model that costs nothing: row building, weighting, solving.
        ShapExplainer free = Explainer.shap(r -> new double[r.length], bg, groups, options);
        double[] overheadMs = time(warmup, repeats, i -> sink += free.explain(rows[i]).output());

        System.out.printf(Locale.ROOT, "%s%n", name);
        System.out.printf(Locale.ROOT, "  model rows per explained row: %d in %d predict call(s); local accuracy error %.2e%n",
                rowsPerExplain, callsPerExplain, Math.abs(probe.reconstructedOutput() - probe.output()));
        System.out.printf(Locale.ROOT, "  SHAP, one row       : %s  (target <= %.0f ms: %s)%n", summary(shapMs), targetMs,
                shapMs[shapMs.length / 2] <= targetMs ? "met" : "NOT met");
        System.out.printf(Locale.ROOT, "  MLP alone, same rows: %s%n", summary(modelMs));
        System.out.printf(Locale.ROOT, "  explainer overhead  : %s  (zero-cost model)%n", summary(overheadMs));
    }

    /** A 10-32-32-k ReLU micromodel of {@code data}'s task, trained briefly (seeded). */
    static TrainedModel trainReal(PreparedData data, String name) {
        MicromodelSpec spec = Micromodel.from(TrainedModel.linearSpec(data.task(), data.pipeline().width()))
                .dense(32, Activation.RELU).dense(32, Activation.RELU).epochs(60).patience(10).seed(7).build();
        return TrainedModel.train(data, spec, name);
    }

    /** Exact or Kernel SHAP of a real trained micromodel, scored by its frozen network; returns the timing. */
    static Timing runReal(String dataset, String label, double targetMs, int warmup, int repeats) {
        PreparedData data = Datasets.load(dataset).prepare(42);
        try (TrainedModel model = trainReal(data, dataset)) {
            ModelExplainer m = Explainer.model(model);
            Background bg = m.background(data.train().getFeatures(), BackgroundOptions.DEFAULTS);
            long[] modelRows = {0};
            BatchModel frozen = m.model();
            BatchModel counted = r -> {
                modelRows[0] += r.length;
                return frozen.predict(r);
            };
            ShapExplainer shap = Explainer.shap(counted, bg, m.groups(), ShapOptions.DEFAULTS);
            double[][] test = ModelExplainer.rows(data.test().getFeatures());
            modelRows[0] = 0;
            ShapExplanation probe = shap.explain(test[0]);
            long rowsPerExplain = modelRows[0];
            Timing t = timing(warmup, repeats, i -> sink += shap.explain(test[i % test.length]).output());
            // the frozen network alone on the same number of rows
            double[][] block = Arrays.copyOf(bg.rows(), bg.size());
            long calls = rowsPerExplain / block.length;
            Timing net = timing(warmup, repeats, i -> {
                for (long c = 0; c < calls; c++) sink += frozen.predict(block)[0];
            });
            System.out.printf(Locale.ROOT, "%s: %s, %s, %d background rows, %s%n", label, dataset,
                    model.spec().shape(), bg.size(), m.outputName());
            System.out.printf(Locale.ROOT, "  model rows per explained row: %d; local accuracy error %.2e; %d test rows cycled%n",
                    rowsPerExplain, Math.abs(probe.reconstructedOutput() - probe.output()), test.length);
            System.out.printf(Locale.ROOT, "  SHAP, one row          : %s  CPU: thread median %.1f ms, process mean %.1f ms"
                            + "  (target <= %.0f ms: %s)%n", summary(t.wallMs()), t.medianCpu(), t.processCpuMsPerRepeat(),
                    targetMs, t.medianWall() <= targetMs ? "met" : "NOT met");
            System.out.printf(Locale.ROOT, "  frozen net, same rows  : %s  CPU: thread median %.1f ms, process mean %.1f ms%n",
                    summary(net.wallMs()), net.medianCpu(), net.processCpuMsPerRepeat());
            return t;
        }
    }

    public static void main(String[] args) {
        int a = 0;
        String mode = "real";
        if (args.length > 0 && !args[0].matches("\\d+")) {
            mode = args[0];
            a = 1;
        }
        if (!mode.equals("real") && !mode.equals("mlp") && !mode.equals("all")) {
            throw new IllegalArgumentException("mode must be real, mlp or all, got '" + mode + "'");
        }
        int warmup = args.length > a ? Integer.parseInt(args[a]) : 10;
        int repeats = args.length > a + 1 ? Integer.parseInt(args[a + 1]) : 21;
        System.out.printf(Locale.ROOT, "ShapBenchmark %s: warm-up %d, repeats %d, %d available processor(s), java %s%n",
                mode, warmup, repeats, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (!mode.equals("real")) {
            run("exact SHAP, 10 features, 100 background rows, MLP 10-32-32-1",
                    10, ShapOptions.DEFAULTS, 50, warmup, repeats);
            run("Kernel SHAP, 30 features, 100 background rows, default budget 2*30+2048, MLP 30-32-32-1",
                    30, ShapOptions.DEFAULTS, 200, warmup, repeats);
        }
        if (!mode.equals("mlp")) {
            Timing exact = runReal("diabetes_progression", "exact SHAP", 50, warmup, repeats);
            Timing kernel = runReal("breast_cancer_wdbc", "Kernel SHAP", 200, warmup, repeats);
            System.out.printf(Locale.ROOT, "exact SHAP (10 features, 100 background): %.1f ms/row (CPU %.1f); "
                            + "Kernel SHAP (30 features): %.1f ms/row (CPU %.1f)%n",
                    exact.medianWall(), exact.medianCpu(), kernel.medianWall(), kernel.medianCpu());
        }
    }
}

package io.micromodels.bench.inference;

import io.micromodels.bench.Measurer;
import io.micromodels.bench.ReferenceNetwork;
import io.micromodels.frozen.FrozenNetwork;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The frozen half of the inference benchmark, reusable: the reference 10-32-32-2 network, a careful plain-Java
 * timing harness ({@link #measure}) and a programmatic JMH run of {@link FrozenInferenceJmh} ({@link #runJmh}),
 * both returning nanoseconds per row. The DL4J side of the comparison lives elsewhere.
 *
 * <p>Run: {@code java -cp <gpu-bench classpath> io.micromodels.bench.inference.FrozenInferenceBench [--quick] [--no-jmh]}.
 */
public final class FrozenInferenceBench {
    /** Batch size of the batch figures. */
    public static final int BATCH = 1024;

    private FrozenInferenceBench() {
    }

    /**
     * Figures of one measurement, nanoseconds per row: wall-clock time, and the measuring thread's CPU time (which
     * leaves out time the thread spent descheduled, so it is steadier on a shared machine).
     */
    public record Figures(double singleRowNs, double batchRowNs, double singleRowCpuNs, double batchRowCpuNs, int batch, String method) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: single row %.1f ns/row (CPU %.1f), batch-%d %.1f ns/row (CPU %.1f; %.1f us/batch)",
                    method, singleRowNs, singleRowCpuNs, batch, batchRowNs, batchRowCpuNs, batchRowNs * batch / 1000);
        }
    }


    /** The reference micromodel as a frozen network ({@link ReferenceNetwork#frozen}). */
    public static FrozenNetwork referenceNetwork(long seed) {
        return ReferenceNetwork.frozen(seed);
    }

    /** {@code n} rows of standard-normal features, flat {@code [n * width]}. */
    public static double[] randomRows(long seed, int n, int width) {
        Random rnd = new Random(seed);
        double[] x = new double[n * width];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        return x;
    }

    /**
     * Plain-Java figures from the benchmarks' harness ({@link Measurer#rounds}): warms up, then times {@code rounds}
     * interleaved rounds of about {@code roundMillis} each for single-row {@link FrozenNetwork#predict(double[], double[])}
     * over 1024 distinct rows and for {@link FrozenNetwork#predictBatch(double[], int, double[])} of {@code batch} rows,
     * and reports the median round.
     */
    public static Figures measure(FrozenNetwork net, int batch, int rounds, long roundMillis) {
        int in = net.inputWidth();
        int out = net.outputWidth();
        int distinct = 1024;
        double[] rows = randomRows(42, Math.max(distinct, batch), in);
        double[][] single = new double[distinct][in];
        for (int r = 0; r < distinct; r++) System.arraycopy(rows, r * in, single[r], 0, in);
        double[] o = new double[out];
        double[] batchOut = new double[batch * out];
        List<Measurer.Timed> ops = List.of(
                new Measurer.Timed(r -> {
                    net.predict(single[r], o);
                    return o[0];
                }, 1, distinct, distinct),
                new Measurer.Timed(r -> {
                    net.predictBatch(rows, batch, batchOut);
                    return batchOut[r % batch];
                }, batch, 1, 1));
        // warm-up: enough for C2 to compile both paths
        long warmupMillis = Math.max(1000, rounds * roundMillis / 2) / 2;
        List<Measurer.Rounds> f = Measurer.rounds(ops, rounds, roundMillis, warmupMillis);
        return new Figures(f.get(0).medianNs(), f.get(1).medianNs(), f.get(0).cpuNs(), f.get(1).cpuNs(), batch,
                "plain harness, median of " + rounds + " rounds of " + roundMillis + " ms");
    }

    /**
     * Runs {@link FrozenInferenceJmh} with JMH (average time, ns per row) and returns the score of each benchmark,
     * keyed by method name ({@code singleRow}, {@code batch1024}).
     */
    public static Map<String, Double> runJmh(int forks, int warmupIterations, int measurementIterations, TimeValue iterationTime)
            throws RunnerException {
        Options options = new OptionsBuilder()
                .include(FrozenInferenceJmh.class.getName() + "\\.")
                .forks(forks)
                .warmupIterations(warmupIterations)
                .warmupTime(iterationTime)
                .measurementIterations(measurementIterations)
                .measurementTime(iterationTime)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            scores.put(label.substring(label.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        return scores;
    }


    /** Prints the plain-harness and JMH figures for the reference network. */
    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        boolean quick = a.contains("--quick");
        FrozenNetwork net = referenceNetwork(1);
        System.out.println("frozen inference, network " + net.shape() + " (ReLU, softmax), " + net.parameterCount() + " parameters, "
                + Runtime.getRuntime().availableProcessors() + " cores visible, Java " + System.getProperty("java.version"));
        Figures plain = measure(net, BATCH, quick ? 3 : 7, quick ? 200 : 500);
        System.out.println(plain);
        if (!a.contains("--no-jmh")) {
            Map<String, Double> jmh = quick ? runJmh(1, 2, 3, TimeValue.milliseconds(500)) : runJmh(2, 3, 5, TimeValue.seconds(1));
            System.out.println("JMH (" + (quick ? "1 fork, 2x0.5 s warm-up, 3x0.5 s" : "2 forks, 3x1 s warm-up, 5x1 s") + "), ns/row: " + jmh);
        }
    }
}

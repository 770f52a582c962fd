package io.micromodels.tune;

import io.micromodels.frozen.FrozenNetwork;
import io.micromodels.io.Freezer;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.TrainingResult;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a trial's model costs to serve, measured on its frozen form ({@link Freezer#network}: plain Java, no ND4J), for
 * the objectives {@code latency}, {@code rows_per_second} and {@code params} of a multi-objective study
 * ({@link SearchObjective}):
 * <ul>
 *   <li>latency: nanoseconds per row scoring the rows one at a time ({@link FrozenNetwork#predict(double[], double[],
 *       FrozenNetwork.Scratch)});</li>
 *   <li>rows per second: scoring the same rows as one batch ({@link FrozenNetwork#predictBatch(double[], int, double[],
 *       FrozenNetwork.Scratch)});</li>
 *   <li>params: the network's parameter count (weights and biases; exact, not measured).</li>
 * </ul>
 * The rows are the first {@value #ROWS} rows of the validation features (already transformed: the data pipeline, the
 * same for every trial of a study, is left out). Each measurement warms up on {@value #WARMUP_ROWS} rows (passes over
 * the rows, single and batch; {@value #FIRST_WARMUP_ROWS} more the first time an instance measures): each trial's
 * network brings its own widths and activations, which send the JIT back to slower code for a while, and with a
 * short warm-up the first trials of an activation measured several times slower than later ones. It then times
 * {@value #REPEATS} passes and reports the median pass. A pass of a few hundred rows takes well under a millisecond for
 * a micromodel, so a trial's measurement costs some tens of milliseconds.
 *
 * <p>Time is the measuring thread's CPU time ({@link java.lang.management.ThreadMXBean#getCurrentThreadCpuTime()}),
 * falling back to wall-clock time where the JVM cannot tell it: a study measures while other trials train on other
 * threads, and on a loaded machine wall-clock time is dominated by the time the thread waits to be scheduled (on the
 * 2-core machine of {@code gpu-bench/RESULTS.md} at load 40, wall-clock figures of one architecture varied several-fold
 * between trials). CPU time leaves the waiting out, so it measures what the forward pass costs, which is what ranks
 * architectures; a server's latency adds its own queueing on top.
 *
 * <p><b>Latency is noisy</b> all the same: caches shared with other threads, frequency changes and timer granularity
 * remain; the median of repeats removes most outliers but two trials of the same architecture can differ by 10-20% on a
 * loaded machine, and figures from different machines or runs are not comparable. Treat differences of a few percent
 * as ties; {@code params} is the exact, noise-free size objective.
 *
 * <pre>{@code
 * FrozenCost cost = FrozenCost.of(data.validation());
 * FrozenCost.Cost c = cost.measure(spec, network);   // network may be null: built from spec (same architecture)
 * System.out.println(c.latencyNs() + " ns/row, " + c.rowsPerSecond() + " rows/s, " + c.params() + " parameters");
 * }</pre>
 *
 * <p>Not thread-safe: one measurement at a time per instance.
 */
public final class FrozenCost {
    /** Rows timed per pass, at most. */
    public static final int ROWS = 256;
    /** Rows scored (single and batch) to warm up before each measurement. */
    public static final int WARMUP_ROWS = 20_000;
    /** Extra warm-up rows the first time an instance measures. */
    public static final int FIRST_WARMUP_ROWS = 100_000;
    /** Timed passes per measurement; the median is reported. */
    public static final int REPEATS = 15;

    /** shape {@code [n][width]}: the rows, one array each. */
    private final double[][] rows;
    /** shape {@code [n * width]}: the same rows, row-major. */
    private final double[] flat;
    private boolean warm;
    /** Thread CPU time when the JVM supports it, else null (wall-clock time). */
    private final java.lang.management.ThreadMXBean cpu;
    /** Keeps the outputs observable so no pass is optimised away. */
    private double sink;

    /**
     * What one measurement found.
     *
     * @param latencyNs     median nanoseconds per row, one row at a time
     * @param rowsPerSecond median rows per second, one batch
     * @param params        the parameter count
     */
    public record Cost(double latencyNs, double rowsPerSecond, long params) {
    }

    /**
     * @param features shape {@code [n][width]}, {@code n >= 1}: feature rows (the first {@value #ROWS} are used)
     */
    public FrozenCost(double[][] features) {
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("features must have at least one row");
        }
        int n = Math.min(ROWS, features.length);
        int width = features[0].length;
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean supported;
        try {
            supported = bean.isCurrentThreadCpuTimeSupported() && bean.getCurrentThreadCpuTime() >= 0;
        } catch (UnsupportedOperationException e) {
            supported = false;
        }
        this.cpu = supported ? bean : null;
        this.rows = new double[n][];
        this.flat = new double[n * width];
        for (int i = 0; i < n; i++) {
            if (features[i].length != width) {
                throw new IllegalArgumentException("features[" + i + "] has " + features[i].length + " values, row 0 has " + width);
            }
            rows[i] = features[i].clone();
            System.arraycopy(features[i], 0, flat, i * width, width);
        }
    }

    /**
     * @param validation a split whose features ({@code [n, width]}) are timed
     * @return a meter over its first {@value #ROWS} rows
     */
    public static FrozenCost of(DataSet validation) {
        int n = (int) Math.min(ROWS, validation.numExamples());
        return new FrozenCost(validation.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).castTo(DataType.DOUBLE).toDoubleMatrix());
    }

    /** @return rows timed per pass */
    public int rows() {
        return rows.length;
    }

    /**
     * Measures a trial's network.
     *
     * @param spec its architecture
     * @param net  the trained network, or null when the executor kept none (cross-validation): a network is then built
     *             from {@code spec} and initialised (the frozen forward pass costs the same for any weights of an
     *             architecture, up to the zero inputs it skips)
     * @return the cost
     */
    public Cost measure(MicromodelSpec spec, MultiLayerNetwork net) {
        if (net != null) {
            return measure(Freezer.network(spec, net));
        }
        MultiLayerNetwork built = new MultiLayerNetwork(spec.toConfiguration());
        try {
            built.init();
            return measure(Freezer.network(spec, built));
        } finally {
            TrainingResult.release(built);
        }
    }

    /**
     * Measures a frozen network.
     *
     * @param net its input width must be the rows'
     * @return the cost
     */
    public Cost measure(FrozenNetwork net) {
        if (net.inputWidth() != rows[0].length) {
            throw new IllegalArgumentException("the network takes " + net.inputWidth() + " features, the rows have " + rows[0].length);
        }
        FrozenNetwork.Scratch scratch = net.newScratch();
        double[] out = new double[net.outputWidth()];
        double[] batchOut = new double[rows.length * net.outputWidth()];
        int warmup = (WARMUP_ROWS + (warm ? 0 : FIRST_WARMUP_ROWS) + rows.length - 1) / rows.length;
        warm = true;
        for (int w = 0; w < warmup; w++) {
            single(net, out, scratch);
            net.predictBatch(flat, rows.length, batchOut, scratch);
            sink += batchOut[0];
        }
        double[] single = new double[REPEATS];
        double[] batch = new double[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            long t0 = now();
            single(net, out, scratch);
            long t1 = now();
            net.predictBatch(flat, rows.length, batchOut, scratch);
            long t2 = now();
            sink += batchOut[batchOut.length - 1];
            single[r] = (double) Math.max(1, t1 - t0) / rows.length;
            batch[r] = Math.max(1, t2 - t1);
        }
        double batchNs = median(batch);
        return new Cost(median(single), rows.length * 1e9 / batchNs, net.parameterCount());
    }

    /** @return whether times are the thread's CPU time (else wall-clock time) */
    public boolean cpuTime() {
        return cpu != null;
    }

    private long now() {
        return cpu != null ? cpu.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private void single(FrozenNetwork net, double[] out, FrozenNetwork.Scratch scratch) {
        double s = 0;
        for (double[] row : rows) {
            net.predict(row, out, scratch);
            s += out[0];
        }
        sink += s;
    }

    /** The median of {@code v} (the mean of the middle two for an even length); sorts a copy. */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** @return a value depending on every pass, so the JIT cannot drop them (for tests) */
    double sink() {
        return sink;
    }
}

package io.micromodels.bench.inference;

import io.micromodels.frozen.FrozenNetwork;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * JMH benchmark of frozen inference on the reference 10-32-32-2 micromodel (ReLU, softmax). Both benchmarks report
 * average nanoseconds per row: {@link #singleRow} scores one row per call (cycling through 1024 distinct rows),
 * {@link #batch1024} scores 1024 rows per call ({@code @OperationsPerInvocation(1024)}).
 *
 * <p>Run from a built gpu-bench: {@code java -cp <classpath> org.openjdk.jmh.Main FrozenInferenceJmh}, or through
 * {@link FrozenInferenceBench#runJmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrozenInferenceJmh {
    private static final int DISTINCT = 1024;

    private FrozenNetwork net;
    private double[][] rows;
    private double[] flat;
    private double[] out;
    private double[] batchOut;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        net = FrozenInferenceBench.referenceNetwork(1);
        int in = net.inputWidth();
        flat = FrozenInferenceBench.randomRows(42, FrozenInferenceBench.BATCH, in);
        rows = new double[DISTINCT][in];
        for (int r = 0; r < DISTINCT; r++) System.arraycopy(flat, r * in, rows[r], 0, in);
        out = new double[net.outputWidth()];
        batchOut = new double[FrozenInferenceBench.BATCH * net.outputWidth()];
    }

    /** One row per call: {@link FrozenNetwork#predict(double[], double[])}. */
    @Benchmark
    public void singleRow(Blackhole bh) {
        int r = next;
        next = (r + 1) & (DISTINCT - 1);
        net.predict(rows[r], out);
        bh.consume(out[0]);
    }

    /** 1024 rows per call: {@link FrozenNetwork#predictBatch(double[], int, double[])}; score is per row. */
    @Benchmark
    @OperationsPerInvocation(FrozenInferenceBench.BATCH)
    public void batch1024(Blackhole bh) {
        net.predictBatch(flat, FrozenInferenceBench.BATCH, batchOut);
        bh.consume(batchOut[0]);
    }
}

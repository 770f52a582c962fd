package io.micromodels.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * The benchmarks' one timing harness: warm-up followed by repeated timed runs of one operation, in two protocols.
 *
 * <p><b>Repeats</b> ({@link #measure}, {@link #measureInterleaved}): microseconds per iteration.
 * <p>The warm-up runs the operation until both {@link Plan#minWarmupOps()} operations and
 * {@link Plan#warmupMillis()} have passed; the last warm-up operations estimate the cost of
 * one operation, from which the number of operations per repeat is chosen so a repeat lasts
 * about {@link Plan#repeatMillis()}. Each of the {@link Plan#repeats()} repeats yields one sample:
 * its wall-clock time divided by the operations (and by the iterations per operation).
 * The Python peers ({@code gpu-bench/peers/benchutil.py}) follow the same protocol.
 * {@link #measureInterleaved} compares variants with their repeats interleaved, so that a slow
 * spell caused by other processes does not fall on one variant only.
 *
 * <p><b>Time-boxed rounds</b> ({@link #rounds}), for operations of nanoseconds to microseconds (inference): each
 * operation is warmed up for a time, then every round runs each operation in turn for about a round's time, checking
 * the clock only every few calls; per operation, nanoseconds per unit of work (a row): the median, fastest and slowest
 * round of wall-clock time and the median of the measuring thread's CPU time (steadier on a shared machine: it leaves
 * out time spent descheduled). The PyTorch inference peer follows the same protocol.
 *
 * <pre>{@code
 * Measurement m = Measurer.measure(Measurer.Plan.quick(), () -> net.fit(batch), 1);
 * System.out.println(m.median() + " us per iteration");
 * }</pre>
 */
public final class Measurer {

    private Measurer() {
    }

    /**
     * How long to warm up and how to repeat.
     *
     * @param warmupMillis minimum warm-up time
     * @param minWarmupOps minimum warm-up operations
     * @param repeatMillis target duration of one repeat
     * @param repeats      number of repeats (samples)
     */
    public record Plan(long warmupMillis, int minWarmupOps, long repeatMillis, int repeats) {
        public Plan {
            if (repeats < 1 || minWarmupOps < 1 || repeatMillis < 1 || warmupMillis < 0) {
                throw new IllegalArgumentException("invalid measurement plan");
            }
        }

        /** 300 ms warm-up (at least 10 operations), 5 repeats of about 60 ms. */
        public static Plan quick() {
            return new Plan(300, 10, 60, 5);
        }

        /** 1.5 s warm-up (at least 30 operations), 11 repeats of about 250 ms. */
        public static Plan full() {
            return new Plan(1500, 30, 250, 11);
        }

        /** The plan of a suite size. */
        public static Plan of(SuiteSize size) {
            return size == SuiteSize.FULL ? full() : quick();
        }
    }

    /**
     * One operation to measure in {@link #measureInterleaved}.
     *
     * @param prepare    run (untimed) before its warm-up and before each of its repeats, e.g. to
     *                   re-apply process-wide settings; may be a no-op
     * @param op         the operation to time
     * @param itersPerOp iterations one call of {@code op} performs
     */
    public record Op(Runnable prepare, Runnable op, int itersPerOp) {
        public Op(Runnable op, int itersPerOp) {
            this(() -> { }, op, itersPerOp);
        }
    }

    /**
     * Warms up and measures {@code op}.
     *
     * @param plan          warm-up and repeats
     * @param op            the operation to time
     * @param itersPerOp    iterations one call of {@code op} performs (1 usually; the number of
     *                      batches when one call is one epoch), so samples are per iteration
     * @return microseconds per iteration
     */
    public static Measurement measure(Plan plan, Runnable op, int itersPerOp) {
        return measureInterleaved(plan, List.of(new Op(op, itersPerOp))).get(0);
    }

    /**
     * Measures several operations with their repeats interleaved (repeat 1 of each, then repeat 2
     * of each, ...), so that slow spells caused by other load on the machine hit all of them alike;
     * use it to compare variants. Each operation is warmed up and its repeat length sized first.
     *
     * @return microseconds per iteration, in the order of {@code ops}
     */
    public static List<Measurement> measureInterleaved(Plan plan, List<Op> ops) {
        return measureInterleaved(plan, ops, System::nanoTime);
    }

    /** {@link #measureInterleaved(Plan, List)} on a given clock (nanoseconds), so the arithmetic is testable exactly. */
    static List<Measurement> measureInterleaved(Plan plan, List<Op> ops, java.util.function.LongSupplier clock) {
        long[] perRepeat = new long[ops.size()];
        for (int k = 0; k < ops.size(); k++) {
            Op o = ops.get(k);
            o.prepare().run();
            perRepeat[k] = warmUp(plan, o.op(), clock);
        }
        double[][] samples = new double[ops.size()][plan.repeats()];
        for (int r = 0; r < plan.repeats(); r++) {
            for (int k = 0; k < ops.size(); k++) {
                Op o = ops.get(k);
                o.prepare().run();
                Runnable op = o.op();
                long n = perRepeat[k];
                long s = clock.getAsLong();
                for (long i = 0; i < n; i++) op.run();
                samples[k][r] = (clock.getAsLong() - s) / 1e3 / (n * (double) o.itersPerOp());
            }
        }
        List<Measurement> out = new ArrayList<>(ops.size());
        for (double[] s : samples) out.add(Measurement.of(s));
        return out;
    }

    /** Warms {@code op} up and returns how many calls make one repeat of about {@code repeatMillis}. */
    private static long warmUp(Plan plan, Runnable op, java.util.function.LongSupplier clock) {
        long warmupEnd = clock.getAsLong() + plan.warmupMillis() * 1_000_000L;
        int done = 0;
        long lastNanos = 1;
        while (done < plan.minWarmupOps() || clock.getAsLong() < warmupEnd) {
            long t0 = clock.getAsLong();
            op.run();
            lastNanos = Math.max(1, clock.getAsLong() - t0);
            done++;
        }
        // Estimate the cost of one op on a short block (a single op is too noisy to size repeats).
        int probe = (int) Math.max(1, Math.min(1000, (plan.repeatMillis() * 1_000_000L / 4) / lastNanos));
        long t0 = clock.getAsLong();
        for (int i = 0; i < probe; i++) op.run();
        double perOp = (double) (clock.getAsLong() - t0) / probe;
        return Math.max(1, Math.round(plan.repeatMillis() * 1e6 / Math.max(1.0, perOp)));
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Results of timed calls, kept so the JIT cannot drop the work. */
    private static volatile double sink;

    /**
     * One operation of a time-boxed run.
     *
     * @param call          does the work for input {@code i} (cycling through {@code 0 .. cycle-1}) and returns a value
     *                      read from its result (summed into a sink, so the work cannot be optimised away)
     * @param unitsPerCall  units of work (rows) one call does
     * @param cycle         distinct inputs the calls cycle through, a power of two
     * @param callsPerCheck calls between two readings of the clock
     */
    public record Timed(IntToDoubleFunction call, int unitsPerCall, int cycle, int callsPerCheck) {
        public Timed {
            if (unitsPerCall < 1 || cycle < 1 || Integer.bitCount(cycle) != 1 || callsPerCheck < 1) {
                throw new IllegalArgumentException("unitsPerCall and callsPerCheck must be >= 1 and cycle a power of two, got "
                        + unitsPerCall + ", " + callsPerCheck + ", " + cycle);
            }
        }
    }

    /**
     * Figures of one operation timed in rounds, nanoseconds per unit of work.
     *
     * @param medianNs median over rounds of wall-clock time
     * @param minNs    fastest round
     * @param maxNs    slowest round
     * @param cpuNs    median over rounds of the measuring thread's CPU time (wall-clock time where the JVM cannot
     *                 measure thread CPU time)
     * @param calls    calls timed in all rounds
     */
    public record Rounds(double medianNs, double minNs, double maxNs, double cpuNs, long calls) {
    }

    /**
     * Warms each operation up for {@code warmupMillis}, then runs {@code rounds} interleaved rounds (round k runs every
     * operation for about {@code roundMillis}, in order, before round k+1 starts).
     *
     * @return the figures, in the order of {@code ops}
     */
    public static List<Rounds> rounds(List<Timed> ops, int rounds, long roundMillis, long warmupMillis) {
        if (rounds < 1 || roundMillis < 1 || warmupMillis < 0) {
            throw new IllegalArgumentException("rounds and roundMillis must be >= 1 and warmupMillis >= 0, got " + rounds
                    + ", " + roundMillis + ", " + warmupMillis);
        }
        int m = ops.size();
        long[] r = new long[3];
        for (Timed op : ops) {
            runFor(op, warmupMillis * 1_000_000L, r);
        }
        double[][] wall = new double[m][rounds];
        double[][] cpu = new double[m][rounds];
        long[] calls = new long[m];
        for (int k = 0; k < rounds; k++) {
            for (int j = 0; j < m; j++) {
                runFor(ops.get(j), roundMillis * 1_000_000L, r);
                double units = (double) r[0] * ops.get(j).unitsPerCall();
                wall[j][k] = r[1] / units;
                cpu[j][k] = r[2] / units;
                calls[j] += r[0];
            }
        }
        List<Rounds> out = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            double[] w = wall[j].clone();
            Arrays.sort(w);
            out.add(new Rounds(median(wall[j]), w[0], w[w.length - 1], median(cpu[j]), calls[j]));
        }
        return out;
    }

    /** Calls {@code op} for about {@code nanos}; result: {calls, wall ns, thread CPU ns}. */
    private static void runFor(Timed op, long nanos, long[] result) {
        IntToDoubleFunction call = op.call();
        int inner = op.callsPerCheck();
        int mask = op.cycle() - 1;
        long n = 0;
        double s = 0;
        int i = 0;
        long c0 = threadCpuNanos();
        long t0 = System.nanoTime();
        long end = t0 + nanos;
        long t;
        do {
            for (int k = 0; k < inner; k++) {
                s += call.applyAsDouble(i);
                i = (i + 1) & mask;
            }
            n += inner;
        } while ((t = System.nanoTime()) < end);
        long c1 = threadCpuNanos();
        sink += s;
        result[0] = n;
        result[1] = t - t0;
        result[2] = c1 - c0;
    }

    /** The calling thread's CPU time in nanoseconds (wall-clock time where the JVM cannot measure it). */
    public static long threadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** The median (the mean of the middle two for an even count). */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

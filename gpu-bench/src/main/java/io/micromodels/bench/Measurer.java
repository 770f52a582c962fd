package io.micromodels.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Warm-up followed by repeated timed runs of one operation.
 *
 * <p>The warm-up runs the operation until both {@link Plan#minWarmupOps()} operations and
 * {@link Plan#warmupMillis()} have passed; the last warm-up operations estimate the cost of
 * one operation, from which the number of operations per repeat is chosen so a repeat lasts
 * about {@link Plan#repeatMillis()}. Each of the {@link Plan#repeats()} repeats yields one sample:
 * its wall-clock time divided by the operations (and by the iterations per operation).
 * The Python peers ({@code gpu-bench/peers/benchutil.py}) follow the same protocol.
 * {@link #measureInterleaved} compares variants with their repeats interleaved, so that a slow
 * spell caused by other processes does not fall on one variant only.
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
}

package io.micromodels.bench.hpo;

import io.micromodels.tune.bayes.BayesOptions;
import io.micromodels.tune.bayes.Dimension;
import io.micromodels.tune.bayes.MultiObjectiveOptimizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cost of one {@link MultiObjectiveOptimizer#propose} call (issue 15): a fresh optimiser (default options, 6 continuous
 * dimensions) given {@code n} ZDT1 observations at seeded uniform random points, proposing a batch of {@code q}; CPU
 * milliseconds of the calling thread (the optimiser runs on it), mean over {@code --reps} seeds, after one unrecorded
 * call per size that compiles the code paths.
 *
 * <p>Usage: {@code MultiObjectiveProposalCost [--n 50,100,200,500] [--q 1,4] [--reps 3] [--d 6]}. Last line:
 * {@code mo ms per proposal call@500: q=1 X, q=4 Y}.
 */
public final class MultiObjectiveProposalCost {
    private MultiObjectiveProposalCost() {
    }

    public static void main(String[] args) {
        List<Integer> ns = List.of(50, 100, 200, 500);
        List<Integer> qs = List.of(1, 4);
        int reps = 3;
        int d = 6;
        for (Map.Entry<String, String> flag : io.micromodels.bench.Flags.pairs(args)) {
            String v = flag.getValue();
            switch (flag.getKey()) {
                case "--n" -> ns = List.of(v.split(",")).stream().map(Integer::valueOf).toList();
                case "--q" -> qs = List.of(v.split(",")).stream().map(Integer::valueOf).toList();
                case "--reps" -> reps = Integer.parseInt(v);
                case "--d" -> d = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + flag.getKey()
                        + "; usage: [--n 50,100,200,500] [--q 1,4] [--reps R] [--d D]");
            }
        }
        List<Dimension> space = Collections.nCopies(d, Dimension.continuous());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "MultiObjectiveOptimizer.propose, ZDT1, %d dimensions, fresh optimiser per call,"
                + " CPU ms of the calling thread, mean of %d seeds%n", d, reps);
        System.out.println("| n | " + String.join(" | ", qs.stream().map(q -> "q=" + q).toList()) + " |");
        System.out.println("|" + " --- |".repeat(qs.size() + 1));
        double[] at500 = new double[qs.size()];
        for (int n : ns) {
            StringBuilder row = new StringBuilder("| " + n + " |");
            for (int qi = 0; qi < qs.size(); qi++) {
                int q = qs.get(qi);
                call(space, n, q, 1000, mx); // warm-up, not recorded
                double sum = 0;
                for (int r = 0; r < reps; r++) {
                    sum += call(space, n, q, r, mx);
                }
                double mean = sum / reps;
                row.append(String.format(Locale.ROOT, " %.1f |", mean));
                if (n == 500) {
                    at500[qi] = mean;
                }
            }
            System.out.println(row);
        }
        if (ns.contains(500)) {
            StringBuilder last = new StringBuilder("mo ms per proposal call@500:");
            for (int qi = 0; qi < qs.size(); qi++) {
                last.append(String.format(Locale.ROOT, "%s q=%d %.1f", qi == 0 ? "" : ",", qs.get(qi), at500[qi]));
            }
            System.out.println(last);
        }
    }

    /** CPU milliseconds of one propose call with {@code n} observations. */
    private static double call(List<Dimension> space, int n, int q, long seed, ThreadMXBean mx) {
        SplittableRandom rng = new SplittableRandom(seed * 7919 + n);
        List<double[]> points = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[space.size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextDouble();
            }
            points.add(x);
            values.add(zdt1(x));
        }
        MultiObjectiveOptimizer optimizer = new MultiObjectiveOptimizer(space, BayesOptions.defaults(space.size()), seed);
        long t0 = mx.getCurrentThreadCpuTime();
        List<double[]> batch = optimizer.propose(points, values, List.of(), q);
        double ms = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
        if (batch.size() != q) {
            throw new IllegalStateException("asked for " + q + " points, got " + batch.size());
        }
        return ms;
    }

    /** ZDT1 in {@code d} coordinates: a convex front {@code f2 = 1 - sqrt(f1)} at {@code x[1..] = 0}. */
    static double[] zdt1(double[] x) {
        double sum = 0;
        for (int j = 1; j < x.length; j++) {
            sum += x[j];
        }
        double g = 1 + 9 * sum / (x.length - 1);
        return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
    }
}

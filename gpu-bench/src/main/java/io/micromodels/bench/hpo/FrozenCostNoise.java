package io.micromodels.bench.hpo;

import io.micromodels.bench.MachineFacts;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.FrozenCost;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How noisy the {@code latency} objective of a multi-objective study is ({@link FrozenCost}, as {@code tune --objectives
 * auc,latency} measures each trial): a few micromodel architectures on German-credit-sized inputs (60 features), each
 * measured {@code rounds} times, the architectures interleaved round by round (as a study's trials follow each other,
 * with other activations and widths in between), on one meter (warm after the first measurement). Prints, per
 * architecture, its multiply-adds per row, the median latency and its spread (max/min over the rounds), and the same
 * for rows per second.
 *
 * <p>Run: {@code java -cp <gpu-bench classpath> io.micromodels.bench.hpo.FrozenCostNoise [rounds]} (default 7).
 */
public final class FrozenCostNoise {
    private FrozenCostNoise() {
    }

    /** Prints the table. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int inputs = 60;
        List<MicromodelSpec> specs = List.of(
                spec(inputs, Activation.ELU, 8),
                spec(inputs, Activation.RELU, 49),
                spec(inputs, Activation.ELU, 10, 10, 10),
                spec(inputs, Activation.TANH, 92, 92),
                spec(inputs, Activation.RELU, 65, 65, 65));
        SplittableRandom r = new SplittableRandom(42);
        double[][] rows = new double[256][inputs];
        for (double[] row : rows) {
            for (int j = 0; j < inputs; j++) {
                row[j] = r.nextDouble() < 0.3 ? 0 : r.nextGaussian();
            }
        }
        FrozenCost meter = new FrozenCost(rows);
        double[][] latency = new double[specs.size()][rounds];
        double[][] perSecond = new double[specs.size()][rounds];
        for (int k = 0; k < rounds; k++) {
            for (int s = 0; s < specs.size(); s++) {
                FrozenCost.Cost c = meter.measure(specs.get(s), null);
                latency[s][k] = c.latencyNs();
                perSecond[s][k] = c.rowsPerSecond();
            }
        }
        System.out.println("FrozenCost noise: " + rounds + " interleaved measurements per architecture, " + FrozenCost.ROWS
                + " rows of " + inputs + " features, " + (meter.cpuTime() ? "thread CPU time" : "wall-clock time") + "; "
                + MachineFacts.collectHostOnly().summary() + ", load " + MachineFacts.loadAverageNow());
        System.out.printf(Locale.ROOT, "%-22s %8s %14s %8s %16s %8s%n", "network", "MACs/row", "latency ns/row", "max/min",
                "rows/s (batch)", "max/min");
        for (int s = 0; s < specs.size(); s++) {
            System.out.printf(Locale.ROOT, "%-22s %8d %14.1f %8.2f %16.0f %8.2f%n", specs.get(s).shape(), macs(specs.get(s)),
                    median(latency[s]), spread(latency[s]), median(perSecond[s]), spread(perSecond[s]));
        }
    }

    static MicromodelSpec spec(int inputs, Activation a, int... widths) {
        Micromodel b = Micromodel.classifier(2).input(inputs);
        for (int w : widths) {
            b = b.dense(w, a);
        }
        return b.adam(0.01).build();
    }

    static long macs(MicromodelSpec s) {
        long total = 0;
        int in = s.inputs();
        List<Integer> widths = new ArrayList<>();
        s.hidden().forEach(h -> widths.add(h.width()));
        widths.add(s.outputs());
        for (int w : widths) {
            total += (long) in * w;
            in = w;
        }
        return total;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double spread(double[] v) {
        return Arrays.stream(v).max().orElseThrow() / Arrays.stream(v).min().orElseThrow();
    }
}

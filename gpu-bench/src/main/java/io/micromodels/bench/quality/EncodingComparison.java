package io.micromodels.bench.quality;

import io.micromodels.backend.Backend;
import io.micromodels.data.BundledDataset;
import io.micromodels.data.Datasets;
import io.micromodels.data.Normalization;
import io.micromodels.data.PreparedData;
import io.micromodels.frozen.TaskKind;
import io.micromodels.train.TrainedModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which numeric encoding the default micromodel should use: on each bundled dataset and split seed, the default
 * micromodel (two ReLU layers 32-16, Adam 3e-3, early stopping; seeded with the split seed) trained once per encoding
 * on the same split, its test metrics (binary: ROC AUC and accuracy; multiclass: accuracy; regression: RMSE), mean ±
 * sd over seeds, and the paired difference of each encoding to the first one (same seed, same split) mean ± sd.
 *
 * <pre>
 * java ... io.micromodels.bench.quality.EncodingComparison [--seeds 5] [--datasets a,b]
 *     [--encodings standardize,piecewise_linear,quantile]
 * </pre>
 */
public final class EncodingComparison {
    private EncodingComparison() {
    }

    public static void main(String[] args) {
        int seeds = 5;
        List<String> names = Datasets.names();
        List<Normalization> encodings = List.of(Normalization.STANDARDIZE, Normalization.PIECEWISE_LINEAR, Normalization.QUANTILE);
        for (java.util.Map.Entry<String, String> flag : io.micromodels.bench.Flags.pairs(args)) {
            String a = flag.getKey();
            String v = flag.getValue();
            switch (a) {
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--datasets" -> names = Arrays.asList(v.split(","));
                case "--encodings" -> encodings = Arrays.stream(v.split(",")).map(Normalization::parse).toList();
                default -> throw new IllegalArgumentException("unknown option " + a + "; use --seeds N, --datasets a,b, --encodings a,b");
            }
        }
        if (seeds < 1 || seeds > 100) {
            throw new IllegalArgumentException("--seeds must be in [1, 100], got " + seeds);
        }
        System.out.println(Backend.current().summary());
        System.out.printf(Locale.ROOT, "default micromodel per numeric encoding, %d split seeds (42..%d); paired differences vs %s%n",
                seeds, 41 + seeds, name(encodings.get(0)));
        System.out.printf(Locale.ROOT, "%-24s %-9s %-17s %-20s %-24s %8s%n", "dataset", "metric", "encoding", "test mean ± sd",
                "paired diff ± sd", "seconds");
        for (String dataset : names) {
            BundledDataset d = Datasets.load(dataset);
            // metric -> encoding -> per-seed values
            Map<String, Map<Normalization, List<Double>>> values = new LinkedHashMap<>();
            Map<Normalization, List<Double>> secs = new LinkedHashMap<>();
            for (int s = 0; s < seeds; s++) {
                long seed = 42 + s;
                for (Normalization n : encodings) {
                    long t0 = System.nanoTime();
                    PreparedData data = d.prepare(d.options().withSeed(seed).withNormalization(n));
                    TaskKind kind = data.pipeline().task().kind();
                    List<String> metrics = kind == TaskKind.BINARY ? List.of("auc", "accuracy")
                            : kind == TaskKind.MULTICLASS ? List.of("accuracy") : List.of("rmse");
                    try (TrainedModel m = TrainedModel.train(data, TrainedModel.defaultSpec(data).withSeed(seed), dataset)) {
                        for (String metric : metrics) {
                            double v = m.testMetrics().get(metric);
                            values.computeIfAbsent(metric, k -> new LinkedHashMap<>()).computeIfAbsent(n, k -> new ArrayList<>()).add(v);
                        }
                    }
                    double sec = (System.nanoTime() - t0) / 1e9;
                    secs.computeIfAbsent(n, k -> new ArrayList<>()).add(sec);
                    System.err.printf(Locale.ROOT, "  ... %s seed %d %s: %s (%.1f s)%n", dataset, seed, name(n),
                            values.keySet().stream().map(k -> k + " " + String.format(Locale.ROOT, "%.4f",
                                    values.get(k).get(n).get(values.get(k).get(n).size() - 1))).toList(), sec);
                }
            }
            for (Map.Entry<String, Map<Normalization, List<Double>>> e : values.entrySet()) {
                List<Double> ref = e.getValue().get(encodings.get(0));
                for (Normalization n : encodings) {
                    List<Double> v = e.getValue().get(n);
                    String diff = "";
                    if (n != encodings.get(0)) {
                        List<Double> d2 = new ArrayList<>();
                        for (int i = 0; i < v.size(); i++) {
                            d2.add(v.get(i) - ref.get(i));
                        }
                        diff = QualityBenchmark.pm(d2);
                    }
                    System.out.printf(Locale.ROOT, "%-24s %-9s %-17s %-20s %-24s %8.1f%n", dataset, e.getKey(), name(n),
                            QualityBenchmark.pm(v), diff, QualityBenchmark.mean(secs.get(n)));
                }
            }
            System.out.flush();
        }
    }

    private static String name(Normalization n) {
        return n.name().toLowerCase(Locale.ROOT);
    }
}

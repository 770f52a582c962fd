package io.micromodels.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One measured configuration: who ran it, with how many threads, on which parameters, and
 * its {@link Measurement} in microseconds per operation.
 *
 * <pre>{@code
 * Result r = new Result("train", "DL4J", "default", 2,
 *         Result.params("width", 32, "batch", 64), m, 64, "");
 * r.throughput();  // samples per second at the median
 * }</pre>
 *
 * @param suite          suite name, e.g. {@code train}
 * @param implementation e.g. {@code DL4J}, {@code PyTorch}, {@code sklearn}
 * @param variant        the settings, e.g. {@code default}, {@code tuned}, {@code ws=NONE}
 * @param threads        compute threads used (OpenMP / intra-op threads); always stated
 * @param params         grid parameters in display order, e.g. width and batch
 * @param measurement    microseconds per operation
 * @param itemsPerOp     items (samples, rows) one operation handles, for the throughput
 * @param note           free text, empty if none
 */
public record Result(String suite, String implementation, String variant, int threads,
                     Map<String, String> params, Measurement measurement, double itemsPerOp, String note) {

    public Result {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(implementation, "implementation");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(measurement, "measurement");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        note = note == null ? "" : note;
    }

    /** Ordered parameters from alternating keys and values: {@code params("width", 32, "batch", 64)}. */
    public static Map<String, String> params(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("keys and values must alternate");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(String.valueOf(keysAndValues[i]), String.valueOf(keysAndValues[i + 1]));
        }
        return m;
    }

    /** Items per second at the median. */
    public double throughput() {
        return measurement.throughput(itemsPerOp);
    }

    /** The named parameter, or empty if absent. */
    public String param(String key) {
        return params.getOrDefault(key, "");
    }
}

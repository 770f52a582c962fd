package io.micromodels.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Summary statistics of repeated timings of one operation, in microseconds per operation.
 *
 * <p>Each sample is the mean time of one repeat (many operations timed together, divided by
 * their count). Quartiles use linear interpolation between order statistics (the "type 7"
 * definition, as NumPy's default {@code percentile} and R's default {@code quantile}):
 * for sorted samples {@code x[0..n-1]} the p-quantile is at position {@code h = (n-1)p},
 * {@code x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)])}. The median is the
 * 0.5-quantile, so for an even count it is the mean of the two middle samples.
 *
 * <pre>{@code
 * Measurement m = Measurement.of(new double[] {5, 1, 3, 2, 4});
 * m.median();  // 3.0
 * m.iqr();     // q3 - q1 = 4 - 2 = 2.0
 * }</pre>
 *
 * @param n       number of samples (repeats)
 * @param median  median microseconds per operation
 * @param min     fastest repeat
 * @param max     slowest repeat
 * @param q1      first quartile
 * @param q3      third quartile
 * @param samples the samples in measurement order
 */
public record Measurement(int n, double median, double min, double max, double q1, double q3,
                          List<Double> samples) {

    public Measurement {
        if (n < 1) throw new IllegalArgumentException("a measurement needs at least one sample");
        samples = List.copyOf(samples);
    }

    /** Statistics of the given samples (microseconds per operation); at least one sample. */
    public static Measurement of(double... samples) {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("a measurement needs at least one sample");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Measurement(sorted.length, quantile(sorted, 0.5), sorted[0], sorted[sorted.length - 1],
                quantile(sorted, 0.25), quantile(sorted, 0.75), Arrays.stream(samples).boxed().toList());
    }

    /** Statistics of the given samples (microseconds per operation). */
    public static Measurement of(List<? extends Number> samples) {
        return of(samples.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** Interquartile range {@code q3 - q1}. */
    public double iqr() {
        return q3 - q1;
    }

    /** Items per second at the median, when one operation handles {@code itemsPerOp} items. */
    public double throughput(double itemsPerOp) {
        return itemsPerOp * 1e6 / median;
    }

    /** The p-quantile (0..1) of already sorted values, type-7 linear interpolation. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

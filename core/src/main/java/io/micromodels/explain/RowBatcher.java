package io.micromodels.explain;

import java.util.Arrays;

/**
 * Feeds synthetic rows to a {@link BatchModel} in chunks of at most {@code maxRowsPerCall}, built
 * into one preallocated {@code [chunk][width]} buffer that is reused for every chunk (and every
 * explained row when the batcher is reused). Not thread-safe.
 */
final class RowBatcher {

    /** Fills synthetic row {@code index} into {@code row} (shape [width]); must write every column. */
    @FunctionalInterface
    interface Filler {
        void fill(int index, double[] row);
    }

    private final BatchModel model;
    private final int width;
    private final int maxRowsPerCall;
    private double[][] buffer = new double[0][];
    private long calls;

    RowBatcher(BatchModel model, int width, int maxRowsPerCall) {
        this.model = model;
        this.width = width;
        this.maxRowsPerCall = maxRowsPerCall;
    }

    /** Model calls made so far. */
    long calls() {
        return calls;
    }

    /** Receives the outputs of rows {@code start .. start+n-1} in {@code y[0 .. n-1]}. */
    @FunctionalInterface
    interface Sink {
        void accept(int start, double[] y, int n);
    }

    /** Evaluates {@code count} synthetic rows; returns outputs of shape [count]. */
    double[] evaluate(int count, Filler filler) {
        double[] out = new double[count];
        evaluate(count, filler, (start, y, n) -> System.arraycopy(y, 0, out, start, n));
        return out;
    }

    /** Evaluates {@code count} synthetic rows, handing each chunk's outputs to {@code sink}. */
    void evaluate(int count, Filler filler, Sink sink) {
        int chunk = Math.min(count, maxRowsPerCall);
        if (buffer.length < chunk) {
            int old = buffer.length;
            buffer = Arrays.copyOf(buffer, chunk);
            for (int i = old; i < chunk; i++) buffer[i] = new double[width];
        }
        for (int start = 0; start < count; start += chunk) {
            int n = Math.min(chunk, count - start);
            double[][] rows = n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
            for (int i = 0; i < n; i++) filler.fill(start + i, rows[i]);
            double[] y = model.predict(rows);
            calls++;
            if (y == null || y.length != n) {
                throw new IllegalStateException("model returned " + (y == null ? "null" : y.length + " outputs")
                        + " for " + n + " rows");
            }
            sink.accept(start, y, n);
        }
    }
}

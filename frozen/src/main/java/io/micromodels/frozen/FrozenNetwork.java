package io.micromodels.frozen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A feed-forward stack of {@link FrozenLayer dense layers} compiled to plain Java arrays: the inference
 * half of a DL4J {@code MultiLayerNetwork} made of {@code DenseLayer}s and an {@code OutputLayer}, with no
 * DL4J/ND4J dependency and no native code.
 *
 * <p>Shapes: a row of features is {@code double[inputWidth()]}; its output is {@code double[outputWidth()]}
 * (class probabilities after a {@link Activation#SOFTMAX} output layer, a probability after
 * {@link Activation#SIGMOID}, raw values after {@link Activation#IDENTITY}). Batches are flattened row-major:
 * {@code n} rows of features are {@code double[n * inputWidth()]} and their outputs
 * {@code double[n * outputWidth()]}.
 *
 * <h2>Numerics</h2>
 * Every operation is done in {@code double}; float32 weights copied out of DL4J convert to {@code double}
 * exactly, so the only rounding is double rounding (relative ~1e-16 per operation). DL4J computes the same
 * formula in float32: it rounds the inputs to float (relative error ≤ 2^-24 ≈ 6e-8) and each dot product of
 * length {@code n} carries a rounding error of at most about {@code n · 2^-24 · Σ|x_i W_ij|} (typically
 * {@code √n} times smaller), which the activations pass on with Lipschitz constant ≤ 1 (sigmoid ≤ 1/4; softmax
 * ≤ 1 in max-norm). For standardised inputs and He-scaled 10-32-32-k networks an emulation of DL4J's float32
 * arithmetic (in the tests) differs from this class by at most 4e-7 on softmax probabilities and 2e-6 on identity
 * outputs of magnitude up to 7, inside a 1e-5 tolerance; outputs of large magnitude (e.g. an un-normalised regression target
 * of order 1e3) differ from float32 by ~1e-4 absolute because float32 itself only has ~7 digits, so compare
 * those with a relative tolerance. Results here are deterministic: the same input gives bitwise identical
 * output on every thread and in single-row and batch scoring.
 *
 * <h2>Threads and allocation</h2>
 * Instances are immutable and thread-safe. {@link #predict(double[], double[])} and
 * {@link #predictBatch(double[], int, double[])} allocate nothing after a thread's first call: they use
 * per-thread scratch buffers (a {@link ThreadLocal}), or caller-supplied {@link Scratch}.
 *
 * <pre>{@code
 * FrozenNetwork net = FrozenNetwork.of(
 *         FrozenLayer.dense(w0, b0, Activation.RELU),      // w0: [10][32], b0: [32]
 *         FrozenLayer.dense(w1, b1, Activation.SOFTMAX));  // w1: [32][2],  b1: [2]
 * double[] probabilities = new double[net.outputWidth()];
 * net.predict(features, probabilities);                    // features: [10]
 * }</pre>
 */
public final class FrozenNetwork {
    /*
     * Batch scoring works on blocks of rows held feature-major (one array per feature, one slot per row), so the inner
     * loops run over the rows of a block and vectorise well; each weight is loaded once per block. Block size:
     * as many rows as fit BLOCK_VALUES values of the widest layer, clamped to [MIN_BLOCK_ROWS, MAX_BLOCK_ROWS]
     * (128 rows, about 80 KB of scratch, for a 10-32-32-2 network).
     */
    static final int MAX_BLOCK_ROWS = 128;
    static final int MIN_BLOCK_ROWS = 8;
    static final int BLOCK_VALUES = 1 << 15;

    private final FrozenLayer[] layers;
    private final int inputWidth;
    private final int outputWidth;
    /** Widest intermediate (non-final) output; 1 if there is a single layer. */
    private final int hiddenWidth;
    private final ThreadLocal<Scratch> scratch;

    private FrozenNetwork(FrozenLayer[] layers) {
        if (layers.length == 0) throw new IllegalArgumentException("network: needs at least one layer");
        for (int k = 0; k < layers.length; k++) {
            if (layers[k] == null) throw new IllegalArgumentException("network: layer " + k + " is null");
        }
        for (int k = 1; k < layers.length; k++) {
            if (layers[k].nIn() != layers[k - 1].nOut()) {
                throw new IllegalArgumentException("network: layer " + k + " (" + layers[k] + ") expects input shape ["
                        + layers[k].nIn() + "] but layer " + (k - 1) + " (" + layers[k - 1] + ") outputs shape ["
                        + layers[k - 1].nOut() + "]");
            }
        }
        int hidden = 1;
        for (int k = 0; k < layers.length - 1; k++) hidden = Math.max(hidden, layers[k].nOut());
        this.layers = layers;
        this.inputWidth = layers[0].nIn();
        this.outputWidth = layers[layers.length - 1].nOut();
        this.hiddenWidth = hidden;
        this.scratch = ThreadLocal.withInitial(this::newScratch);
    }

    /** A network of the given layers, first to last; consecutive widths must match. */
    public static FrozenNetwork of(List<FrozenLayer> layers) {
        return new FrozenNetwork(Objects.requireNonNull(layers, "layers").toArray(new FrozenLayer[0]));
    }

    /** A network of the given layers, first to last; consecutive widths must match. */
    public static FrozenNetwork of(FrozenLayer... layers) {
        return new FrozenNetwork(Objects.requireNonNull(layers, "layers").clone());
    }

    /** The layers, first to last (unmodifiable). */
    public List<FrozenLayer> layers() {
        return Collections.unmodifiableList(Arrays.asList(layers));
    }

    /** Number of input features, {@code layers().get(0).nIn()}. */
    public int inputWidth() {
        return inputWidth;
    }

    /** Number of outputs, {@code nOut} of the last layer. */
    public int outputWidth() {
        return outputWidth;
    }

    /** Total number of weights and biases. */
    public int parameterCount() {
        int n = 0;
        for (FrozenLayer l : layers) n += l.parameterCount();
        return n;
    }

    /** The widths, e.g. {@code "10-32-32-2"}. */
    public String shape() {
        StringBuilder sb = new StringBuilder().append(inputWidth);
        for (FrozenLayer l : layers) sb.append('-').append(l.nOut());
        return sb.toString();
    }

    /** Per-thread scratch for the forward pass; see {@link #predict(double[], double[], Scratch)}. */
    public Scratch newScratch() {
        return new Scratch(inputWidth, hiddenWidth, outputWidth);
    }

    /**
     * Scores one row, allocation-free after the calling thread's first call.
     *
     * @param features {@code [inputWidth()]}, not modified
     * @param out      {@code [outputWidth()]}, overwritten
     */
    public void predict(double[] features, double[] out) {
        checkRow(features, out);
        forward(features, 0, out, 0, scratch.get());
    }

    /**
     * Scores one row using caller-supplied scratch (which must not be used by two threads at once).
     *
     * @param features {@code [inputWidth()]}, not modified
     * @param out      {@code [outputWidth()]}, overwritten
     * @param scratch  from {@link #newScratch()} of this or an identically shaped network
     */
    public void predict(double[] features, double[] out, Scratch scratch) {
        checkRow(features, out);
        checkScratch(scratch);
        forward(features, 0, out, 0, scratch);
    }

    /** Scores one row into a new array {@code [outputWidth()]}. */
    public double[] predict(double[] features) {
        double[] out = new double[outputWidth];
        predict(features, out);
        return out;
    }

    /**
     * Scores a batch of rows.
     *
     * @param rows {@code [n][inputWidth()]}
     * @return {@code [n][outputWidth()]}
     */
    public double[][] predictBatch(double[][] rows) {
        Objects.requireNonNull(rows, "rows");
        int n = rows.length;
        double[] flat = new double[n * inputWidth];
        for (int r = 0; r < n; r++) {
            double[] row = rows[r];
            if (row == null) throw new IllegalArgumentException("rows[" + r + "] is null");
            if (row.length != inputWidth) {
                throw new IllegalArgumentException("rows[" + r + "] has shape [" + row.length + "], expected ["
                        + inputWidth + "] (the network's input width)");
            }
            System.arraycopy(row, 0, flat, r * inputWidth, inputWidth);
        }
        double[] out = new double[n * outputWidth];
        predictBatch(flat, n, out);
        double[][] result = new double[n][];
        for (int r = 0; r < n; r++) result[r] = Arrays.copyOfRange(out, r * outputWidth, (r + 1) * outputWidth);
        return result;
    }

    /**
     * Scores {@code n} rows stored flat, several rows per pass over the weights; allocation-free after the
     * calling thread's first call. Results are bitwise identical to {@link #predict(double[], double[])} row by row.
     *
     * @param features {@code [n * inputWidth()]} or longer, row {@code r} at {@code r * inputWidth()}
     * @param n        number of rows, {@code >= 0}
     * @param out      {@code [n * outputWidth()]} or longer, row {@code r} at {@code r * outputWidth()}; overwritten
     */
    public void predictBatch(double[] features, int n, double[] out) {
        predictBatch(features, n, out, scratch.get());
    }

    /** As {@link #predictBatch(double[], int, double[])}, with caller-supplied scratch. */
    public void predictBatch(double[] features, int n, double[] out, Scratch scratch) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(out, "out");
        checkScratch(scratch);
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (features.length < (long) n * inputWidth) {
            throw new IllegalArgumentException("features has length " + features.length + ", expected at least n * inputWidth = "
                    + n + " * " + inputWidth + " = " + ((long) n * inputWidth));
        }
        if (out.length < (long) n * outputWidth) {
            throw new IllegalArgumentException("out has length " + out.length + ", expected at least n * outputWidth = "
                    + n + " * " + outputWidth + " = " + ((long) n * outputWidth));
        }
        final int block = scratch.blockRows;
        for (int r = 0; r < n; r += block) {
            forwardBlock(features, r * inputWidth, Math.min(block, n - r), out, r * outputWidth, scratch);
        }
    }

    /** This thread's scratch. */
    Scratch threadScratch() {
        return scratch.get();
    }

    /** Unchecked single-row forward pass: {@code in[inOff ..]} to {@code out[outOff .. outOff + outputWidth)}. */
    void forward(double[] in, int inOff, double[] out, int outOff, Scratch s) {
        final FrozenLayer[] ls = layers;
        final int last = ls.length - 1;
        if (last == 0) {
            ls[0].forward(in, inOff, s.out);
        } else {
            double[] cur = s.a;
            double[] next = s.b;
            ls[0].forward(in, inOff, cur);
            for (int k = 1; k < last; k++) {
                ls[k].forward(cur, 0, next);
                double[] t = cur;
                cur = next;
                next = t;
            }
            ls[last].forward(cur, 0, s.out);
        }
        System.arraycopy(s.out, 0, out, outOff, outputWidth);
    }

    /** Unchecked batch forward pass of {@code rows <= blockRows} rows, row-major in and out, feature-major inside. */
    private void forwardBlock(double[] in, int inOff, int rows, double[] out, int outOff, Scratch s) {
        final FrozenLayer[] ls = layers;
        final int last = ls.length - 1;
        final int nIn = inputWidth;
        final double[][] x = s.blockIn;
        for (int i = 0; i < nIn; i++) {
            final double[] xi = x[i];
            for (int r = 0, p = inOff + i; r < rows; r++, p += nIn) xi[r] = in[p];
        }
        double[][] cur = x;
        double[][] next = s.blockA;
        for (int k = 0; k < last; k++) {
            ls[k].forwardColumns(cur, rows, next);
            double[][] t = cur == x ? s.blockB : cur;
            cur = next;
            next = t;
        }
        final double[][] y = s.blockOut;
        ls[last].forwardColumns(cur, rows, y);
        final int nOut = outputWidth;
        for (int j = 0; j < nOut; j++) {
            final double[] yj = y[j];
            for (int r = 0, p = outOff + j; r < rows; r++, p += nOut) out[p] = yj[r];
        }
    }

    private void checkRow(double[] features, double[] out) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(out, "out");
        if (features.length != inputWidth) {
            throw new IllegalArgumentException("features has shape [" + features.length + "], expected [" + inputWidth
                    + "] (the network's input width)");
        }
        if (out.length != outputWidth) {
            throw new IllegalArgumentException("out has shape [" + out.length + "], expected [" + outputWidth
                    + "] (the network's output width)");
        }
    }

    private void checkScratch(Scratch s) {
        Objects.requireNonNull(s, "scratch");
        if (s.inputWidth != inputWidth || s.hiddenWidth != hiddenWidth || s.outputWidth != outputWidth) {
            throw new IllegalArgumentException("scratch was made for widths in/hidden/out " + s.inputWidth + "/" + s.hiddenWidth + "/"
                    + s.outputWidth + ", this network needs " + inputWidth + "/" + hiddenWidth + "/" + outputWidth
                    + "; use newScratch() of this network");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrozenNetwork n && Arrays.equals(layers, n.layers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(layers);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (FrozenLayer l : layers) parts.add(l.toString());
        return "FrozenNetwork " + shape() + " " + parts;
    }

    /**
     * Working memory for one thread's forward passes. Obtain from {@link FrozenNetwork#newScratch()}; never share
     * one between threads running at the same time.
     */
    public static final class Scratch {
        final int hiddenWidth;
        final int inputWidth;
        final int outputWidth;
        final double[] a;
        final double[] b;
        final double[] out;
        final int blockRows;
        final double[][] blockIn;
        final double[][] blockA;
        final double[][] blockB;
        final double[][] blockOut;

        Scratch(int inputWidth, int hiddenWidth, int outputWidth) {
            this.hiddenWidth = hiddenWidth;
            this.inputWidth = inputWidth;
            this.outputWidth = outputWidth;
            this.a = new double[hiddenWidth];
            this.b = new double[hiddenWidth];
            this.out = new double[outputWidth];
            int widest = Math.max(inputWidth, Math.max(hiddenWidth, outputWidth));
            this.blockRows = Math.max(MIN_BLOCK_ROWS, Math.min(MAX_BLOCK_ROWS, BLOCK_VALUES / widest));
            this.blockIn = new double[inputWidth][blockRows];
            this.blockA = new double[hiddenWidth][blockRows];
            this.blockB = new double[hiddenWidth][blockRows];
            this.blockOut = new double[outputWidth][blockRows];
        }
    }
}

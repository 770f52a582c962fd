package io.micromodels.frozen;

import java.util.Arrays;
import java.util.Objects;

/**
 * One dense (fully connected) layer, {@code out = activation(in · W + b)}, exactly as DL4J's
 * {@code DenseLayer} / {@code OutputLayer} compute it at inference (dropout inactive).
 *
 * <p>Shapes: {@code in} is {@code [nIn]}, {@code W} is {@code [nIn][nOut]} (DL4J's shape for the
 * {@code "W"} parameter), {@code b} is {@code [nOut]}, {@code out} is {@code [nOut]}. The weights are
 * stored row-major, one contiguous array per input row {@code W[i]}, so the inner loops of the forward pass walk
 * contiguous memory and vectorise (see the kernel notes in the source).
 *
 * <p>Instances are immutable: factories copy the arrays they are given and accessors return copies.
 * Every weight and bias must be finite.
 */
public final class FrozenLayer {
    private final int nIn;
    private final int nOut;
    private final double[][] rows;  // [nIn][nOut]: rows[i][j] = W[i][j]
    private final double[] bias;    // [nOut]
    private final Activation activation;
    private final double alpha;

    private FrozenLayer(int nIn, int nOut, double[] weights, double[] bias, Activation activation, double alpha) {
        Objects.requireNonNull(activation, "activation");
        if (nIn < 1) throw new IllegalArgumentException("dense layer: nIn must be >= 1, got " + nIn);
        if (nOut < 1) throw new IllegalArgumentException("dense layer: nOut must be >= 1, got " + nOut);
        if ((long) nIn * nOut > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("dense layer: nIn * nOut = " + ((long) nIn * nOut) + " is too large");
        }
        Objects.requireNonNull(bias, "bias");
        if (weights.length != nIn * nOut) {
            throw new IllegalArgumentException("dense layer " + nIn + "->" + nOut + ": weights has " + weights.length
                    + " values, expected nIn * nOut = " + (nIn * nOut));
        }
        if (bias.length != nOut) {
            throw new IllegalArgumentException("dense layer " + nIn + "->" + nOut + ": bias has shape [" + bias.length
                    + "], expected [" + nOut + "] (nOut)");
        }
        for (int k = 0; k < weights.length; k++) {
            if (!Double.isFinite(weights[k])) {
                throw new IllegalArgumentException("dense layer " + nIn + "->" + nOut + ": weight W[" + (k / nOut) + "]["
                        + (k % nOut) + "] is not finite: " + weights[k]);
            }
        }
        for (int j = 0; j < nOut; j++) {
            if (!Double.isFinite(bias[j])) {
                throw new IllegalArgumentException("dense layer " + nIn + "->" + nOut + ": bias b[" + j + "] is not finite: " + bias[j]);
            }
        }
        if (activation.parametric()) {
            if (!Double.isFinite(alpha)) {
                throw new IllegalArgumentException("dense layer " + nIn + "->" + nOut + ": " + activation + " alpha must be finite, got " + alpha);
            }
        } else if (alpha != 0.0) {
            throw new IllegalArgumentException("dense layer " + nIn + "->" + nOut + ": " + activation
                    + " takes no alpha, so alpha must be 0, got " + alpha);
        }
        this.nIn = nIn;
        this.nOut = nOut;
        this.rows = new double[nIn][];
        for (int i = 0; i < nIn; i++) this.rows[i] = Arrays.copyOfRange(weights, i * nOut, (i + 1) * nOut);
        this.bias = bias;
        this.activation = activation;
        this.alpha = alpha;
    }

    /**
     * A dense layer from a weight matrix of DL4J's shape, with the activation's default alpha.
     *
     * @param weights    {@code [nIn][nOut]}, rectangular
     * @param bias       {@code [nOut]}
     * @param activation activation applied to {@code in · W + b}
     */
    public static FrozenLayer dense(double[][] weights, double[] bias, Activation activation) {
        return dense(weights, bias, activation, Objects.requireNonNull(activation, "activation").defaultAlpha());
    }

    /**
     * A dense layer from a weight matrix of DL4J's shape.
     *
     * @param weights    {@code [nIn][nOut]}, rectangular
     * @param bias       {@code [nOut]}
     * @param activation activation applied to {@code in · W + b}
     * @param alpha      parameter of {@link Activation#LEAKYRELU} / {@link Activation#ELU}; must be 0 for the others
     */
    public static FrozenLayer dense(double[][] weights, double[] bias, Activation activation, double alpha) {
        Objects.requireNonNull(weights, "weights");
        if (weights.length == 0) throw new IllegalArgumentException("dense layer: weights has no rows (nIn = 0)");
        int nIn = weights.length;
        Objects.requireNonNull(weights[0], "weights[0]");
        int nOut = weights[0].length;
        double[] flat = new double[nIn * nOut];
        for (int i = 0; i < nIn; i++) {
            double[] row = weights[i];
            if (row == null) throw new IllegalArgumentException("dense layer: weights row " + i + " is null");
            if (row.length != nOut) {
                throw new IllegalArgumentException("dense layer: weights row " + i + " has " + row.length
                        + " values, expected " + nOut + " (nOut, the length of row 0)");
            }
            System.arraycopy(row, 0, flat, i * nOut, nOut);
        }
        return new FrozenLayer(nIn, nOut, flat, Objects.requireNonNull(bias, "bias").clone(), activation, alpha);
    }

    /**
     * A dense layer from weights flattened row-major: {@code W[i][j]} at {@code weights[i * nOut + j]}.
     *
     * @param weights {@code [nIn * nOut]}
     * @param bias    {@code [nOut]}
     */
    public static FrozenLayer ofRowMajor(int nIn, int nOut, double[] weights, double[] bias, Activation activation, double alpha) {
        return new FrozenLayer(nIn, nOut, Objects.requireNonNull(weights, "weights").clone(),
                Objects.requireNonNull(bias, "bias").clone(), activation, alpha);
    }

    /**
     * A dense layer from weights flattened column-major ('f' order, as in DL4J's flattened parameter
     * view): {@code W[i][j]} at {@code weights[j * nIn + i]}.
     *
     * @param weights {@code [nIn * nOut]}
     * @param bias    {@code [nOut]}
     */
    public static FrozenLayer ofColumnMajor(int nIn, int nOut, double[] weights, double[] bias, Activation activation, double alpha) {
        Objects.requireNonNull(weights, "weights");
        if (nIn < 1 || nOut < 1 || weights.length != (long) nIn * nOut) {
            // Let the constructor produce the standard message.
            return new FrozenLayer(nIn, nOut, weights.clone(), Objects.requireNonNull(bias, "bias").clone(), activation, alpha);
        }
        double[] flat = new double[nIn * nOut];
        for (int j = 0; j < nOut; j++) {
            for (int i = 0; i < nIn; i++) flat[i * nOut + j] = weights[j * nIn + i];
        }
        return new FrozenLayer(nIn, nOut, flat, Objects.requireNonNull(bias, "bias").clone(), activation, alpha);
    }

    /** Input width. */
    public int nIn() {
        return nIn;
    }

    /** Output width. */
    public int nOut() {
        return nOut;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    /** The activation's parameter ({@code 0} for activations that take none). */
    public double alpha() {
        return alpha;
    }

    /** One weight, {@code W[i][j]}, {@code 0 <= i < nIn}, {@code 0 <= j < nOut}. */
    public double weight(int i, int j) {
        Objects.checkIndex(i, nIn);
        Objects.checkIndex(j, nOut);
        return rows[i][j];
    }

    /** A copy of the weights, shape {@code [nIn][nOut]}. */
    public double[][] weights() {
        double[][] w = new double[nIn][];
        for (int i = 0; i < nIn; i++) w[i] = rows[i].clone();
        return w;
    }

    /** A copy of the bias, shape {@code [nOut]}. */
    public double[] bias() {
        return bias.clone();
    }

    /** Number of parameters, {@code nIn * nOut + nOut}. */
    public int parameterCount() {
        return nIn * nOut + nOut;
    }

    /*
     * Kernels. Weights are kept as one array per input row, W[i] = rows[i] of length nOut, and every vector loop
     * indexes its arrays with the same offset (y[j] += x_i * W[i][j]; y_j[r] += W[i][j] * x_i[r]). HotSpot C2 (JDK 17)
     * only vectorises such a loop when it can rule out overlap between the arrays it reads and writes, which it cannot
     * do for two double[] accessed at different unknown offsets (e.g. one flat weight array at i * nOut + j): that form
     * runs scalar, about 1.5x slower here.
     */

    /**
     * Single-row forward pass: {@code y[0 .. nOut) = act(x[xo .. xo+nIn) · W + b)}. Accumulates {@code x_i W_ij} in
     * ascending {@code i} (starting from {@code x_0 W_0j}), then adds the bias, as DL4J does (gemm, then bias).
     */
    void forward(double[] x, int xo, double[] y) {
        final int nOut = this.nOut;
        final double[][] w = this.rows;
        final double x0 = x[xo];
        final double[] w0 = w[0];
        for (int j = 0; j < nOut; j++) y[j] = x0 * w0[j];
        for (int i = 1; i < nIn; i++) {
            final double xi = x[xo + i];
            final double[] wi = w[i];
            for (int j = 0; j < nOut; j++) y[j] += xi * wi[j];
        }
        final double[] b = this.bias;
        for (int j = 0; j < nOut; j++) y[j] += b[j];
        if (activation == Activation.SOFTMAX) {
            Activation.softmax(y, 0, nOut);
        } else {
            activation.apply(y, 0, nOut, alpha);
        }
    }

    /**
     * {@link #forward} that skips zero inputs (the one-hot columns of a row are mostly zero): the same sums without
     * their zero terms, so the same values (a zero output may differ in sign). Used for an ensemble's fused first
     * layer.
     */
    void forwardSkippingZeros(double[] x, int xo, double[] y) {
        final int nOut = this.nOut;
        final double[][] w = this.rows;
        java.util.Arrays.fill(y, 0, nOut, 0.0);
        for (int i = 0; i < nIn; i++) {
            final double xi = x[xo + i];
            if (xi == 0.0) {
                continue;
            }
            final double[] wi = w[i];
            for (int j = 0; j < nOut; j++) y[j] += xi * wi[j];
        }
        final double[] b = this.bias;
        for (int j = 0; j < nOut; j++) y[j] += b[j];
        if (activation == Activation.SOFTMAX) {
            Activation.softmax(y, 0, nOut);
        } else {
            activation.apply(y, 0, nOut, alpha);
        }
    }

    /**
     * Forward pass for {@code rows} rows stored feature-major: {@code x[i][r]} is feature {@code i} of row {@code r},
     * {@code y[j][r]} receives output {@code j} of row {@code r}. The vector loops run over rows, so they are long.
     * Same operations in the same order as {@link #forward}: bitwise identical results.
     */
    void forwardColumns(double[][] x, int rows, double[][] y) {
        final double[][] w = this.rows;
        final double[] x0 = x[0];
        for (int j = 0; j < nOut; j++) {
            final double[] yj = y[j];
            final double w0j = w[0][j];
            for (int r = 0; r < rows; r++) yj[r] = x0[r] * w0j;
            for (int i = 1; i < nIn; i++) {
                final double[] xi = x[i];
                final double wij = w[i][j];
                for (int r = 0; r < rows; r++) yj[r] += xi[r] * wij;
            }
            final double bj = bias[j];
            for (int r = 0; r < rows; r++) yj[r] += bj;
            if (activation != Activation.SOFTMAX) activation.apply(yj, 0, rows, alpha);
        }
        if (activation == Activation.SOFTMAX) Activation.softmaxColumns(y, nOut, rows);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrozenLayer l && nIn == l.nIn && nOut == l.nOut && activation == l.activation
                && Double.compare(alpha, l.alpha) == 0 && Arrays.deepEquals(rows, l.rows) && Arrays.equals(bias, l.bias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nIn, nOut, activation, alpha, Arrays.deepHashCode(rows), Arrays.hashCode(bias));
    }

    @Override
    public String toString() {
        return "dense " + nIn + "->" + nOut + " " + activation + (activation.parametric() ? "(alpha=" + alpha + ")" : "");
    }
}

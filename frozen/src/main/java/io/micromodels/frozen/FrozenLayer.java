package io.micromodels.frozen;

import java.util.Arrays;
import java.util.Objects;

/**
 * One dense (fully connected) layer, {@code out = activation(in · W + b)}, exactly as DL4J's
 * {@code DenseLayer} / {@code OutputLayer} compute it at inference (dropout inactive).
 *
 * <p>Shapes: {@code in} is {@code [nIn]}, {@code W} is {@code [nIn][nOut]} (DL4J's shape for the
 * {@code "W"} parameter), {@code b} is {@code [nOut]}, {@code out} is {@code [nOut]}. The weights are
 * stored flattened row-major ({@code W[i][j]} at {@code i * nOut + j}) so the inner loop of the forward
 * pass walks them contiguously.
 *
 * <p>Instances are immutable: factories copy the arrays they are given and accessors return copies.
 * Every weight and bias must be finite.
 */
public final class FrozenLayer {
    private final int nIn;
    private final int nOut;
    private final double[] weights; // row-major [nIn * nOut]
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
        this.weights = weights;
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
        return weights[i * nOut + j];
    }

    /** A copy of the weights, shape {@code [nIn][nOut]}. */
    public double[][] weights() {
        double[][] w = new double[nIn][];
        for (int i = 0; i < nIn; i++) w[i] = Arrays.copyOfRange(weights, i * nOut, (i + 1) * nOut);
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

    // Package-private, unchecked: the hot path reads the arrays directly.
    double[] weightsRowMajor() {
        return weights;
    }

    double[] biasArray() {
        return bias;
    }

    /**
     * Forward pass for one row: {@code y[yo .. yo+nOut) = act(x[xo .. xo+nIn) · W + b)}.
     * Accumulates {@code sum_i x_i W_ij} in ascending {@code i}, then adds the bias (DL4J's order: gemm, then add
     * the bias row). Zero inputs (common after ReLU) are skipped; that changes at most the sign of a zero sum.
     */
    void forward(double[] x, int xo, double[] y, int yo) {
        final int nOut = this.nOut;
        final double[] w = this.weights;
        final double[] b = this.bias;
        final double x0 = x[xo];
        for (int j = 0; j < nOut; j++) y[yo + j] = x0 * w[j];
        for (int i = 1, wo = nOut; i < nIn; i++, wo += nOut) {
            final double xi = x[xo + i];
            if (xi == 0.0) continue;
            for (int j = 0; j < nOut; j++) y[yo + j] += xi * w[wo + j];
        }
        for (int j = 0; j < nOut; j++) y[yo + j] += b[j];
        activation.apply(y, yo, nOut, alpha);
    }

    /**
     * Forward pass for {@code rows} consecutive rows: {@code x} holds them at stride {@code nIn} from {@code xo},
     * {@code y} receives them at stride {@code nOut} from {@code yo}. Each weight row is loaded once per block of rows.
     * Same summation order as {@link #forward} (bitwise identical results).
     */
    void forwardBlock(double[] x, int xo, int rows, double[] y, int yo) {
        final int nIn = this.nIn;
        final int nOut = this.nOut;
        final double[] w = this.weights;
        final double[] b = this.bias;
        for (int r = 0; r < rows; r++) {
            final double x0 = x[xo + r * nIn];
            final int ro = yo + r * nOut;
            for (int j = 0; j < nOut; j++) y[ro + j] = x0 * w[j];
        }
        for (int i = 1, wo = nOut; i < nIn; i++, wo += nOut) {
            for (int r = 0; r < rows; r++) {
                final double xi = x[xo + r * nIn + i];
                if (xi == 0.0) continue;
                final int ro = yo + r * nOut;
                for (int j = 0; j < nOut; j++) y[ro + j] += xi * w[wo + j];
            }
        }
        for (int r = 0; r < rows; r++) {
            final int ro = yo + r * nOut;
            for (int j = 0; j < nOut; j++) y[ro + j] += b[j];
            activation.apply(y, ro, nOut, alpha);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrozenLayer l && nIn == l.nIn && nOut == l.nOut && activation == l.activation
                && Double.compare(alpha, l.alpha) == 0 && Arrays.equals(weights, l.weights) && Arrays.equals(bias, l.bias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nIn, nOut, activation, alpha, Arrays.hashCode(weights), Arrays.hashCode(bias));
    }

    @Override
    public String toString() {
        return "dense " + nIn + "->" + nOut + " " + activation + (activation.parametric() ? "(alpha=" + alpha + ")" : "");
    }
}

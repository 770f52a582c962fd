package io.micromodels.frozen;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;

/**
 * The project's one activation type: a hidden layer's activation in a spec, and the element-wise activation of a
 * {@link FrozenLayer}, with the same names and maths as the DL4J {@code org.nd4j.linalg.activations.Activation}
 * constants of the same name, so a converter can map them with {@code valueOf(a.name())} either way.
 *
 * <p>JSON: in specs and search spaces the lower-case {@link #jsonName()} ({@code "relu"}, the Jackson spelling of
 * this enum); the frozen model format writes the constant name ({@code "RELU"}), as it always has. {@link #SOFTMAX}
 * is an output activation only: hidden layers take the others ({@link #hiddenLayer()}).
 *
 * <p>{@link #LEAKYRELU} and {@link #ELU} take a parameter {@code alpha} (DL4J defaults 0.01 and 1.0);
 * the others take none and their layers store {@code alpha = 0}. {@link #SOFTMAX} works on the whole
 * layer output vector rather than element-wise.
 */
public enum Activation {
    /** {@code f(x) = x}. */
    @JsonProperty("identity") IDENTITY(false, 0.0),
    /** {@code f(x) = max(0, x)}. */
    @JsonProperty("relu") RELU(false, 0.0),
    /** {@code f(x) = x} for {@code x >= 0}, {@code alpha * x} otherwise (DL4J default alpha 0.01). */
    @JsonProperty("leakyrelu") LEAKYRELU(true, 0.01),
    /** {@code f(x) = x} for {@code x > 0}, {@code alpha * (exp(x) - 1)} otherwise (DL4J default alpha 1.0). */
    @JsonProperty("elu") ELU(true, 1.0),
    /** {@code f(x) = tanh(x)}. */
    @JsonProperty("tanh") TANH(false, 0.0),
    /** {@code f(x) = 1 / (1 + exp(-x))}. */
    @JsonProperty("sigmoid") SIGMOID(false, 0.0),
    /** {@code f(x)_j = exp(x_j - max x) / sum_k exp(x_k - max x)} over the layer's outputs. */
    @JsonProperty("softmax") SOFTMAX(false, 0.0);

    private final boolean parametric;
    private final double defaultAlpha;

    Activation(boolean parametric, double defaultAlpha) {
        this.parametric = parametric;
        this.defaultAlpha = defaultAlpha;
    }

    /** The lower-case name used in spec JSON and on the command line, e.g. {@code relu}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a hidden layer may use it (all but {@link #SOFTMAX}, which works on a whole output vector). */
    public boolean hiddenLayer() {
        return this != SOFTMAX;
    }

    /** The activations a hidden layer may use, in declaration order. */
    public static java.util.List<Activation> hiddenLayerActivations() {
        return Arrays.stream(values()).filter(Activation::hiddenLayer).toList();
    }

    /**
     * Parses a hidden layer's activation by its {@link #jsonName()}, e.g. {@code relu}.
     *
     * @throws IllegalArgumentException naming the allowed values and the value
     */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.hiddenLayer() && a.jsonName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation must be one of " + hiddenLayerActivations().stream()
                .map(Activation::jsonName).toList() + ", got '" + name + "'");
    }

    /** Whether this activation uses the layer's {@code alpha} parameter. */
    public boolean parametric() {
        return parametric;
    }

    /** DL4J's default {@code alpha} for this activation ({@code 0} when it takes none). */
    public double defaultAlpha() {
        return defaultAlpha;
    }

    /**
     * Applies this element-wise activation in place to {@code v[off .. off+n)}; not for {@link #SOFTMAX}. The
     * piecewise ones are written branch-free: their sign is random, and a mispredicted branch per value cost more
     * than the arithmetic.
     *
     * @param v     values, overwritten
     * @param off   first index
     * @param n     number of values
     * @param alpha parameter of {@link #LEAKYRELU} / {@link #ELU}, ignored otherwise
     */
    void apply(double[] v, int off, int n, double alpha) {
        int end = off + n;
        switch (this) {
            case IDENTITY -> { }
            case RELU -> reluInPlace(v, off, end);
            case LEAKYRELU -> leakyReluInPlace(v, off, end, alpha);
            case ELU -> eluInPlace(v, off, end, alpha);
            case TANH -> tanhInPlace(v, off, end);
            case SIGMOID -> sigmoidInPlace(v, off, end);
            case SOFTMAX -> throw new IllegalStateException("softmax is not element-wise");
        }
    }

    // One small method per activation, so that each inlines into its caller (a single large switch method did not,
    // and neither did a per-element helper called from it).

    private static void reluInPlace(double[] v, int from, int to) {
        for (int i = from; i < to; i++) {
            long bits = Double.doubleToRawLongBits(v[i]);
            v[i] = Double.longBitsToDouble(bits & ~(bits >> 63)); // clears negatives (and -0.0) without a branch
        }
    }

    private static void leakyReluInPlace(double[] v, int from, int to, double alpha) {
        if (alpha >= 0.0 && alpha <= 1.0) {
            // x >= 0: x >= alpha x; x < 0: alpha x > x. So max(x, alpha x) is exactly the piecewise value.
            for (int i = from; i < to; i++) v[i] = Math.max(v[i], alpha * v[i]);
        } else {
            for (int i = from; i < to; i++) v[i] = v[i] >= 0.0 ? v[i] : alpha * v[i];
        }
    }

    private static void eluInPlace(double[] v, int from, int to, double alpha) {
        // x > 0: x + alpha expm1(0) = x; x <= 0: 0 + alpha expm1(x).
        for (int i = from; i < to; i++) {
            double x = v[i];
            v[i] = Math.max(x, 0.0) + alpha * Math.expm1(Math.min(x, 0.0));
        }
    }

    private static void tanhInPlace(double[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = Math.tanh(v[i]);
    }

    private static void sigmoidInPlace(double[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = sigmoid(v[i]);
    }

    /** max(x, 0) without a branch: clears x when its sign bit is set (gives +0.0 for -0.0). */
    static double relu(double x) {
        long bits = Double.doubleToRawLongBits(x);
        return Double.longBitsToDouble(bits & ~(bits >> 63));
    }

    /**
     * 1 / (1 + e^-x), DL4J's formula (kept for bit-parity with it). Stable: for x below about -709 e^-x overflows to
     * infinity and the result is the correct limit 0; for large x it is 1; never NaN for a non-NaN x.
     */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * Softmax in place over {@code v[off .. off+n)}: subtract the max, exponentiate, divide by the sum (so no exp
     * overflows and the sum is at least 1). When the max is +inf the +inf entries share the mass equally (the limit);
     * only a NaN input gives NaN.
     */
    static void softmax(double[] v, int off, int n) {
        int end = off + n;
        double max = v[off];
        for (int i = off + 1; i < end; i++) max = Math.max(max, v[i]);
        if (max == Double.POSITIVE_INFINITY) { // the limit: the +inf logits share the mass (inf - inf would give NaN)
            int k = 0;
            for (int i = off; i < end; i++) if (v[i] == max) k++;
            for (int i = off; i < end; i++) v[i] = v[i] == max ? 1.0 / k : 0.0;
            return;
        }
        double sum = 0.0;
        for (int i = off; i < end; i++) {
            double e = Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        for (int i = off; i < end; i++) v[i] /= sum;
    }

    /** Softmax of each row {@code r < rows} across {@code y[0][r] .. y[n-1][r]}; the same operations as {@link #softmax}. */
    static void softmaxColumns(double[][] y, int n, int rows) {
        for (int r = 0; r < rows; r++) {
            double max = y[0][r];
            for (int j = 1; j < n; j++) max = Math.max(max, y[j][r]);
            if (max == Double.POSITIVE_INFINITY) {
                int k = 0;
                for (int j = 0; j < n; j++) if (y[j][r] == max) k++;
                for (int j = 0; j < n; j++) y[j][r] = y[j][r] == max ? 1.0 / k : 0.0;
                continue;
            }
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                double e = Math.exp(y[j][r] - max);
                y[j][r] = e;
                sum += e;
            }
            for (int j = 0; j < n; j++) y[j][r] /= sum;
        }
    }
}

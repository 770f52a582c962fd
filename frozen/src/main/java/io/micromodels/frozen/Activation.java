package io.micromodels.frozen;

/**
 * Element-wise activation of a {@link FrozenLayer}, with the same names and maths as the DL4J
 * {@code org.nd4j.linalg.activations.Activation} constants of the same name, so a converter can map
 * them with {@code Activation.valueOf(dl4jActivation.name())}.
 *
 * <p>{@link #LEAKYRELU} and {@link #ELU} take a parameter {@code alpha} (DL4J defaults 0.01 and 1.0);
 * the others take none and their layers store {@code alpha = 0}. {@link #SOFTMAX} works on the whole
 * layer output vector rather than element-wise.
 */
public enum Activation {
    /** {@code f(x) = x}. */
    IDENTITY(false, 0.0),
    /** {@code f(x) = max(0, x)}. */
    RELU(false, 0.0),
    /** {@code f(x) = x} for {@code x >= 0}, {@code alpha * x} otherwise (DL4J default alpha 0.01). */
    LEAKYRELU(true, 0.01),
    /** {@code f(x) = x} for {@code x > 0}, {@code alpha * (exp(x) - 1)} otherwise (DL4J default alpha 1.0). */
    ELU(true, 1.0),
    /** {@code f(x) = tanh(x)}. */
    TANH(false, 0.0),
    /** {@code f(x) = 1 / (1 + exp(-x))}. */
    SIGMOID(false, 0.0),
    /** {@code f(x)_j = exp(x_j - max x) / sum_k exp(x_k - max x)} over the layer's outputs. */
    SOFTMAX(false, 0.0);

    private final boolean parametric;
    private final double defaultAlpha;

    Activation(boolean parametric, double defaultAlpha) {
        this.parametric = parametric;
        this.defaultAlpha = defaultAlpha;
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
     * Applies this activation in place to {@code v[off .. off+n)}.
     *
     * @param v     values, overwritten
     * @param off   first index
     * @param n     number of values (the layer width)
     * @param alpha parameter of {@link #LEAKYRELU} / {@link #ELU}, ignored otherwise
     */
    void apply(double[] v, int off, int n, double alpha) {
        int end = off + n;
        switch (this) {
            case IDENTITY -> { }
            case RELU -> {
                for (int i = off; i < end; i++) {
                    double x = v[i];
                    v[i] = x > 0.0 ? x : 0.0;
                }
            }
            case LEAKYRELU -> {
                for (int i = off; i < end; i++) {
                    double x = v[i];
                    v[i] = x >= 0.0 ? x : alpha * x;
                }
            }
            case ELU -> {
                for (int i = off; i < end; i++) {
                    double x = v[i];
                    v[i] = x > 0.0 ? x : alpha * Math.expm1(x);
                }
            }
            case TANH -> {
                for (int i = off; i < end; i++) v[i] = Math.tanh(v[i]);
            }
            case SIGMOID -> {
                for (int i = off; i < end; i++) v[i] = sigmoid(v[i]);
            }
            case SOFTMAX -> softmax(v, off, n);
        }
    }

    static double sigmoid(double x) {
        // Two branches so exp never overflows to a spurious 0/NaN; both are exact rewrites of 1/(1+e^-x).
        if (x >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    static void softmax(double[] v, int off, int n) {
        int end = off + n;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = off; i < end; i++) max = Math.max(max, v[i]);
        double sum = 0.0;
        for (int i = off; i < end; i++) {
            double e = Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        for (int i = off; i < end; i++) v[i] /= sum;
    }
}

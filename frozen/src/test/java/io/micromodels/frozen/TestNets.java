package io.micromodels.frozen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random networks and naive reference implementations for tests. */
final class TestNets {
    private TestNets() {
    }

    /** A random network with float32-representable weights (as DL4J would hand over), He-like scale. */
    static FrozenNetwork random(long seed, Activation hidden, Activation output, int... widths) {
        Random rnd = new Random(seed);
        List<FrozenLayer> layers = new ArrayList<>();
        for (int k = 0; k + 1 < widths.length; k++) {
            int nIn = widths[k];
            int nOut = widths[k + 1];
            double scale = Math.sqrt(2.0 / nIn);
            double[][] w = new double[nIn][nOut];
            for (double[] row : w) for (int j = 0; j < nOut; j++) row[j] = (float) (rnd.nextGaussian() * scale);
            double[] b = new double[nOut];
            for (int j = 0; j < nOut; j++) b[j] = (float) (rnd.nextGaussian() * 0.1);
            layers.add(FrozenLayer.dense(w, b, k + 2 == widths.length ? output : hidden));
        }
        return FrozenNetwork.of(layers);
    }

    static double[] randomRow(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian();
        return x;
    }

    /** Naive textbook forward pass, double precision, straight from the layer accessors. */
    static double[] naiveForward(FrozenNetwork net, double[] x) {
        double[] a = x.clone();
        for (FrozenLayer l : net.layers()) {
            double[][] w = l.weights();
            double[] b = l.bias();
            double[] z = new double[l.nOut()];
            for (int j = 0; j < l.nOut(); j++) {
                double s = 0;
                for (int i = 0; i < l.nIn(); i++) s += a[i] * w[i][j];
                z[j] = s + b[j];
            }
            a = naiveActivation(l.activation(), l.alpha(), z);
        }
        return a;
    }

    static double[] naiveActivation(Activation act, double alpha, double[] z) {
        double[] y = new double[z.length];
        switch (act) {
            case SOFTMAX -> {
                double sum = 0;
                for (double v : z) sum += Math.exp(v);
                for (int j = 0; j < z.length; j++) y[j] = Math.exp(z[j]) / sum;
            }
            default -> {
                for (int j = 0; j < z.length; j++) {
                    double v = z[j];
                    y[j] = switch (act) {
                        case IDENTITY -> v;
                        case RELU -> Math.max(0, v);
                        case LEAKYRELU -> v < 0 ? alpha * v : v;
                        case ELU -> v > 0 ? v : alpha * (Math.exp(v) - 1);
                        case TANH -> Math.tanh(v);
                        case SIGMOID -> 1 / (1 + Math.exp(-v));
                        default -> throw new AssertionError();
                    };
                }
            }
        }
        return y;
    }

    /** What DL4J does: inputs rounded to float, float32 arithmetic throughout. */
    static double[] float32Forward(FrozenNetwork net, double[] x) {
        float[] a = new float[x.length];
        for (int i = 0; i < x.length; i++) a[i] = (float) x[i];
        for (FrozenLayer l : net.layers()) {
            double[][] w = l.weights();
            double[] b = l.bias();
            float[] z = new float[l.nOut()];
            for (int j = 0; j < l.nOut(); j++) {
                float s = 0f;
                for (int i = 0; i < l.nIn(); i++) s += a[i] * (float) w[i][j];
                z[j] = s + (float) b[j];
            }
            float alpha = (float) l.alpha();
            float[] y = new float[z.length];
            if (l.activation() == Activation.SOFTMAX) {
                float max = Float.NEGATIVE_INFINITY;
                for (float v : z) max = Math.max(max, v);
                float sum = 0f;
                for (int j = 0; j < z.length; j++) {
                    y[j] = (float) Math.exp(z[j] - max);
                    sum += y[j];
                }
                for (int j = 0; j < z.length; j++) y[j] /= sum;
            } else {
                for (int j = 0; j < z.length; j++) {
                    float v = z[j];
                    y[j] = switch (l.activation()) {
                        case IDENTITY -> v;
                        case RELU -> Math.max(0f, v);
                        case LEAKYRELU -> v < 0 ? alpha * v : v;
                        case ELU -> v > 0 ? v : alpha * ((float) Math.exp(v) - 1f);
                        case TANH -> (float) Math.tanh(v);
                        case SIGMOID -> 1f / (1f + (float) Math.exp(-v));
                        default -> throw new AssertionError();
                    };
                }
            }
            a = y;
        }
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }
}

package io.micromodels.population;

/**
 * Where every member's parameters live in a population's flat float32 parameter vector, and the host-side
 * conversions between that padded layout and a member's own DL4J parameter vector.
 *
 * <p>Layer {@code l} (hidden layers first, the output layer last) stores its weights transposed,
 * {@code W[l]: [K, out[l], in[l]]} in 'c' order, followed by its biases {@code b[l]: [K, out[l]]}; {@code out} and
 * {@code in} are padded to the widest member. A member's real block is the top-left {@code [outReal, inReal]}
 * corner of its slot; everything else in its slot is padding and stays exactly zero.
 *
 * <p>Biases are folded into the weights wherever the layer's input has a constant 1 to multiply them with, and then
 * {@code W[l]: [K, out[l], in[l]]} holds them in its last column and layer {@code l} has no {@code b[l]} segment, so
 * the bias add and the bias-gradient sum ride inside the layer's two matrix products:
 * <ul>
 *   <li>layer 0 always: the engine appends a column of ones to the (shared) input once per epoch;</li>
 *   <li>layer {@code l + 1} when hidden layer {@code l}'s activation maps 1 to exactly 1 (ReLU, leaky ReLU, ELU,
 *       identity): hidden layer {@code l} then gets one extra "phantom" unit, the last row of its padded width, with
 *       zero weights and bias 1, so its activation is exactly 1 in every row; its parameters are never updated
 *       (learning rate 0) and never exported.</li>
 * </ul>
 *
 * <p>The transposed store is chosen because DL4J keeps a dense layer's {@code W: [nIn, nOut]} in 'f' order, whose
 * flat order is exactly the 'c' order of {@code W^T: [nOut, nIn]}: a member's DL4J parameter vector
 * ({@code W} then {@code b} for each layer) is its unpadded blocks read row by row.
 */
final class ParamLayout {
    /** Number of slots K. */
    final int slots;
    /** Number of layers (hidden layers + the output layer). */
    final int layers;
    /** Padded output width of each layer, including a phantom unit where there is one. */
    final int[] out;
    /** Padded input width of each layer, including the constant-1 input where the bias is folded. */
    final int[] in;
    /** Offset of {@code W[l]} in the flat vector. */
    final long[] wOffset;
    /** Offset of {@code b[l]} in the flat vector; -1 where the biases are folded into {@code W[l]}. */
    final long[] bOffset;
    /** Length of the flat vector. */
    final long length;
    /** Whether layer {@code l}'s biases are the last column of {@code W[l]} (see the class comment). */
    final boolean[] biasFolded;
    /** Whether hidden layer {@code l} has a phantom unit (its last padded row) that outputs 1. */
    final boolean[] phantom;
    /** Real output width of each layer of each slot: {@code [slot][layer]}. */
    private final int[][] realOut;
    private final int inputs;

    /**
     * @param inputs       number of features
     * @param outputs      output units
     * @param hiddenWidths real hidden widths of each slot, {@code [slot][hidden layer]}; all rows of one length
     * @param onePreserving per hidden layer, whether its activation maps 1 to exactly 1 (then it gets a phantom unit)
     */
    ParamLayout(int inputs, int outputs, int[][] hiddenWidths, boolean[] onePreserving) {
        this.slots = hiddenWidths.length;
        this.inputs = inputs;
        int hidden = hiddenWidths[0].length;
        this.layers = hidden + 1;
        this.out = new int[layers];
        this.in = new int[layers];
        this.realOut = new int[slots][layers];
        for (int s = 0; s < slots; s++) {
            for (int l = 0; l < hidden; l++) {
                realOut[s][l] = hiddenWidths[s][l];
                out[l] = Math.max(out[l], hiddenWidths[s][l]);
            }
            realOut[s][hidden] = outputs;
        }
        out[hidden] = outputs;
        phantom = new boolean[layers];
        biasFolded = new boolean[layers];
        for (int l = 0; l < layers; l++) {
            if (l < hidden && onePreserving[l]) {
                phantom[l] = true;
                out[l]++;
            }
            biasFolded[l] = l == 0 || phantom[l - 1];
        }
        wOffset = new long[layers];
        bOffset = new long[layers];
        long cursor = 0;
        for (int l = 0; l < layers; l++) {
            in[l] = l == 0 ? inputs + 1 : out[l - 1];
            wOffset[l] = cursor;
            cursor += (long) slots * out[l] * in[l];
            bOffset[l] = biasFolded[l] ? -1 : cursor;
            cursor += biasFolded[l] ? 0 : (long) slots * out[l];
        }
        if (cursor > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("population has " + cursor + " parameters (padded), more than a flat "
                    + "float32 vector can hold; split it into smaller populations");
        }
        this.length = cursor;
    }

    /** Real output width of layer {@code l} in slot {@code s}. */
    int realOut(int s, int l) {
        return realOut[s][l];
    }

    /** Real input width of layer {@code l} in slot {@code s}. */
    int realIn(int s, int l) {
        return l == 0 ? inputs : realOut[s][l - 1];
    }

    /** Length of slot {@code s}'s own DL4J parameter vector. */
    int memberLength(int s) {
        int n = 0;
        for (int l = 0; l < layers; l++) {
            n += realOut(s, l) * realIn(s, l) + realOut(s, l);
        }
        return n;
    }

    /** Writes a member's DL4J parameter vector ({@code W} 'f' order then {@code b}, per layer) into slot {@code s}. */
    void put(float[] flat, int s, float[] member) {
        int p = 0;
        for (int l = 0; l < layers; l++) {
            int ro = realOut(s, l);
            int ri = realIn(s, l);
            for (int o = 0; o < ro; o++) {
                System.arraycopy(member, p, flat, (int) (wOffset[l] + ((long) s * out[l] + o) * in[l]), ri);
                p += ri;
            }
            for (int o = 0; o < ro; o++) {
                flat[bias(s, l, o)] = member[p++];
            }
        }
    }

    /** Flat index of slot {@code s}'s bias of unit {@code o} in layer {@code l}. */
    int bias(int s, int l, int o) {
        return (int) (biasFolded[l] ? wOffset[l] + ((long) s * out[l] + o) * in[l] + in[l] - 1
                : bOffset[l] + (long) s * out[l] + o);
    }

    /** Sets every phantom unit's bias to 1 (its weights stay 0), so that it outputs exactly 1. */
    void setPhantoms(float[] flat) {
        for (int l = 0; l < layers; l++) {
            if (phantom[l]) {
                for (int s = 0; s < slots; s++) {
                    flat[bias(s, l, out[l] - 1)] = 1f;
                }
            }
        }
    }

    /** Reads slot {@code s} back as the member's own DL4J parameter vector (padding dropped). */
    float[] get(float[] flat, int s) {
        float[] member = new float[memberLength(s)];
        int p = 0;
        for (int l = 0; l < layers; l++) {
            int ro = realOut(s, l);
            int ri = realIn(s, l);
            for (int o = 0; o < ro; o++) {
                System.arraycopy(flat, (int) (wOffset[l] + ((long) s * out[l] + o) * in[l]), member, p, ri);
                p += ri;
            }
            for (int o = 0; o < ro; o++) {
                member[p++] = flat[bias(s, l, o)];
            }
        }
        return member;
    }

    /**
     * A flat per-element array holding {@code weight[s]} at every real weight of slot {@code s} and {@code bias[s]}
     * at every real bias; padding is 0.
     */
    float[] expand(double[] weight, double[] bias) {
        float[] flat = new float[(int) length];
        for (int l = 0; l < layers; l++) {
            for (int s = 0; s < slots; s++) {
                int ro = realOut(s, l);
                int ri = realIn(s, l);
                float wv = (float) weight[s];
                float bv = (float) bias[s];
                for (int o = 0; o < ro; o++) {
                    int from = (int) (wOffset[l] + ((long) s * out[l] + o) * in[l]);
                    java.util.Arrays.fill(flat, from, from + ri, wv);
                    flat[bias(s, l, o)] = bv;
                }
            }
        }
        return flat;
    }

    /** Per slot, the sum of {@code flat} over that slot's real weights (biases and padding excluded). */
    double[] weightSums(float[] flat) {
        double[] sums = new double[slots];
        for (int l = 0; l < layers; l++) {
            for (int s = 0; s < slots; s++) {
                int ro = realOut(s, l);
                int ri = realIn(s, l);
                double sum = 0;
                for (int o = 0; o < ro; o++) {
                    int from = (int) (wOffset[l] + ((long) s * out[l] + o) * in[l]);
                    for (int i = from; i < from + ri; i++) {
                        sum += flat[i];
                    }
                }
                sums[s] += sum;
            }
        }
        return sums;
    }
}

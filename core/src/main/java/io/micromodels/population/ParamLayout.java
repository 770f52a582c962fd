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
 * <p>The first layer's biases are folded into its weights: {@code W[0]: [K, out[0], features + 1]} with the bias in
 * the last column, and no {@code b[0]} segment. The engine appends a column of ones to the (shared) input once per
 * epoch, so the first layer's bias add and bias-gradient sum ride inside its two matrix products.
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
    /** Padded output width of each layer. */
    final int[] out;
    /** Padded input width of each layer ({@code in[0]} = the number of features + 1, the folded bias). */
    final int[] in;
    /** Offset of {@code W[l]} in the flat vector. */
    final long[] wOffset;
    /** Offset of {@code b[l]} in the flat vector; -1 for layer 0, whose biases are folded into {@code W[0]}. */
    final long[] bOffset;
    /** Length of the flat vector. */
    final long length;
    /** Real output width of each layer of each slot: {@code [slot][layer]}. */
    private final int[][] realOut;
    private final int inputs;

    /**
     * @param inputs       number of features
     * @param outputs      output units
     * @param hiddenWidths real hidden widths of each slot, {@code [slot][hidden layer]}; all rows of one length
     */
    ParamLayout(int inputs, int outputs, int[][] hiddenWidths) {
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
        wOffset = new long[layers];
        bOffset = new long[layers];
        long cursor = 0;
        for (int l = 0; l < layers; l++) {
            in[l] = l == 0 ? inputs + 1 : out[l - 1];
            wOffset[l] = cursor;
            cursor += (long) slots * out[l] * in[l];
            bOffset[l] = l == 0 ? -1 : cursor;
            cursor += l == 0 ? 0 : (long) slots * out[l];
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
        return (int) (l == 0 ? wOffset[0] + ((long) s * out[0] + o) * in[0] + inputs : bOffset[l] + (long) s * out[l] + o);
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

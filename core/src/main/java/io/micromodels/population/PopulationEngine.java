package io.micromodels.population;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.frozen.TaskKind;
import io.micromodels.spec.Updater;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Norm1;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.EluBp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.OneMinus;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.ops.impl.transforms.same.TimesOneMinus;
import org.nd4j.linalg.api.ops.impl.transforms.strict.ELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * K compatible micromodels as one set of ND4J arrays, trained together: forward pass, hand-written backward pass,
 * DL4J-identical L1/L2 and Adam/SGD update, per-member dropout, masking of padded units and stopped members.
 *
 * <h2>Layout</h2>
 * Activations are feature-major, one contiguous {@code [width, batch]} block per member: {@code z[l], h[l]:
 * [K, out[l], B]}. Measured with one OpenMP thread (see {@code LayoutProbe} in gpu-bench), ND4J's element-wise ops
 * on non-contiguous views fall to a generic path that is 10-30x slower than on contiguous arrays (a ReLU from a
 * permuted view into a strided view took 988 us at K=64 against 29 us contiguous), so every array an element-wise
 * op touches is contiguous, and the layout is chosen so that no step needs a permuting copy:
 * <ul>
 *   <li>the first layer shares its input (one minibatch order for all members), so it is ONE 2-D product
 *       {@code W0: [K*out0, in+1] x X^T: [in+1, B] -> [K*out0, B]} (60 us at K=64), which already is
 *       {@code [K, out0, B]}; the input carries a ones column, so the product adds the first layer's biases and its
 *       gradient counterpart computes their gradients (two ops fewer per step);</li>
 *   <li>deeper hidden layers are rank-3 batched products {@code W[l]: [K, out, in] x h: [K, in, B]} (178 us at K=64),
 *       their biases added with {@code addiColumnVector} on the {@code [K*out, B]} view and their bias gradients
 *       row sums;</li>
 *   <li>the output layer is computed as {@code h^T W^T -> [K, B, C]} (both transposes inside the product), so the
 *       softmax runs along the last, contiguous axis and the shared labels {@code [B, C]} broadcast over K.</li>
 * </ul>
 * The alternatives measured: a batch-major {@code [B, K*w]} layout makes the first layer's output directly usable
 * but needs permuted views for every batched product and the softmax (ReLU from a permuted view: 988 us vs 29 us);
 * one wide block-diagonal product for a hidden layer does K times the arithmetic; per-member products cost one op
 * each (K x ~20 us).
 * Parameters, gradients and Adam state are each one flat vector laid out by {@link ParamLayout}; the per-layer
 * arrays are views into it, so products write gradients in place and the regularisation and update run as a few
 * ops over the whole population.
 *
 * <h2>Dropout</h2>
 * Each member has its own ND4J random stream (seeded with its own seed) and draws Bernoulli(1 - dropRate) into its
 * own contiguous {@code [width, B]} block of the mask, over its real width only, so its masks do not depend on the
 * population it trains in; one multiply applies the per-member 1/(1 - dropRate) scale. For ReLU layers the mask is
 * folded into a gate {@code step(z) * mask}: {@code h = z * gate} forward and {@code dz = dh * gate} backward.
 * K draws per layer cost about 30% more than one population-wide draw (LayoutProbe: 288 vs 215 us at K=64).
 *
 * <h2>Masking</h2>
 * Padded units have zero weights in and out and their parameters never change, so they add exact zeros to every
 * real unit's sums. The update is multiplied element-wise by {@code lrMask}, which holds the member's learning rate
 * (or 1, when Adam applies a shared rate itself) at its real parameters and 0 at padding and for stopped members:
 * one op applies per-member learning rates, keeps padding at zero and freezes stopped members. The L1/L2 coefficients are per-element arrays that are 0 at
 * biases and padding, so regularisation acts on real weights only, as in DL4J.
 *
 * <h2>DL4J semantics reproduced</h2>
 * Loss gradients are of the minibatch mean (DL4J divides the gradient by the minibatch size before the updater);
 * L2 adds {@code l2*w} and L1 {@code l1*sign(w)} to that gradient before the updater (DL4J's
 * {@code Regularization.ApplyStep.BEFORE_UPDATER}); Adam is ND4J's own {@code adam_updater} op, the one DL4J's
 * {@code AdamUpdater} calls (bias-corrected step {@code lr*sqrt(1-b2^t)/(1-b1^t)}, epsilon added to {@code sqrt(v)}),
 * given the learning rate itself when all members share one (then {@code lrMask} is 1 or 0), else run with 1 and
 * multiplied by the per-member rates in {@code lrMask}; SGD subtracts {@code lr*gradient}. The rates are each
 * member's scheduled rate of the epoch ({@link #startEpoch}); decoupled weight decay then adds {@code lr*wd*w} to the
 * update of every real weight (DL4J's {@code WeightDecay} with {@code applyLR}, a {@code POST_UPDATER} step). Checked against
 * {@code MultiLayerNetwork.fit} (PopulationEngineTest, K=1, L1 and L2 on): every step taken from DL4J's own state
 * equals DL4J's step to 1e-3 of its size, and scores over 200 steps agree to 1e-5 relative. Final parameters after many
 * steps agree only where the trajectory is smooth: with Adam and L1, weights held near zero by the L1 term alone hop
 * across it by about the learning rate, so float rounding (which OpenBLAS's per-CPU kernel decides) can send them
 * to the other side, and the two trajectories part while remaining equally good. Softmax cross-entropy clips probabilities at 1e-10 in the score, binary cross-entropy
 * clips at 1e-5 in both score and gradient, MSE averages over output columns, exactly as DL4J's loss functions.
 *
 * <h2>Why direct ND4J ops rather than SameDiff</h2>
 * The op count per step and the fixed cost of each op decide the speed at these sizes. Measured (LayoutProbe, one
 * thread): a SameDiff graph holding a single add, run with {@code output()}, took 256 us per call at K=1 (462 us at
 * K=64) against 6.8 us (36 us) for the same add executed directly. Hand-written backprop also lets every op write
 * into a preallocated array (no allocation per step: allocating a 94K-float temporary made an add 10x slower), fold
 * the 1/B scale, the biases and the layout changes into the products, and turn per-member settings into
 * element-wise masks. The ops used all exist on the CUDA backend, so the same code runs there.
 *
 * <h2>Where the time goes</h2>
 * At K=64 (reference 10-32-32-2 model, batch 64, one thread) a step is about 4 ms: Adam about 0.5 ms (the native
 * op is dominated by its per-element square root; ND4J's {@code sqrt} alone takes 310 us for 94K floats, and an
 * element-wise Adam was slower still, 690 us), the per-member dropout draws about 0.6 ms, the batched products
 * about 0.9 ms, the rest element-wise ops at 15-50 us each.
 *
 * <p>Not thread-safe. Holds native memory: close it.
 */
final class PopulationEngine implements AutoCloseable {
    private static final MMulTranspose NN = MMulTranspose.builder().build();
    private static final MMulTranspose TN = MMulTranspose.builder().transposeA(true).build();
    private static final MMulTranspose NT = MMulTranspose.builder().transposeB(true).build();
    private static final MMulTranspose TT = MMulTranspose.builder().transposeA(true).transposeB(true).build();
    /** DL4J's LossMCXENT probability clip in the score. */
    private static final double SOFTMAX_CLIP = 1e-10;
    /** DL4J's LossBinaryXENT clip in score and gradient. */
    private static final double XENT_CLIP = 1e-5;
    /** DL4J's default LeakyReLU slope and ELU alpha. */
    private static final double LEAKY_ALPHA = 0.01;
    private static final double ELU_ALPHA = 1.0;
    /** Largest {@code K * width * rows} of one validation chunk's activation arrays. */
    private static final long EVAL_ELEMENTS = 1L << 22;

    /** A member's complete training state on the host: used to build an engine and to move members at compaction. */
    static final class MemberState {
        final MicromodelSpec spec;
        final float[] params;
        final float[] adamM;
        final float[] adamV;
        final Random dropoutRandom;
        /** Updater iterations this member has done, or -1 for the engine's common count. */
        final int iteration;

        /**
         * @param spec          the member's spec
         * @param params        its DL4J parameter vector ({@code W} in 'f' order then {@code b}, per layer)
         * @param adamM         Adam first moments in the same layout, or null (zeros)
         * @param adamV         Adam second moments in the same layout, or null (zeros)
         * @param dropoutRandom the member's own dropout random stream, or null if it has no dropout
         */
        MemberState(MicromodelSpec spec, float[] params, float[] adamM, float[] adamV, Random dropoutRandom) {
            this(spec, params, adamM, adamV, dropoutRandom, -1);
        }

        /**
         * As above, with the member's own updater iteration count (Adam's bias correction continues from it): members
         * that joined a {@link SteppedPopulation} at different times have done different numbers of steps.
         */
        MemberState(MicromodelSpec spec, float[] params, float[] adamM, float[] adamV, Random dropoutRandom, int iteration) {
            this.spec = spec;
            this.params = params;
            this.adamM = adamM;
            this.adamV = adamV;
            this.dropoutRandom = dropoutRandom;
            this.iteration = iteration;
        }
    }

    private final List<MicromodelSpec> specs;
    private final ParamLayout layout;
    private final int k;
    private final int hidden;
    private final int outputs;
    private final Activation[] activation;
    private final TaskKind kind;
    private final Updater.Kind updater;
    private final Adam adam = new Adam();
    private final INDArray params;
    private final INDArray grads;
    private final INDArray adamM;
    private final INDArray adamV;
    private final INDArray lrMask;
    /** Adam only: the learning rate all members share, or NaN when they differ (and always for SGD). */
    private double sharedLr;
    /**
     * Decoupled weight decay per element, {@code lr_e[s] * weightDecay[s]} at slot s's real weights, 0 at biases,
     * padding and stopped slots; null when no member decays.
     */
    private final INDArray decayCoef;
    private final double[] weightDecay;
    private final INDArray l2Coef;
    private final INDArray l1Coef;
    private final INDArray flatTmp;
    private final INDArray[] w;
    private final INDArray[] b;
    private final INDArray[] gw;
    private final INDArray[] gb;
    private final INDArray w0Flat;
    private final INDArray gw0Flat;
    private final INDArray[] bColumn;
    private final INDArray[] gbFlat;
    /** The weights the L1/L2 score sums over: {@code W[l]}, for layer 0 without its bias column. */
    private final INDArray[] penaltyView;
    /** EPOCH score mode: per-element sums over the epoch's steps of {@code rows * w^2} and {@code rows * |w|}. */
    private final INDArray squareSum;
    private final INDArray absSum;
    private final double[] l1;
    private final double[] l2;
    private final Random[] dropoutRandom;
    /** Retain probability of each hidden layer's outputs, {@code [layer][slot]}; 1 = no dropout. */
    private final double[][] retain;
    private final boolean[] dropLayer;
    private final boolean[] active;
    private final double[] lr;
    private final INDArray l2Half;
    private final INDArray l1Vec;
    private final INDArray penalty2;
    private final INDArray penalty1;
    private final INDArray penaltySum;
    private final INDArray stepScore;
    private final INDArray epochScore;
    private final Map<Integer, Work> trainWork = new HashMap<>();
    private final Map<Integer, Work> evalWork = new HashMap<>();
    /** Per-example loss = {@code lossFactor} x the raw sum {@link #rawLoss} computes. */
    private final double lossFactor;
    /** Per slot, updater iterations done so far (Adam's bias correction); equal unless members joined at different times. */
    private final int[] iterations;
    private boolean masksStale;

    /**
     * Builds the population from member states; all specs must be compatible (see {@link Population#check}).
     *
     * @param members   one state per slot
     * @param iteration updater iterations already done (Adam's bias correction continues from it), for the members
     *                  whose state does not carry its own count
     */
    PopulationEngine(List<MemberState> members, int iteration) {
        this.k = members.size();
        this.iterations = new int[k];
        for (int s = 0; s < k; s++) {
            int own = members.get(s).iteration;
            iterations[s] = own >= 0 ? own : iteration;
        }
        this.specs = new ArrayList<>();
        for (MemberState m : members) {
            specs.add(m.spec);
        }
        MicromodelSpec first = specs.get(0);
        this.hidden = first.hidden().size();
        this.outputs = first.outputs();
        this.kind = first.output();
        this.updater = first.updater().kind();
        this.activation = new Activation[hidden];
        for (int l = 0; l < hidden; l++) {
            activation[l] = first.hidden().get(l).activation();
        }
        int[][] widths = new int[k][hidden];
        for (int s = 0; s < k; s++) {
            for (int l = 0; l < hidden; l++) {
                widths[s][l] = specs.get(s).hidden().get(l).width();
            }
        }
        boolean[] onePreserving = new boolean[hidden];
        for (int l = 0; l < hidden; l++) {
            onePreserving[l] = switch (activation[l]) {
                case RELU, LEAKYRELU, ELU, IDENTITY -> true;
                case TANH, SIGMOID -> false;
                case SOFTMAX -> throw new IllegalArgumentException("hidden[" + l + "].activation: softmax is an output activation");
            };
        }
        this.layout = new ParamLayout(first.inputs(), outputs, widths, onePreserving);
        int n = (int) layout.length;

        float[] hostParams = new float[n];
        float[] hostM = new float[n];
        float[] hostV = new float[n];
        for (int s = 0; s < k; s++) {
            MemberState m = members.get(s);
            layout.put(hostParams, s, m.params);
            if (m.adamM != null) {
                layout.put(hostM, s, m.adamM);
                layout.put(hostV, s, m.adamV);
            }
        }
        layout.setPhantoms(hostParams);
        params = Nd4j.createFromArray(hostParams);
        adamM = Nd4j.createFromArray(hostM);
        adamV = Nd4j.createFromArray(hostV);
        grads = Nd4j.create(DataType.FLOAT, n);
        flatTmp = Nd4j.create(DataType.FLOAT, n);

        int layers = layout.layers;
        w = new INDArray[layers];
        b = new INDArray[layers];
        gw = new INDArray[layers];
        gb = new INDArray[layers];
        bColumn = new INDArray[layers];
        gbFlat = new INDArray[layers];
        penaltyView = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = view(params, layout.wOffset[l], k, layout.out[l], layout.in[l]);
            gw[l] = view(grads, layout.wOffset[l], k, layout.out[l], layout.in[l]);
            penaltyView[l] = layout.biasFolded[l]
                    ? w[l].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, layout.in[l] - 1))
                    : w[l];
            if (!layout.biasFolded[l]) {
                // folded biases are the last column of W[l] (see ParamLayout)
                b[l] = view(params, layout.bOffset[l], k, layout.out[l]);
                gb[l] = view(grads, layout.bOffset[l], k, layout.out[l]);
                bColumn[l] = view(params, layout.bOffset[l], (long) k * layout.out[l], 1);
                gbFlat[l] = view(grads, layout.bOffset[l], (long) k * layout.out[l]);
            }
        }
        w0Flat = view(params, layout.wOffset[0], (long) k * layout.out[0], layout.in[0]);
        gw0Flat = view(grads, layout.wOffset[0], (long) k * layout.out[0], layout.in[0]);

        active = new boolean[k];
        java.util.Arrays.fill(active, true);
        lr = new double[k];
        l1 = new double[k];
        l2 = new double[k];
        weightDecay = new double[k];
        double[] zero = new double[k];
        boolean anyL1 = false;
        boolean anyL2 = false;
        boolean anyDecay = false;
        for (int s = 0; s < k; s++) {
            MicromodelSpec spec = specs.get(s);
            lr[s] = spec.updater().learningRate(0, spec.epochs());
            l1[s] = spec.l1();
            l2[s] = spec.l2();
            weightDecay[s] = spec.updater().weightDecay();
            anyL1 |= l1[s] > 0;
            anyL2 |= l2[s] > 0;
            anyDecay |= weightDecay[s] > 0;
        }
        sharedLr = sharedRate();
        lrMask = Nd4j.createFromArray(layout.expand(maskRates(), maskRates()));
        decayCoef = anyDecay ? Nd4j.createFromArray(layout.expand(decayRates(), zero)) : null;
        l2Coef = anyL2 ? Nd4j.createFromArray(layout.expand(l2, zero)) : null;
        l1Coef = anyL1 ? Nd4j.createFromArray(layout.expand(l1, zero)) : null;
        // the score's squared-norm term: DL4J scores L2 as 0.5 l2 |w|^2 and WeightDecay as 0.5 weightDecay |w|^2
        boolean anySquare = anyL2 || anyDecay;
        double[] half = new double[k];
        for (int s = 0; s < k; s++) {
            half[s] = 0.5 * (l2[s] + weightDecay[s]);
        }
        l2Half = anySquare ? Nd4j.createFromArray(toFloat(half)) : null;
        l1Vec = anyL1 ? Nd4j.createFromArray(toFloat(l1)) : null;
        penalty2 = anySquare ? Nd4j.create(DataType.FLOAT, layers, k) : null;
        penalty1 = anyL1 ? Nd4j.create(DataType.FLOAT, layers, k) : null;
        penaltySum = Nd4j.create(DataType.FLOAT, k);
        stepScore = Nd4j.create(DataType.FLOAT, k);
        epochScore = Nd4j.create(DataType.FLOAT, k);
        squareSum = anySquare ? Nd4j.create(DataType.FLOAT, n) : null;
        absSum = anyL1 ? Nd4j.create(DataType.FLOAT, n) : null;
        lossFactor = kind == TaskKind.REGRESSION ? 1.0 / outputs : -1.0;

        retain = new double[hidden][k];
        dropLayer = new boolean[hidden];
        dropoutRandom = new Random[k];
        for (int s = 0; s < k; s++) {
            dropoutRandom[s] = members.get(s).dropoutRandom;
            for (int l = 0; l < hidden; l++) {
                double p = specs.get(s).hidden().get(l).dropRate();
                retain[l][s] = 1 - p;
                if (p > 0) {
                    dropLayer[l] = true;
                    if (dropoutRandom[s] == null) {
                        throw new IllegalStateException("member in slot " + s + " has dropout but no random stream");
                    }
                }
            }
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** A contiguous 'c'-order view of {@code flat} starting at {@code offset} with the given shape. */
    private static INDArray view(INDArray flat, long offset, long... shape) {
        long len = 1;
        for (long d : shape) {
            len *= d;
        }
        INDArray v = flat.get(NDArrayIndex.interval(offset, offset + len));
        return shape.length == 1 ? v : v.reshape('c', shape);
    }

    /** Number of slots K. */
    int slots() {
        return k;
    }

    /** The spec in slot {@code s}. */
    MicromodelSpec spec(int s) {
        return specs.get(s);
    }

    /** Updater iterations done so far by slot 0 (all slots, unless members joined at different times). */
    int iteration() {
        return iterations[0];
    }

    /** Updater iterations done so far by slot {@code s}. */
    int iteration(int s) {
        return iterations[s];
    }

    /** Whether slot {@code s} still trains. */
    boolean isActive(int s) {
        return active[s];
    }

    /**
     * Freezes slot {@code s}: its parameters and dropout stream stop changing. The masks are rebuilt once, before
     * the next step, however many members stop in one epoch.
     */
    void deactivate(int s) {
        if (!active[s]) {
            return;
        }
        active[s] = false;
        masksStale = true;
    }

    /**
     * Adam with one learning rate for all (always so for K=1): the adam op applies it itself, in the same float
     * arithmetic as DL4J's updater, and lrMask is 1 or 0; otherwise the op runs with 1 and lrMask holds the rates
     * (about one float rounding per step apart). SGD: lrMask always holds the rates (DL4J multiplies the gradient by
     * the rate, the same single rounding).
     *
     * @return the rate every slot shares this epoch, or NaN
     */
    private double sharedRate() {
        double common = updater == Updater.Kind.ADAM ? lr[0] : Double.NaN;
        for (double r : lr) {
            if (r != common) {
                common = Double.NaN;
            }
        }
        return common;
    }

    /**
     * Sets every slot's learning rate for 0-based epoch {@code epoch} of its schedule (over its spec's epochs), as
     * DL4J's updater reads it from the network's epoch count; call before the epoch's first step.
     */
    void startEpoch(int epoch) {
        int[] epochs = new int[k];
        java.util.Arrays.fill(epochs, epoch);
        startEpoch(epochs);
    }

    /**
     * As {@link #startEpoch(int)} for slots at different epochs of their own training (members that joined later).
     *
     * @param epoch {@code [K]}: each slot's 0-based epoch about to run
     */
    void startEpoch(int[] epoch) {
        boolean changed = false;
        for (int s = 0; s < k; s++) {
            MicromodelSpec spec = specs.get(s);
            double r = spec.updater().learningRate(epoch[s], spec.epochs());
            if (r != lr[s]) {
                lr[s] = r;
                changed = true;
            }
        }
        if (changed) {
            sharedLr = sharedRate();
            masksStale = true;
        }
    }

    /** Per slot, the decoupled decay factor at its real weights: {@code lr * weightDecay}, 0 once stopped. */
    private double[] decayRates() {
        double[] rates = new double[k];
        for (int i = 0; i < k; i++) {
            rates[i] = active[i] ? lr[i] * weightDecay[i] : 0;
        }
        return rates;
    }

    /** Per slot, what {@code lrMask} holds at its real parameters: 0 once stopped, else its rate (1 if shared). */
    private double[] maskRates() {
        double[] rates = new double[k];
        for (int i = 0; i < k; i++) {
            rates[i] = !active[i] ? 0 : Double.isNaN(sharedLr) ? lr[i] : 1;
        }
        return rates;
    }

    /** Rebuilds {@code lrMask} and the dropout scales after members stopped. */
    private void refreshMasks() {
        for (Work wk : trainWork.values()) {
            for (int l = 0; l < hidden; l++) {
                if (wk.mask[l] != null) {
                    wk.refreshScale(l);
                }
            }
        }
        double[] rates = maskRates();
        INDArray fresh = Nd4j.createFromArray(layout.expand(rates, rates));
        lrMask.assign(fresh);
        fresh.close();
        if (decayCoef != null) {
            INDArray decay = Nd4j.createFromArray(layout.expand(decayRates(), new double[k]));
            decayCoef.assign(decay);
            decay.close();
        }
        masksStale = false;
    }

    // ------------------------------------------------------------------------------------------ working memory

    /** Preallocated arrays for one number of rows; shapes in the field comments. */
    private final class Work implements AutoCloseable {
        final int rows;
        /** Hidden pre-activations, {@code [K, out[l], rows]}, and their 2-D view {@code [K*out[l], rows]}. */
        final INDArray[] z;
        final INDArray[] z2;
        /** Hidden activations after dropout, {@code [K, out[l], rows]} (aliases {@code z} for identity without dropout). */
        final INDArray[] h;
        /** Dropout multipliers {@code [K, out[l], rows]}: 0 or 1/retain; 1 where a member does not drop. */
        final INDArray[] mask;
        /** Member views of {@code mask}: {@code [realOut, rows]}, contiguous. */
        final INDArray[][] maskView;
        /**
         * The Bernoulli draw of each member into its mask view, built once and executed every step with the
         * member's own random stream (an op object caches its native arguments, so reusing it saves their
         * allocation on each of the K draws per layer and step).
         */
        final BernoulliDistribution[][] draw;
        /** Inverted-dropout scale {@code [K, out[l], rows]}: 1/retain at a training member's real units, else 1. */
        final INDArray[] scale;
        /** Gradient w.r.t. hidden activations, then pre-activations, {@code [K, out[l], rows]} and 2-D view. */
        final INDArray[] dh;
        final INDArray[] dh2;
        /**
         * ReLU layers in training: the gate {@code [K, out[l], rows]} = step(z) x dropout multiplier, so that
         * {@code h = z * gate} in the forward pass and {@code dz = dh * gate} in the backward pass (one op for the
         * dropout and the ReLU derivative together). Tanh and sigmoid layers: scratch for the derivative taken from
         * the activation (there {@code z} holds the activation before dropout when the layer drops).
         */
        final INDArray[] gate;
        /** Output pre-activations and predictions {@code [K, rows, C]}, their 2-D views {@code [K*rows, C]}. */
        final INDArray zOut;
        final INDArray pOut;
        /** Output-layer gradient {@code [K, rows, C]} and two scratch arrays of that shape. */
        final INDArray dzOut;
        final INDArray t1;
        final INDArray t2;
        /** Linear models only: output pre-activations and gradient as {@code [K*C, rows]}. */
        final INDArray zOutT;
        final INDArray dzOutT;
        /** Per-member sum over rows of the per-example loss, {@code [K]}. */
        final INDArray lossSum;
        private final List<INDArray> owned = new ArrayList<>();
        /** Cached partial dropout draws ({@link #partialDraw}), by layer, slot and rows. */
        final Map<Long, PartialDraw> partial = new HashMap<>();

        Work(int rows, boolean training) {
            this.rows = rows;
            z = new INDArray[hidden];
            z2 = new INDArray[hidden];
            h = new INDArray[hidden];
            mask = new INDArray[hidden];
            maskView = new INDArray[hidden][];
            draw = new BernoulliDistribution[hidden][];
            scale = new INDArray[hidden];
            dh = new INDArray[hidden];
            dh2 = new INDArray[hidden];
            gate = new INDArray[hidden];
            for (int l = 0; l < hidden; l++) {
                int out = layout.out[l];
                z[l] = own(Nd4j.create(DataType.FLOAT, k, out, rows));
                z2[l] = z[l].reshape('c', (long) k * out, rows);
                boolean drop = training && dropLayer[l];
                h[l] = activation[l] == Activation.IDENTITY && !drop ? z[l] : own(Nd4j.create(DataType.FLOAT, k, out, rows));
                if (drop) {
                    mask[l] = own(Nd4j.ones(DataType.FLOAT, k, out, rows));
                    scale[l] = own(Nd4j.ones(DataType.FLOAT, k, out, rows));
                    maskView[l] = new INDArray[k];
                    draw[l] = new BernoulliDistribution[k];
                    for (int s = 0; s < k; s++) {
                        int real = layout.realOut(s, l);
                        maskView[l][s] = mask[l].get(NDArrayIndex.point(s), NDArrayIndex.interval(0, real), NDArrayIndex.all());
                        if (retain[l][s] < 1) {
                            draw[l][s] = new BernoulliDistribution(maskView[l][s], retain[l][s]);
                        }
                    }
                    refreshScale(l);
                }
                if (training) {
                    dh[l] = own(Nd4j.create(DataType.FLOAT, k, out, rows));
                    dh2[l] = dh[l].reshape('c', (long) k * out, rows);
                    if (activation[l] == Activation.RELU || fromOutput(activation[l])) {
                        gate[l] = own(Nd4j.create(DataType.FLOAT, k, out, rows));
                    }
                }
            }
            zOut = own(Nd4j.create(DataType.FLOAT, k, rows, outputs));
            pOut = kind == TaskKind.REGRESSION ? zOut : own(Nd4j.create(DataType.FLOAT, k, rows, outputs));
            t1 = own(Nd4j.create(DataType.FLOAT, k, rows, outputs));
            t2 = own(Nd4j.create(DataType.FLOAT, k, rows, outputs));
            dzOut = training ? own(Nd4j.create(DataType.FLOAT, k, rows, outputs)) : null;
            zOutT = hidden == 0 ? own(Nd4j.create(DataType.FLOAT, (long) k * outputs, rows)) : null;
            dzOutT = hidden == 0 && training ? own(Nd4j.create(DataType.FLOAT, (long) k * outputs, rows)) : null;
            lossSum = own(Nd4j.create(DataType.FLOAT, k));
        }

        /** Sets {@code scale[l]} from the retain probabilities; stopped members get 1 and an all-ones mask. */
        void refreshScale(int l) {
            for (int s = 0; s < k; s++) {
                boolean drops = active[s] && retain[l][s] < 1;
                maskView[l][s].assign(1);
                scale[l].get(NDArrayIndex.point(s), NDArrayIndex.interval(0, layout.realOut(s, l)), NDArrayIndex.all())
                        .assign(drops ? 1 / retain[l][s] : 1);
            }
        }

        private INDArray own(INDArray a) {
            owned.add(a);
            return a;
        }

        @Override
        public void close() {
            for (INDArray a : owned) {
                a.close();
            }
            owned.clear();
        }
    }

    private Work train(int rows) {
        return trainWork.computeIfAbsent(rows, r -> new Work(r, true));
    }

    private Work eval(int rows) {
        return evalWork.computeIfAbsent(rows, r -> new Work(r, false));
    }

    // ------------------------------------------------------------------------------------------ forward

    /**
     * Forward pass of all slots on {@code x: [rows, in + 1]} (features and a ones column, see
     * {@link #withBiasColumn}); with {@code training}, draws and applies dropout.
     */
    private void forward(Work wk, INDArray x, boolean training) {
        INDArray prev = null;
        for (int l = 0; l < hidden; l++) {
            if (l == 0 && x.rank() == 3) {
                // per-member rows: [K, out0, in+1] x [K, rows, in+1]^T, one batched product
                Nd4j.exec(new Mmul(w[0], x, wk.z[0], NT));
            } else if (l == 0) {
                // [K*out0, in+1] x [in+1, rows]: every member's first layer, bias included, in one product
                Nd4j.exec(new Mmul(w0Flat, x, wk.z2[0], NT));
            } else {
                Nd4j.exec(new Mmul(w[l], prev, wk.z[l], NN));
                if (!layout.biasFolded[l]) {
                    // addiColumnVector: 31-50 us at K=64, where BroadcastAddOp along dimension 0 took 232-243 us
                    // and a broadcasting AddOp 72-84 us (LayoutProbe)
                    wk.z2[l].addiColumnVector(bColumn[l]);
                }
            }
            boolean drop = training && dropLayer[l];
            if (drop) {
                // one Bernoulli draw per member from its own stream into its contiguous block, then one multiply
                // by the 1/retain scale for all: measured 354 us at K=64 against 508 us for per-member
                // inverted-dropout draws (LayoutProbe)
                for (int s = 0; s < k; s++) {
                    if (active[s] && retain[l][s] < 1) {
                        if (memberRows != null && memberRows[s] < wk.rows) {
                            partialDraw(wk, l, s, memberRows[s]);
                        } else {
                            Nd4j.getExecutioner().exec(wk.draw[l][s], dropoutRandom[s]);
                        }
                    }
                }
                Nd4j.exec(new MulOp(wk.mask[l], wk.scale[l], wk.mask[l]));
            }
            if (training && activation[l] == Activation.RELU) {
                // h = z * gate, gate = step(z) [* mask]: the backward pass then needs one multiply by the gate
                Nd4j.exec(new Step(wk.z[l], wk.gate[l], 0.0));
                if (drop) {
                    Nd4j.exec(new MulOp(wk.gate[l], wk.mask[l], wk.gate[l]));
                }
                Nd4j.exec(new MulOp(wk.z[l], wk.gate[l], wk.h[l]));
            } else if (training && drop && fromOutput(activation[l])) {
                // keep the activation before dropout in z (the backward pass takes its derivative from it)
                activate(activation[l], wk.z[l], wk.z[l]);
                Nd4j.exec(new MulOp(wk.z[l], wk.mask[l], wk.h[l]));
            } else {
                activate(activation[l], wk.z[l], wk.h[l]);
                if (drop) {
                    Nd4j.exec(new MulOp(wk.h[l], wk.mask[l], wk.h[l]));
                }
            }
            prev = wk.h[l];
        }
        int last = hidden;
        if (hidden == 0) {
            if (x.rank() == 3) {
                Nd4j.exec(new Mmul(w[0], x, wk.zOutT.reshape('c', k, outputs, wk.rows), NT));
            } else {
                Nd4j.exec(new Mmul(w0Flat, x, wk.zOutT, NT));
            }
            wk.zOut.assign(wk.zOutT.reshape('c', k, outputs, wk.rows).permute(0, 2, 1));
        } else {
            Nd4j.exec(new Mmul(prev, w[last], wk.zOut, TT));
            if (!layout.biasFolded[last]) {
                Nd4j.exec(new BroadcastAddOp(wk.zOut, b[last], wk.zOut, 0, 2));
            }
        }
        switch (kind) {
            case MULTICLASS -> Nd4j.exec(new SoftMax(wk.zOut.reshape('c', (long) k * wk.rows, outputs),
                    wk.pOut.reshape('c', (long) k * wk.rows, outputs), 1));
            case BINARY -> Nd4j.exec(new Sigmoid(wk.zOut, wk.pOut));
            case REGRESSION -> {
                // identity: pOut aliases zOut
            }
        }
    }

    /**
     * The input the engine takes: features {@code [n, in]} with a column of ones appended, {@code [n, in + 1]}
     * (float32, a new array), which carries the first layer's bias through its product.
     */
    static INDArray withBiasColumn(INDArray x) {
        INDArray out = Nd4j.ones(DataType.FLOAT, x.size(0), x.size(1) + 1);
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, x.size(1))).assign(x);
        return out;
    }

    private static void activate(Activation a, INDArray z, INDArray h) {
        switch (a) {
            case RELU -> Nd4j.exec(new RectifiedLinear(z, h, 0.0));
            case LEAKYRELU -> Nd4j.exec(new LeakyReLU(z, h, LEAKY_ALPHA));
            case ELU -> Nd4j.exec(new ELU(z, h, ELU_ALPHA));
            case TANH -> Nd4j.exec(new Tanh(z, h));
            case SIGMOID -> Nd4j.exec(new Sigmoid(z, h));
            case IDENTITY -> {
                if (h != z) {
                    h.assign(z);
                }
            }
        }
    }

    /** Whether the backward pass takes this activation's derivative from its output (tanh, sigmoid). */
    private static boolean fromOutput(Activation a) {
        return a == Activation.TANH || a == Activation.SIGMOID;
    }

    /** {@code dh := dL/dz} in place, from {@code dh = dL/dh} and the pre-activation {@code z} (not ReLU: its gate does it). */
    private static void activationBackprop(Activation a, INDArray z, INDArray dh) {
        switch (a) {
            case RELU -> throw new IllegalStateException("ReLU layers backpropagate through their gate");
            case LEAKYRELU -> Nd4j.exec(new LeakyReLUBp(z, dh, dh, LEAKY_ALPHA));
            case ELU -> Nd4j.exec(new EluBp(z, dh, dh, ELU_ALPHA));
            case TANH -> Nd4j.exec(new TanhDerivative(z, dh, dh));
            case SIGMOID -> Nd4j.exec(new SigmoidDerivative(z, dh, dh));
            case IDENTITY -> {
                // derivative 1
            }
        }
    }

    // ------------------------------------------------------------------------------------------ loss

    /**
     * {@code wk.lossSum[s]} := the raw sum over rows that, times {@link #lossFactor}, is slot s's summed per-example
     * data loss as DL4J's {@code scoreArray} computes it: {@code sum y*log(max(p, 1e-10))} for softmax
     * cross-entropy, {@code sum y*log(pc) + (1-y)*log(1-pc)} with {@code pc} clipped to [1e-5, 1-1e-5] for binary
     * cross-entropy (factor -1), {@code sum (p-y)^2} for MSE (factor 1/C).
     */
    private void rawLoss(Work wk, INDArray y, INDArray rowMask, INDArray w) {
        switch (kind) {
            case MULTICLASS -> {
                Nd4j.exec(new ScalarMax(wk.pOut, null, wk.t1, SOFTMAX_CLIP));
                Nd4j.exec(new Log(wk.t1, wk.t1));
                mulLabels(wk.t1, y, wk.t1);
                maskRows(wk.t1, rowMask);
                weigh(wk.t1, w);
                Nd4j.exec(new Sum(wk.t1, wk.lossSum, 1, 2));
            }
            case BINARY -> {
                clipXent(wk.pOut, wk.t1);
                Nd4j.exec(new ScalarReverseSubtraction(wk.t1, null, wk.t2, 1.0));
                Nd4j.exec(new Log(wk.t2, wk.t2));
                Nd4j.exec(new Log(wk.t1, wk.t1));
                // y*log(p) + (1-y)*log(1-p) = log(1-p) + y*(log(p) - log(1-p))
                Nd4j.exec(new SubOp(wk.t1, wk.t2, wk.t1));
                mulLabels(wk.t1, y, wk.t1);
                Nd4j.exec(new AddOp(wk.t1, wk.t2, wk.t1));
                maskRows(wk.t1, rowMask);
                weigh(wk.t1, w);
                Nd4j.exec(new Sum(wk.t1, wk.lossSum, 1, 2));
            }
            case REGRESSION -> {
                subLabels(wk.pOut, y, wk.t1);
                maskRows(wk.t1, rowMask);
                if (w == null) {
                    Nd4j.exec(new SquaredNorm(wk.t1, wk.lossSum, 1, 2));
                } else {
                    // sum w (p - y)^2
                    Nd4j.exec(new MulOp(wk.t1, wk.t1, wk.t1));
                    weigh(wk.t1, w);
                    Nd4j.exec(new Sum(wk.t1, wk.lossSum, 1, 2));
                }
            }
        }
    }

    /**
     * {@code a[s, r, c] *= w[r]}: per-example weights (DL4J's per-example label mask) on a {@code [K, rows, C]} array.
     *
     * @param w {@code [rows]} weights, or null for none
     */
    private static void weigh(INDArray a, INDArray w) {
        if (w != null) {
            Nd4j.exec(new BroadcastMulOp(a, w, a, 1));
        }
    }

    /** Per-example weights as a float32 vector {@code [rows]} (from {@code [rows]} or {@code [rows, 1]}), or null. */
    private static INDArray vector(INDArray w) {
        if (w == null) {
            return null;
        }
        INDArray v = w.rank() == 1 ? w : w.reshape(w.length());
        return v.dataType() == DataType.FLOAT ? v : v.castTo(DataType.FLOAT);
    }

    private static void clipXent(INDArray p, INDArray out) {
        Nd4j.exec(new ScalarMax(p, null, out, XENT_CLIP));
        Nd4j.exec(new ScalarMin(out, null, out, 1.0 - XENT_CLIP));
    }

    /** {@code wk.dzOut} := gradient of the minibatch-mean data loss w.r.t. the output pre-activations. */
    private void outputGradient(Work wk, INDArray y, INDArray rowScale, INDArray w) {
        double perRow = 1.0 / wk.rows;
        switch (kind) {
            case MULTICLASS -> {
                subLabels(wk.pOut, y, wk.dzOut);
                scaleRows(wk.dzOut, rowScale, perRow);
            }
            case BINARY -> {
                // DL4J LossBinaryXENT: dL/dp = (pc - y) / (pc (1 - pc)) with pc clipped, then the sigmoid's derivative
                clipXent(wk.pOut, wk.t1);
                subLabels(wk.t1, y, wk.dzOut);
                Nd4j.exec(new TimesOneMinus(wk.t1, wk.t2));
                Nd4j.exec(new DivOp(wk.dzOut, wk.t2, wk.dzOut));
                Nd4j.exec(new SigmoidDerivative(wk.zOut, wk.dzOut, wk.dzOut));
                scaleRows(wk.dzOut, rowScale, perRow);
            }
            case REGRESSION -> {
                subLabels(wk.pOut, y, wk.dzOut);
                scaleRows(wk.dzOut, rowScale, 2.0 * perRow / outputs);
            }
        }
        weigh(wk.dzOut, w);
    }

    /** {@code penaltySum[s]} := slot s's L1/L2 score on its current weights (DL4J's {@code calcRegularizationScore}). */
    private void penalty() {
        penaltySum.assign(0);
        if (penalty2 != null) {
            for (int l = 0; l < layout.layers; l++) {
                Nd4j.exec(new SquaredNorm(penaltyView[l], penalty2.getRow(l), 1, 2));
            }
            Nd4j.exec(new Sum(penalty2, penaltySum, 0));
            Nd4j.exec(new MulOp(penaltySum, l2Half, penaltySum));
        }
        if (penalty1 != null) {
            for (int l = 0; l < layout.layers; l++) {
                Nd4j.exec(new Norm1(penaltyView[l], penalty1.getRow(l), 1, 2));
            }
            INDArray l1Sum = penalty1.sum(0);
            Nd4j.exec(new MulOp(l1Sum, l1Vec, l1Sum));
            Nd4j.exec(new AddOp(penaltySum, l1Sum, penaltySum));
        }
    }

    // ------------------------------------------------------------------------------------------ training step

    /** What a training step computes about its own score (data loss + L1/L2 penalty, as DL4J's {@code score()}). */
    enum Score {
        /** Nothing. */
        NONE,
        /**
         * Enough for the epoch's mean score ({@link #takeEpochScoreSums}) at the lowest cost: the data loss sum
         * and element-wise running sums of {@code w^2} and {@code |w|}, reduced per member once per epoch.
         */
        EPOCH,
        /** Also each step's exact score per member, {@link #stepScore()}: the penalty is reduced every step. */
        STEP
    }

    /**
     * One minibatch for every active slot: forward, backward, regularisation, update.
     *
     * @param x     features with the ones column, {@code [rows, in + 1]}, float32 ({@link #withBiasColumn})
     * @param y     labels {@code [rows, C]}, float32
     * @param score what to compute about the step's score
     */
    void step(INDArray x, INDArray y, Score score) {
        step(x, y, null, score);
    }

    /**
     * One minibatch with per-example loss weights (as DL4J applies a per-example label mask: the loss and its
     * gradient of row r are multiplied by {@code w[r]}, the minibatch mean still divides by the number of rows).
     *
     * @param w {@code [rows]} or {@code [rows, 1]} float32 weights, or null for none
     */
    void step(INDArray x, INDArray y, INDArray w, Score score) {
        w = vector(w);
        if (masksStale) {
            refreshMasks();
        }
        Work wk = train((int) x.size(0));
        forward(wk, x, true);
        if (score == Score.STEP) {
            rawLoss(wk, y, null, w);
            Nd4j.exec(new ScalarMultiplication(wk.lossSum, null, stepScore, lossFactor / wk.rows));
            if (penalty2 != null || penalty1 != null) {
                penalty();
                Nd4j.exec(new AddOp(stepScore, penaltySum, stepScore));
            }
            Nd4j.exec(new Axpy(stepScore, epochScore, epochScore, wk.rows));
        } else if (score == Score.EPOCH) {
            // sum over steps of rows * score = sum of data-loss sums + rows * penalty
            rawLoss(wk, y, null, w);
            Nd4j.exec(new Axpy(wk.lossSum, epochScore, epochScore, lossFactor));
            if (squareSum != null) {
                Nd4j.exec(new MulOp(params, params, flatTmp));
                Nd4j.exec(new Axpy(flatTmp, squareSum, squareSum, wk.rows));
            }
            if (absSum != null) {
                Nd4j.exec(new Abs(params, flatTmp));
                Nd4j.exec(new Axpy(flatTmp, absSum, absSum, wk.rows));
            }
        }
        outputGradient(wk, y, null, w);
        backward(wk, x);
        update();
    }

    /**
     * One minibatch for every active slot, each slot on its own rows ({@link Population#fitRows}): forward,
     * backward, regularisation, update. Slot {@code s} uses the first {@code rows[s]} rows of its block; the rest
     * are padding (any values) that contributes nothing: its gradient is the mean over its own rows only, exactly as
     * if it trained alone on a minibatch of {@code rows[s]} rows, and its dropout draws cover its own rows only.
     *
     * @param x    per-slot features with the ones column, {@code [K, B, in + 1]}, float32, contiguous
     * @param y    per-slot labels {@code [K, B, C]}, float32, contiguous
     * @param rows {@code [K]}: real rows of each slot, each in {@code [1, B]}
     */
    void step(INDArray x, INDArray y, int[] rows) {
        step(x, y, rows, null);
    }

    /**
     * As {@link #step(INDArray, INDArray, int[])} with per-example loss weights: row r of slot s's loss and gradient
     * are multiplied by {@code w[s, r]} (the minibatch mean still divides by the slot's row count), as the shared
     * step does with a labels mask.
     *
     * @param w {@code [K, B]} float32 weights (any value at padding), or null for none
     */
    void step(INDArray x, INDArray y, int[] rows, INDArray w) {
        if (masksStale) {
            refreshMasks();
        }
        int b = (int) x.size(1);
        Work wk = train(b);
        memberRows = rows;
        try {
            forward(wk, x, true);
            outputGradient(wk, y, rowArray(rows, b, true), null);
            maskRows(wk.dzOut, w);
            backward(wk, x);
            update();
        } finally {
            memberRows = null;
        }
    }

    /**
     * Per slot, the summed data loss over its own first {@code rows[s]} rows of {@code x} (no penalty); the caller
     * divides by its row count. Same conventions as {@link #step(INDArray, INDArray, int[])}.
     *
     * @return {@code [K]} loss sums
     */
    double[] lossSums(INDArray x, INDArray y, int[] rows) {
        return lossSums(x, y, rows, null);
    }

    /**
     * As {@link #lossSums(INDArray, INDArray, int[])}, each row's loss multiplied by its weight.
     *
     * @param w {@code [K, B]} float32 weights, 0 at padding, or null for none
     */
    double[] lossSums(INDArray x, INDArray y, int[] rows, INDArray w) {
        int b = (int) x.size(1);
        Work wk = eval(b);
        forward(wk, x, false);
        rawLoss(wk, y, w != null ? w : rowArray(rows, b, false), null);
        double[] part = wk.lossSum.toDoubleVector();
        for (int s = 0; s < k; s++) {
            part[s] *= lossFactor;
        }
        return part;
    }

    /** Rows each slot really uses in the per-member step running now; null for a shared-input step. */
    private int[] memberRows;
    private final Map<String, INDArray> rowArrays = new HashMap<>();

    /**
     * {@code [K, b]}: 1 (or, with {@code scaled}, the slot's gradient factor / its row count, as the shared step's
     * scalar) at a slot's real rows, 0 at its padding. Cached: almost every step has the same pattern.
     */
    private INDArray rowArray(int[] rows, int b, boolean scaled) {
        String key = scaled + java.util.Arrays.toString(rows) + b;
        INDArray cached = rowArrays.get(key);
        if (cached != null) {
            return cached;
        }
        float[] v = new float[k * b];
        for (int s = 0; s < k; s++) {
            if (rows[s] < 1 || rows[s] > b) {
                throw new IllegalArgumentException("rows[" + s + "] must be in [1, " + b + "], got " + rows[s]);
            }
            double f = !scaled ? 1 : kind == TaskKind.REGRESSION ? 2.0 * (1.0 / rows[s]) / outputs : 1.0 / rows[s];
            for (int r = 0; r < rows[s]; r++) {
                v[s * b + r] = (float) f;
            }
        }
        INDArray a = Nd4j.createFromArray(v).reshape('c', k, b);
        if (rowArrays.size() > 64) {
            for (INDArray old : rowArrays.values()) {
                old.close();
            }
            rowArrays.clear();
        }
        rowArrays.put(key, a);
        return a;
    }

    /** Member {@code s}'s dropout draw over its first {@code r} rows only, as it would draw training alone. */
    private void partialDraw(Work wk, int l, int s, int r) {
        INDArray view = wk.maskView[l][s];
        // the draw's array and op, kept per (layer, slot, rows): a member's short last minibatch has the same size
        // every epoch
        long key = ((long) l * k + s) * (wk.rows + 1L) + r;
        PartialDraw p = wk.partial.get(key);
        if (p == null) {
            INDArray tmp = wk.own(Nd4j.create(DataType.FLOAT, view.size(0), r));
            p = new PartialDraw(tmp, new BernoulliDistribution(tmp, retain[l][s]),
                    view.get(NDArrayIndex.all(), NDArrayIndex.interval(0, r)));
            wk.partial.put(key, p);
        }
        Nd4j.getExecutioner().exec(p.draw(), dropoutRandom[s]);
        p.target().assign(p.values());
    }

    /** A partial dropout draw's own array, its op, and the part of the mask it fills. */
    private record PartialDraw(INDArray values, BernoulliDistribution draw, INDArray target) {
    }

    /** {@code out := p - y}: shared labels {@code [rows, C]} broadcast over the slots, or per-slot {@code [K, rows, C]}. */
    private static void subLabels(INDArray p, INDArray y, INDArray out) {
        if (y.rank() == 3) {
            Nd4j.exec(new SubOp(p, y, out));
        } else {
            Nd4j.exec(new BroadcastSubOp(p, y, out, 1, 2));
        }
    }

    /** {@code out := t * y}, labels as in {@link #subLabels}. */
    private static void mulLabels(INDArray t, INDArray y, INDArray out) {
        if (y.rank() == 3) {
            Nd4j.exec(new MulOp(t, y, out));
        } else {
            Nd4j.exec(new BroadcastMulOp(t, y, out, 1, 2));
        }
    }

    /** {@code t [K, rows, C] *= mask [K, rows]}; nothing when the mask is null. */
    private static void maskRows(INDArray t, INDArray mask) {
        if (mask != null) {
            Nd4j.exec(new BroadcastMulOp(t, mask, t, 0, 1));
        }
    }

    /** {@code t *= scalar}, or per slot and row {@code t [K, rows, C] *= scale [K, rows]} when a scale is given. */
    private static void scaleRows(INDArray t, INDArray scale, double scalar) {
        if (scale == null) {
            Nd4j.exec(new ScalarMultiplication(t, null, t, scalar));
        } else {
            Nd4j.exec(new BroadcastMulOp(t, scale, t, 0, 1));
        }
    }

    private void backward(Work wk, INDArray x) {
        int last = hidden;
        if (hidden == 0) {
            // the output layer is the first layer: its bias gradient is the ones column's row of this product
            wk.dzOutT.reshape('c', k, outputs, wk.rows).assign(wk.dzOut.permute(0, 2, 1));
            if (x.rank() == 3) {
                Nd4j.exec(new Mmul(wk.dzOutT.reshape('c', k, outputs, wk.rows), x, gw[0], NN));
            } else {
                Nd4j.exec(new Mmul(wk.dzOutT, x, gw0Flat, NN));
            }
            return;
        }
        Nd4j.exec(new Mmul(wk.dzOut, wk.h[last - 1], gw[last], TT));
        Nd4j.exec(new Mmul(w[last], wk.dzOut, wk.dh[last - 1], TT));
        if (!layout.biasFolded[last]) {
            Nd4j.exec(new Sum(wk.dzOut, gb[last], 1));
        }
        for (int l = hidden - 1; l >= 0; l--) {
            if (activation[l] == Activation.RELU) {
                Nd4j.exec(new MulOp(wk.dh[l], wk.gate[l], wk.dh[l]));
            } else {
                if (dropLayer[l]) {
                    Nd4j.exec(new MulOp(wk.dh[l], wk.mask[l], wk.dh[l]));
                }
                if (fromOutput(activation[l])) {
                    // the activation a (in z with dropout, else in h): dz = dh * (1 - a^2) for tanh, dh * a(1 - a)
                    // for the sigmoid; two or three cheap ops instead of a derivative op that evaluates tanh/exp again
                    INDArray a = dropLayer[l] ? wk.z[l] : wk.h[l];
                    INDArray t = wk.gate[l];
                    if (activation[l] == Activation.TANH) {
                        Nd4j.exec(new Square(a, t));
                        Nd4j.exec(new OneMinus(t, t));
                    } else {
                        Nd4j.exec(new TimesOneMinus(a, t));
                    }
                    Nd4j.exec(new MulOp(wk.dh[l], t, wk.dh[l]));
                } else {
                    activationBackprop(activation[l], wk.z[l], wk.dh[l]);
                }
            }
            if (l == 0 && x.rank() == 3) {
                Nd4j.exec(new Mmul(wk.dh[0], x, gw[0], NN));
            } else if (l == 0) {
                // [K*out0, rows] x [rows, in+1]: weight and bias gradients of every member's first layer
                Nd4j.exec(new Mmul(wk.dh2[0], x, gw0Flat, NN));
            } else {
                Nd4j.exec(new Mmul(wk.dh[l], wk.h[l - 1], gw[l], NT));
                Nd4j.exec(new Mmul(w[l], wk.dh[l], wk.dh[l - 1], TN));
                if (!layout.biasFolded[l]) {
                    Nd4j.exec(new Sum(wk.dh2[l], gbFlat[l], 1));
                }
            }
        }
    }

    private void update() {
        if (l2Coef != null) {
            Nd4j.exec(new MulOp(params, l2Coef, flatTmp));
            Nd4j.exec(new AddOp(grads, flatTmp, grads));
        }
        if (l1Coef != null) {
            Nd4j.exec(new Sign(params, flatTmp));
            Nd4j.exec(new MulOp(flatTmp, l1Coef, flatTmp));
            Nd4j.exec(new AddOp(grads, flatTmp, grads));
        }
        if (updater == Updater.Kind.ADAM) {
            int common = commonIteration();
            if (common >= 0) {
                adamStep(grads, adamV, adamM, common);
            } else {
                // members that joined at different times: Adam once per run of slots with one iteration count, over the
                // contiguous ranges those slots hold in each layer's W and b blocks (slot-major, see ParamLayout)
                for (int from = 0; from < k; ) {
                    int to = from + 1;
                    while (to < k && iterations[to] == iterations[from]) {
                        to++;
                    }
                    for (int l = 0; l < layout.layers; l++) {
                        long block = (long) layout.out[l] * layout.in[l];
                        adamRange(layout.wOffset[l] + from * block, (to - from) * block, iterations[from]);
                        if (!layout.biasFolded[l]) {
                            adamRange(layout.bOffset[l] + (long) from * layout.out[l], (long) (to - from) * layout.out[l],
                                    iterations[from]);
                        }
                    }
                    from = to;
                }
            }
        }
        Nd4j.exec(new MulOp(grads, lrMask, grads));
        if (decayCoef != null) {
            // decoupled weight decay after the updater, as DL4J's WeightDecay(applyLR = true): update += lr * wd * w
            Nd4j.exec(new MulOp(params, decayCoef, flatTmp));
            Nd4j.exec(new AddOp(grads, flatTmp, grads));
        }
        Nd4j.exec(new SubOp(params, grads, params));
        for (int s = 0; s < k; s++) {
            iterations[s]++;
        }
    }

    /** The iteration count every active slot shares, or -1 when they differ (stopped slots' counts do not matter). */
    private int commonIteration() {
        int common = -1;
        for (int s = 0; s < k; s++) {
            if (active[s]) {
                if (common < 0) {
                    common = iterations[s];
                } else if (iterations[s] != common) {
                    return -1;
                }
            }
        }
        return common < 0 ? iterations[0] : common;
    }

    private void adamStep(INDArray g, INDArray v, INDArray m, int iteration) {
        Nd4j.exec(new AdamUpdater(g, v, m, g, v, m, Double.isNaN(sharedLr) ? 1.0 : sharedLr,
                adam.getBeta1(), adam.getBeta2(), adam.getEpsilon(), iteration));
    }

    private void adamRange(long offset, long length, int iteration) {
        INDArray g = grads.get(NDArrayIndex.interval(offset, offset + length));
        INDArray v = adamV.get(NDArrayIndex.interval(offset, offset + length));
        INDArray m = adamM.get(NDArrayIndex.interval(offset, offset + length));
        adamStep(g, v, m, iteration);
    }

    /** The last recorded minibatch score of each slot, {@code [K]}. */
    INDArray stepScore() {
        return stepScore;
    }

    /** Fetches and resets the per-slot sums of {@code rows * score} over the steps since the last call. */
    double[] takeEpochScoreSums() {
        double[] sums = epochScore.toDoubleVector();
        epochScore.assign(0);
        if (squareSum != null) {
            double[] sq = layout.weightSums(squareSum.toFloatVector());
            for (int s = 0; s < k; s++) {
                sums[s] += 0.5 * (l2[s] + weightDecay[s]) * sq[s];
            }
            squareSum.assign(0);
        }
        if (absSum != null) {
            double[] ab = layout.weightSums(absSum.toFloatVector());
            for (int s = 0; s < k; s++) {
                sums[s] += l1[s] * ab[s];
            }
            absSum.assign(0);
        }
        return sums;
    }

    // ------------------------------------------------------------------------------------------ evaluation

    private int evalRows(int n) {
        int widest = outputs;
        for (int o : layout.out) {
            widest = Math.max(widest, o);
        }
        long rows = Math.max(1, EVAL_ELEMENTS / ((long) k * widest));
        return (int) Math.min(n, rows);
    }

    /**
     * Mean per-example data loss (no penalty) of every slot on {@code (x, y)}, as DL4J's
     * {@code scoreExamples(data, false).meanNumber()}.
     *
     * @param x features with the ones column, {@code [n, in + 1]} ({@link #withBiasColumn})
     * @param y labels {@code [n, C]}
     * @return {@code [K]} losses
     */
    double[] meanLoss(INDArray x, INDArray y) {
        return meanLoss(x, y, null);
    }

    /**
     * Mean per-example weighted data loss, {@code sum_r w[r] loss_r / n}, as DL4J's {@code scoreExamples} with a
     * per-example label mask.
     *
     * @param w {@code [n]} or {@code [n, 1]} weights, or null for none
     */
    double[] meanLoss(INDArray x, INDArray y, INDArray w) {
        w = vector(w);
        int n = (int) x.size(0);
        int chunk = evalRows(n);
        double[] sum = new double[k];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            Work wk = eval(to - from);
            INDArray xc = from == 0 && to == n ? x : x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray yc = from == 0 && to == n ? y : y.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray wc = w == null || (from == 0 && to == n) ? w : w.get(NDArrayIndex.interval(from, to));
            forward(wk, xc, false);
            rawLoss(wk, yc, null, wc);
            double[] part = wk.lossSum.toDoubleVector();
            for (int s = 0; s < k; s++) {
                sum[s] += lossFactor * part[s];
            }
        }
        for (int s = 0; s < k; s++) {
            sum[s] /= n;
        }
        return sum;
    }

    /**
     * Inference outputs of every slot (no dropout).
     *
     * @param x features with the ones column, {@code [n, in + 1]} ({@link #withBiasColumn})
     * @return a new array {@code [K, n, C]}: probabilities for classifiers, values for regression
     */
    INDArray output(INDArray x) {
        Work wk = eval((int) x.size(0));
        forward(wk, x, false);
        return wk.pOut.dup();
    }

    // ------------------------------------------------------------------------------------------ host transfer

    /** Every slot's current parameters, each as the member's DL4J parameter vector. */
    float[][] memberParams() {
        float[] flat = params.toFloatVector();
        float[][] out = new float[k][];
        for (int s = 0; s < k; s++) {
            out[s] = layout.get(flat, s);
        }
        return out;
    }

    /** The complete state of the given slots, for rebuilding a smaller engine (compaction). */
    List<MemberState> states(int[] slots) {
        float[] p = params.toFloatVector();
        float[] m = adamM.toFloatVector();
        float[] v = adamV.toFloatVector();
        List<MemberState> out = new ArrayList<>();
        for (int s : slots) {
            out.add(new MemberState(specs.get(s), layout.get(p, s), layout.get(m, s), layout.get(v, s), dropoutRandom[s],
                    iterations[s]));
        }
        return out;
    }

    /** Padded width of each layer (hidden layers, then the output layer), without phantom units. */
    int[] paddedWidths() {
        int[] widths = layout.out.clone();
        for (int l = 0; l < widths.length; l++) {
            if (layout.phantom[l]) {
                widths[l]--;
            }
        }
        return widths;
    }

    @Override
    public void close() {
        for (Work wk : trainWork.values()) {
            wk.close();
        }
        for (Work wk : evalWork.values()) {
            wk.close();
        }
        trainWork.clear();
        evalWork.clear();
        for (INDArray a : rowArrays.values()) {
            a.close();
        }
        rowArrays.clear();
        for (INDArray a : new INDArray[] {params, grads, adamM, adamV, lrMask, decayCoef, l2Coef, l1Coef, flatTmp, l2Half, l1Vec,
                penalty2, penalty1, penaltySum, stepScore, epochScore, squareSum, absSum}) {
            if (a != null && !a.wasClosed()) {
                a.close();
            }
        }
    }
}

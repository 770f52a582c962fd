package io.micromodels.bench.population;

import java.util.Locale;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Per-op timings (microseconds per call, median and 10th percentile of 200 calls after warm-up) behind the population
 * engine's layout and op choices: 2-D versus batched products, contiguous versus strided element-wise ops, dropout
 * draws, Adam variants, SameDiff's per-op cost. Run with {@code OMP_NUM_THREADS=1}; the argument lists the K values
 * (default 1,8,64,256). Array contents come from a seeded generator and do not matter.
 */
public final class LayoutProbe {
    public static void main(String[] args) {
        int b = 64, in = 10, w = 32, c = 2;
        for (int k : args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 8, 64, 256}) {
            Random rng = Nd4j.getRandomFactory().getNewRandomInstance(1);
            MMulTranspose nn = MMulTranspose.builder().build();
            MMulTranspose tn = MMulTranspose.builder().transposeA(true).build();
            MMulTranspose nt = MMulTranspose.builder().transposeB(true).build();
            System.out.printf(Locale.ROOT, "K=%d%n", k);
            // ---- transposed (feature-major) layout [K, w, B]
            INDArray xb = filler(b, in);
            INDArray w1t = filler(k * w, in).subi(0.5);
            INDArray b1 = filler(k * w, 1);
            INDArray z1t = Nd4j.create(DataType.FLOAT, k * w, b);
            INDArray h1t = Nd4j.create(DataType.FLOAT, k, w, b);
            INDArray w2t = filler(k, w, w).subi(0.5);
            INDArray z2t = Nd4j.create(DataType.FLOAT, k, w, b);
            INDArray w3 = filler(k, w, c);
            INDArray b3 = filler(k, c);
            INDArray z3 = Nd4j.create(DataType.FLOAT, k, b, c);
            INDArray y = filler(b, c);
            INDArray dw3 = Nd4j.create(DataType.FLOAT, k, w, c);
            INDArray db3 = Nd4j.create(DataType.FLOAT, k, c);
            INDArray dh2t = Nd4j.create(DataType.FLOAT, k, w, b);
            INDArray dz2t = Nd4j.create(DataType.FLOAT, k, w, b);
            INDArray dw2t = Nd4j.create(DataType.FLOAT, k, w, w);
            INDArray db2 = Nd4j.create(DataType.FLOAT, k * w);
            INDArray dw1t = Nd4j.create(DataType.FLOAT, k * w, in);
            INDArray prob = Nd4j.valueArrayOf(new long[] {k, w, b}, 0.9f);
            INDArray mask = Nd4j.create(DataType.FLOAT, k, w, b);
            INDArray scale = Nd4j.valueArrayOf(new long[] {k, w, b}, 1 / 0.9f);
            long p = (long) k * (w * in + w + w * w + w + w * c + c);
            INDArray g = filler(p).subi(0.5).muli(1e-2);
            INDArray mst = Nd4j.create(DataType.FLOAT, p), vst = Nd4j.create(DataType.FLOAT, p);
            INDArray par = filler(p), lr = Nd4j.valueArrayOf(new long[] {p}, 1e-3f);
            INDArray upd = Nd4j.create(DataType.FLOAT, p);
            INDArray z3flat = z3.reshape(k * b, c);
            t("T gemm W1T[K*w,in] Xb^T -> [K*w,B]", () -> Nd4j.exec(new Mmul(w1t, xb, z1t, nt)));
            t("T addiColumnVector b1", () -> z1t.addiColumnVector(b1));
            t("T relu [K,w,B] -> out", () -> Nd4j.exec(new RectifiedLinear(z1t, h1t.reshape(k * w, b), 0)));
            t("T bernoulli(prob array) [K,w,B]", () -> Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, prob), rng));
            t("T bernoulli(0.9) [K,w,B]", () -> Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 0.9), rng));
            if (k <= 64) {
                INDArray[] views = new INDArray[k];
                for (int i = 0; i < k; i++) {
                    views[i] = mask.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
                }
                t("T per-member bernoulli x K (contiguous views)", () -> {
                    for (INDArray v : views) {
                        Nd4j.getExecutioner().exec(new BernoulliDistribution(v, 0.9), rng);
                    }
                });
            }
            t("T mask *= scale", () -> mask.muli(scale));
            t("T h *= mask", () -> h1t.muli(mask));
            t("T bmm W2T[K,w,w] H1T[K,w,B]", () -> Nd4j.exec(new Mmul(w2t, h1t, z2t, nn)));
            t("T bmm H2T^T W3 -> [K,B,C]", () -> Nd4j.exec(new Mmul(h1t, w3, z3, tn)));
            t("T broadcast add b3 over [K,B,C] dims0,2", () -> Nd4j.exec(new BroadcastAddOp(z3, b3, z3, 0, 2)));
            t("T softmax [K*B,C]", () -> Nd4j.exec(new SoftMax(z3flat, z3flat, 1)));
            t("T broadcast sub Y [B,C] dims1,2", () -> Nd4j.exec(new BroadcastSubOp(z3, y, z3, 1, 2)));
            t("T bmm H2T dZ3 -> dW3 [K,w,C]", () -> Nd4j.exec(new Mmul(h1t, z3, dw3, 1.0 / b, 0, nn)));
            t("T db3 = dZ3.sum(1) [K,C]", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.reduce.same.Sum(z3, db3, 1)));
            t("T bmm W3 dZ3^T -> dH2T [K,w,B]", () -> Nd4j.exec(new Mmul(w3, z3, dh2t, 1.0 / b, 0, nt)));
            t("T relu bp -> dZ2T", () -> Nd4j.exec(new RectifiedLinearDerivative(z2t, dh2t, dz2t, 0)));
            t("T bmm dZ2T H1T^T -> dW2T", () -> Nd4j.exec(new Mmul(dz2t, h1t, dw2t, nt)));
            t("T db2 = dZ2T.sum(last)", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.reduce.same.Sum(dz2t.reshape(k * w, b), db2, 1)));
            t("T bmm W2T^T dZ2T -> dH1T", () -> Nd4j.exec(new Mmul(w2t, dz2t, dh2t, tn)));
            t("T gemm dZ1T Xb -> dW1T [K*w,in]", () -> Nd4j.exec(new Mmul(dz2t.reshape(k * w, b), xb, dw1t, nn)));
            t("adam_updater P", () -> Nd4j.exec(new AdamUpdater(g, vst, mst, upd, vst, mst, 1.0, 0.9, 0.999, 1e-8, 5)));
            t("upd *= lr ; par -= upd", () -> par.subi(upd.muli(lr)));
            t("g += l2 * par (axpy array form: 2 ops)", () -> g.addi(par.mul(lr)));
            // ---- dropout draw variants, Adam variants, output-layer gradient variants
            if (k <= 256) {
                INDArray ones = Nd4j.ones(DataType.FLOAT, w, b);
                INDArray[] mv = new INDArray[k];
                Random[] rs = new Random[k];
                for (int i = 0; i < k; i++) {
                    mv[i] = mask.get(NDArrayIndex.point(i), NDArrayIndex.interval(0, w), NDArrayIndex.all());
                    rs[i] = Nd4j.getRandomFactory().getNewRandomInstance(i);
                }
                t("drop: DropOutInverted per member", () -> {
                    for (int i = 0; i < k; i++) {
                        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.DropOutInverted(ones, mv[i], 0.9), rs[i]);
                    }
                });
                t("drop: Bernoulli per member + 1 scale mul", () -> {
                    for (int i = 0; i < k; i++) {
                        Nd4j.getExecutioner().exec(new BernoulliDistribution(mv[i], 0.9), rs[i]);
                    }
                    mask.muli(scale);
                });
                INDArray m1 = Nd4j.create(DataType.FLOAT, p), v1 = Nd4j.create(DataType.FLOAT, p), tmp = Nd4j.create(DataType.FLOAT, p);
                t("adam: 10 element-wise ops", () -> {
                    m1.muli(0.9);
                    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy(g, m1, m1, 0.1));
                    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(g, g, tmp));
                    v1.muli(0.999);
                    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy(tmp, v1, v1, 0.001));
                    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt(v1, tmp));
                    tmp.addi(1e-8);
                    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp(m1, tmp, tmp));
                    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(tmp, lr, tmp));
                    par.subi(tmp);
                });
                INDArray dwo = Nd4j.create(DataType.FLOAT, k, c, w);
                INDArray w3t = filler(k, c, w);
                INDArray z3t = Nd4j.create(DataType.FLOAT, k, c, b);
                t("out fwd TT h^T W^T -> [K,B,C]", () -> Nd4j.exec(new Mmul(h1t, w3t, z3, MMulTranspose.builder().transposeA(true).transposeB(true).build())));
                t("out fwd NN W^T h -> [K,C,B]", () -> Nd4j.exec(new Mmul(w3t, h1t, z3t, nn)));
                t("out dW TT dz^T h^T -> [K,C,w]", () -> Nd4j.exec(new Mmul(z3, h1t, dwo, MMulTranspose.builder().transposeA(true).transposeB(true).build())));
                t("out dW NT dzT h^T -> [K,C,w]", () -> Nd4j.exec(new Mmul(z3t, h1t, dwo, nt)));
                t("out dH TT W^T dz^T -> [K,w,B]", () -> Nd4j.exec(new Mmul(w3t, z3, dh2t, MMulTranspose.builder().transposeA(true).transposeB(true).build())));
                t("out dH TN W^T dzT -> [K,w,B]", () -> Nd4j.exec(new Mmul(w3t, z3t, dh2t, tn)));
                t("softmax [K,C,B] along dim 1", () -> Nd4j.exec(new SoftMax(z3t, z3t, 1)));
                t("permute copy [K,C,B] -> [K,B,C]", () -> z3.assign(z3t.permute(0, 2, 1)));
            }
            {
                INDArray g2 = filler(p).subi(0.5).muli(1e-2);
                INDArray m2 = Nd4j.create(DataType.FLOAT, p), v2 = Nd4j.create(DataType.FLOAT, p);
                INDArray u2 = Nd4j.create(DataType.FLOAT, p), m3 = Nd4j.create(DataType.FLOAT, p), v3 = Nd4j.create(DataType.FLOAT, p);
                t("adam_updater separate outputs", () -> Nd4j.exec(new AdamUpdater(g2, v2, m2, u2, v3, m3, 1.0, 0.9, 0.999, 1e-8, 5)));
                t("adam_updater 4-arg in place", () -> Nd4j.exec(new AdamUpdater(g2, v2, m2, 1.0, 0.9, 0.999, 1e-8, 5)));
                t("step(z) scalar op", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.Step(z2t, dz2t, 0.0)));
                t("mul pairwise contiguous [K,w,B]", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(z2t, dh2t, dz2t)));
                t("sum bias grad [K*w,B] dim 1", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.reduce.same.Sum(dz2t.reshape(k * w, b), db2, 1)));
                t("broadcast add column [K*w,B]", () -> Nd4j.exec(new BroadcastAddOp(z1t, b1.reshape(k * w), z1t, 0)));
                t("AddOp [K*w,B] + [K*w,1]", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(z1t, b1, z1t)));
                t("addiColumnVector [K*w,1]", () -> z1t.addiColumnVector(b1));
                INDArray b1v = filler(10 * k * w + 5).get(NDArrayIndex.interval(5, 5 + k * w)).reshape(k * w, 1);
                t("AddOp with view bias [K*w,1]", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(z1t, b1v, z1t)));
                t("addiColumnVector view bias", () -> z1t.addiColumnVector(b1v));
            }
            if (k == 64 || k == 256) {
                int steps = 8;
                INDArray buf = Nd4j.create(DataType.FLOAT, steps, k, w, b);
                INDArray[] mv8 = new INDArray[k];
                Random[] rs8 = new Random[k];
                for (int i = 0; i < k; i++) {
                    mv8[i] = buf.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
                    rs8[i] = Nd4j.getRandomFactory().getNewRandomInstance(i);
                }
                t("drop: 8 steps at once, strided member views (per step)", () -> {
                    for (int i = 0; i < k; i++) {
                        Nd4j.getExecutioner().exec(new BernoulliDistribution(mv8[i], 0.9), rs8[i]);
                    }
                });
                INDArray slice = buf.get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
                t("mul by step slice of the 8-step buffer", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(h1t, slice, h1t)));
                t("mul contiguous same shape", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(h1t, mask, h1t)));
            }
            {
                // SameDiff's per-op cost: a graph of one add, executed per call, against the same op directly
                org.nd4j.autodiff.samediff.SameDiff sd = org.nd4j.autodiff.samediff.SameDiff.create();
                org.nd4j.autodiff.samediff.SDVariable pa = sd.placeHolder("a", DataType.FLOAT, k, w, b);
                org.nd4j.autodiff.samediff.SDVariable pb = sd.placeHolder("b", DataType.FLOAT, k, w, b);
                pa.add("out", pb);
                java.util.Map<String, INDArray> feed = java.util.Map.of("a", h1t, "b", mask);
                t("samediff: graph of one add, output() per call", () -> sd.output(feed, "out"));
                t("direct: the same add", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(h1t, mask, dh2t)));
            }
            if (k == 1) {
                // fixed per-op cost: tiny arrays, a new op per call against an op and context built once
                INDArray ta = filler(4, 4), tb = filler(4, 4), tc = Nd4j.create(DataType.FLOAT, 4, 4);
                t("tiny MulOp, new op per call", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(ta, tb, tc)));
                org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp reused = new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(ta, tb, tc);
                t("tiny MulOp, op reused", () -> Nd4j.exec(reused));
                org.nd4j.linalg.api.ops.OpContext ctx = Nd4j.getExecutioner().buildContext();
                ctx.setInputArrays(ta, tb);
                ctx.setOutputArrays(tc);
                t("tiny MulOp, op and context reused", () -> Nd4j.exec(reused, ctx));
                t("tiny Mmul, new op per call", () -> Nd4j.exec(new Mmul(ta, tb, tc, nn)));
                t("tiny scalar mul, new op per call", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication(ta, null, tc, 2.0)));
            }
            if (k == 64) {
                INDArray fa = filler(p).addi(0.5), fb = filler(p).addi(0.5), fc = Nd4j.create(DataType.FLOAT, p);
                t("flat Axpy", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy(fa, fb, fc, 0.1)));
                t("flat MulOp", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(fa, fb, fc)));
                t("flat DivOp", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp(fa, fb, fc)));
                t("flat AddOp", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(fa, fb, fc)));
                t("flat Sqrt", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt(fa, fc)));
                t("flat scalar mul", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication(fa, null, fc, 0.9)));
                t("flat scalar add", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd(fa, null, fc, 1e-8)));
                t("flat sign", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.same.Sign(fa, fc)));
                t("flat RSqrt", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.floating.RSqrt(fa, fc)));
                t("flat Pow 0.5", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.Pow(fa, fc, 0.5)));
                t("flat Log", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.Log(fa, fc)));
                t("flat Exp", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.Exp(fa, fc)));
            }
            // ---- batch-major layout [B, K, w] with permuted views for the batched product
            INDArray hb = filler(b, k * w);
            INDArray zb = Nd4j.create(DataType.FLOAT, b, k * w);
            INDArray w2 = filler(k, w, w);
            INDArray hperm = hb.reshape(b, k, w).permute(1, 0, 2);
            INDArray zperm = zb.reshape(b, k, w).permute(1, 0, 2);
            t("B bmm permuted views [K,B,w]x[K,w,w]", () -> Nd4j.exec(new Mmul(hperm, w2, zperm, nn)));
        }
    }

    private static final java.util.SplittableRandom FILL = new java.util.SplittableRandom(42);

    /** A float32 array of the given shape filled with uniform [0, 1) values from a seeded generator. */
    static INDArray filler(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) FILL.nextDouble();
        }
        return Nd4j.create(v, shape, 'c');
    }

    static void t(String name, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.out.printf(Locale.ROOT, "  %-44s failed: %s%n", name, e.getMessage());
            return;
        }
        for (int i = 0; i < 30; i++) {
            r.run();
        }
        int n = 200;
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            r.run();
            ts[i] = System.nanoTime() - s;
        }
        java.util.Arrays.sort(ts);
        System.out.printf(Locale.ROOT, "  %-44s %9.1f us (p10 %.1f)%n", name, ts[n / 2] / 1e3, ts[n / 10] / 1e3);
    }
}

package io.micromodels.frozen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrozenNetworkTest {

    /** 2-3-2, ReLU then softmax; expected values worked out by hand (and checked in Python). */
    @Test
    void forwardMatchesHandComputedValues() {
        FrozenNetwork net = FrozenNetwork.of(
                FrozenLayer.dense(new double[][] {{1, -1, 0.5}, {0.5, 1, -2}}, new double[] {0, 0.5, 1}, Activation.RELU),
                FrozenLayer.dense(new double[][] {{1, 0}, {0, 2}, {3, 3}}, new double[] {0.5, -1}, Activation.SOFTMAX));
        // hidden pre-activation: [1 + 1 + 0, -1 + 2 + 0.5, 0.5 - 4 + 1] = [2, 1.5, -2.5]; ReLU -> [2, 1.5, 0]
        // logits: [2 + 0.5, 3 - 1] = [2.5, 2]; softmax -> [1 / (1 + e^-0.5), 1 / (1 + e^0.5)]
        double[] out = new double[2];
        net.predict(new double[] {1, 2}, out);
        assertEquals(0.6224593312018546, out[0], 1e-15);
        assertEquals(0.37754066879814546, out[1], 1e-15);
        assertEquals("2-3-2", net.shape());
        assertEquals(2 * 3 + 3 + 3 * 2 + 2, net.parameterCount());
    }

    /** One identity-weight layer per activation, so out[j] = act(x[j]); expected values from Python's math module. */
    @ParameterizedTest
    @CsvSource({
            "IDENTITY,  -2.0, -2.0", "IDENTITY, 0.75, 0.75",
            "RELU,      -2.0, 0.0", "RELU, 0.75, 0.75", "RELU, 0.0, 0.0",
            "LEAKYRELU, -2.0, -0.02", "LEAKYRELU, -0.5, -0.005", "LEAKYRELU, 3.0, 3.0",
            "ELU,       -2.0, -0.8646647167633873", "ELU, -0.5, -0.3934693402873666", "ELU, 3.0, 3.0",
            "TANH,      -2.0, -0.9640275800758169", "TANH, 0.75, 0.6351489523872873", "TANH, 3.0, 0.9950547536867305",
            "SIGMOID,   -2.0, 0.11920292202211755", "SIGMOID, 0.0, 0.5", "SIGMOID, 0.75, 0.679178699175393",
            "SIGMOID,   3.0, 0.9525741268224334",
    })
    void activationsMatchReferenceValues(Activation act, double x, double expected) {
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1}}, new double[] {0}, act));
        assertEquals(expected, net.predict(new double[] {x})[0], 1e-15, act + "(" + x + ")");
        // And through the bias instead of the weight (x * 0 + b): the bias is added.
        FrozenNetwork viaBias = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{0}}, new double[] {x}, act));
        assertEquals(expected, viaBias.predict(new double[] {123})[0], 1e-15);
    }

    @Test
    void parametricActivationsUseAlpha() {
        FrozenNetwork lrelu = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1}}, new double[] {0}, Activation.LEAKYRELU, 0.2));
        assertEquals(-0.4, lrelu.predict(new double[] {-2})[0], 1e-15);
        FrozenNetwork elu = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1}}, new double[] {0}, Activation.ELU, 2.0));
        assertEquals(2 * -0.8646647167633873, elu.predict(new double[] {-2})[0], 1e-15);
        FrozenNetwork steep = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1}}, new double[] {0}, Activation.LEAKYRELU, 2.0));
        assertEquals(-4.0, steep.predict(new double[] {-2})[0], 0.0);
        assertEquals(3.0, steep.predict(new double[] {3})[0], 0.0);
        assertEquals(0.0, elu.predict(new double[] {0})[0], 0.0);
        assertEquals(1e-300, elu.predict(new double[] {1e-300})[0], 0.0);
        assertEquals(0.01, FrozenLayer.dense(new double[][] {{1}}, new double[] {0}, Activation.LEAKYRELU).alpha());
        assertEquals(1.0, FrozenLayer.dense(new double[][] {{1}}, new double[] {0}, Activation.ELU).alpha());
    }

    @Test
    void softmaxSumsToOneAndMatchesNaiveReference() {
        FrozenNetwork net = TestNets.random(7, Activation.TANH, Activation.SOFTMAX, 6, 16, 5);
        Random rnd = new Random(1);
        double[] out = new double[5];
        for (int r = 0; r < 500; r++) {
            double[] x = TestNets.randomRow(rnd, 6);
            net.predict(x, out);
            double sum = 0;
            for (double p : out) {
                assertTrue(p > 0 && p < 1, "probability in (0,1): " + p);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-12);
            assertArrayEquals(TestNets.naiveForward(net, x), out, 1e-12);
        }
    }

    /** Logits that overflow to +/-inf still give the softmax limit, not NaN (inf - inf), one row and in batches. */
    @Test
    void softmaxOfInfiniteLogitsIsItsLimit() {
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1e300, 1e300, -1e300}}, new double[] {0, 0, 0}, Activation.SOFTMAX));
        double[] out = new double[3];
        net.predict(new double[] {1e10}, out); // logits +inf, +inf, -inf
        assertEquals(0.5, out[0], 0.0);
        assertEquals(0.5, out[1], 0.0);
        assertEquals(0.0, out[2], 0.0);
        double[] batch = new double[3 * 3];
        net.predictBatch(new double[] {1e10, -1e10, 1}, 3, batch);
        assertEquals(0.5, batch[0], 0.0);
        assertEquals(0.0, batch[3], 0.0);
        assertEquals(1.0, batch[5], 0.0); // logits -inf, -inf, +inf
        assertEquals(0.5, batch[6], 0.0); // finite logits 1e300, 1e300, -1e300: the ordinary max-subtracted softmax
        assertEquals(0.0, batch[8], 0.0);
        for (double p : batch) assertTrue(Double.isFinite(p), java.util.Arrays.toString(batch));
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        FrozenNetwork net = FrozenNetwork.of(FrozenLayer.dense(new double[][] {{1000, 999, -1000}}, new double[] {0, 0, 0}, Activation.SOFTMAX));
        double[] out = net.predict(new double[] {1});
        assertEquals(1 / (1 + Math.exp(-1)), out[0], 1e-15);
        assertEquals(1 / (1 + Math.exp(1)), out[1], 1e-15);
        assertEquals(0.0, out[2]);
    }

    @Test
    void deepNetworkOfEveryActivationMatchesNaiveReference() {
        Random rnd = new Random(3);
        List<FrozenLayer> layers = new ArrayList<>();
        Activation[] acts = {Activation.RELU, Activation.LEAKYRELU, Activation.ELU, Activation.TANH, Activation.SIGMOID, Activation.IDENTITY};
        int width = 7;
        for (Activation a : acts) {
            double[][] w = new double[width][width];
            for (double[] row : w) for (int j = 0; j < width; j++) row[j] = rnd.nextGaussian();
            double[] b = TestNets.randomRow(rnd, width);
            layers.add(FrozenLayer.dense(w, b, a));
        }
        FrozenNetwork net = FrozenNetwork.of(layers);
        for (int r = 0; r < 200; r++) {
            double[] x = TestNets.randomRow(rnd, width);
            assertArrayEquals(TestNets.naiveForward(net, x), net.predict(x), 1e-12);
        }
    }

    @Test
    void batchIsBitwiseIdenticalToSingleRows() {
        FrozenNetwork net = TestNets.random(11, Activation.RELU, Activation.SOFTMAX, 10, 32, 32, 2);
        Random rnd = new Random(5);
        for (int n : new int[] {0, 1, 2, 7, 8, 9, 17, 1024, 1027}) {
            double[] flat = new double[n * 10];
            for (int i = 0; i < flat.length; i++) flat[i] = rnd.nextGaussian();
            double[] out = new double[n * 2];
            net.predictBatch(flat, n, out);
            double[][] rows = new double[n][10];
            for (int r = 0; r < n; r++) {
                System.arraycopy(flat, r * 10, rows[r], 0, 10);
                double[] single = net.predict(rows[r]);
                assertEquals(Double.doubleToRawLongBits(single[0]), Double.doubleToRawLongBits(out[2 * r]), "row " + r + " of " + n);
                assertEquals(Double.doubleToRawLongBits(single[1]), Double.doubleToRawLongBits(out[2 * r + 1]), "row " + r + " of " + n);
            }
            double[][] batch = net.predictBatch(rows);
            for (int r = 0; r < n; r++) assertArrayEquals(new double[] {out[2 * r], out[2 * r + 1]}, batch[r], 0.0);
        }
    }

    @Test
    void singleLayerNetworkAndCallerScratch() {
        FrozenNetwork net = TestNets.random(2, Activation.RELU, Activation.SIGMOID, 4, 1);
        FrozenNetwork.Scratch scratch = net.newScratch();
        double[] x = {0.5, -1, 2, 0};
        double[] out = new double[1];
        net.predict(x, out, scratch);
        assertArrayEquals(TestNets.naiveForward(net, x), out, 1e-15);
        double[] flat = {0.5, -1, 2, 0, 1, 1, 1, 1};
        double[] two = new double[2];
        net.predictBatch(flat, 2, two, scratch);
        assertEquals(out[0], two[0], 0.0);
    }

    /**
     * The documented error bound: double arithmetic agrees with DL4J's float32 arithmetic (emulated here: inputs
     * rounded to float, float accumulation) to well within 1e-5 on standardised inputs.
     */
    @Test
    void doubleResultsAgreeWithFloat32ArithmeticWithin1e5() {
        Random rnd = new Random(9);
        double worst = 0;
        for (Activation hidden : new Activation[] {Activation.RELU, Activation.TANH, Activation.ELU, Activation.LEAKYRELU, Activation.SIGMOID}) {
            for (long seed = 0; seed < 5; seed++) {
                FrozenNetwork net = TestNets.random(seed, hidden, Activation.SOFTMAX, 10, 32, 32, 3);
                FrozenNetwork reg = TestNets.random(seed + 100, hidden, Activation.IDENTITY, 10, 32, 32, 1);
                for (int r = 0; r < 300; r++) {
                    double[] x = TestNets.randomRow(rnd, 10);
                    double[] a = net.predict(x);
                    double[] f = TestNets.float32Forward(net, x);
                    for (int j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j] - f[j]));
                    worst = Math.max(worst, Math.abs(reg.predict(x)[0] - TestNets.float32Forward(reg, x)[0]));
                }
            }
        }
        assertTrue(worst < 1e-5, "max |double - float32| = " + worst);
        assertTrue(worst > 0, "the float32 emulation must actually differ from double, else this test proves nothing");
    }

    @Test
    void columnMajorAndRowMajorFactoriesAgreeWithMatrixForm() {
        double[][] w = {{1, 2, 3}, {4, 5, 6}}; // [nIn=2][nOut=3]
        double[] b = {0.1, 0.2, 0.3};
        FrozenLayer dense = FrozenLayer.dense(w, b, Activation.IDENTITY);
        assertEquals(dense, FrozenLayer.ofRowMajor(2, 3, new double[] {1, 2, 3, 4, 5, 6}, b, Activation.IDENTITY, 0));
        assertEquals(dense, FrozenLayer.ofColumnMajor(2, 3, new double[] {1, 4, 2, 5, 3, 6}, b, Activation.IDENTITY, 0));
        assertEquals(6.0, dense.weight(1, 2));
        assertArrayEquals(w[1], dense.weights()[1]);
    }

    @Test
    void layersAreImmutable() {
        double[][] w = {{1, 2}};
        double[] b = {0, 0};
        FrozenLayer l = FrozenLayer.dense(w, b, Activation.IDENTITY);
        w[0][0] = 99;
        b[0] = 99;
        l.weights()[0][1] = 99;
        l.bias()[1] = 99;
        assertEquals(1.0, l.weight(0, 0));
        assertArrayEquals(new double[] {0, 0}, l.bias());
        assertEquals(2.0, l.weight(0, 1));
    }

    @Test
    void shapeErrorsNameTheLayerAndShapes() {
        FrozenLayer a = FrozenLayer.dense(new double[3][4], new double[4], Activation.RELU);
        FrozenLayer b = FrozenLayer.dense(new double[5][2], new double[2], Activation.SOFTMAX);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrozenNetwork.of(a, b));
        assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("[5]") && e.getMessage().contains("layer 0")
                && e.getMessage().contains("[4]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> FrozenLayer.dense(new double[3][4], new double[3], Activation.RELU));
        assertTrue(e.getMessage().contains("bias has shape [3], expected [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrozenLayer.dense(new double[][] {{1, 2}, {3}}, new double[2], Activation.RELU));
        assertTrue(e.getMessage().contains("row 1 has 1 values, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrozenLayer.ofRowMajor(2, 3, new double[5], new double[3], Activation.RELU, 0));
        assertTrue(e.getMessage().contains("weights has 5 values, expected nIn * nOut = 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrozenLayer.dense(new double[][] {{1, Double.NaN}}, new double[2], Activation.RELU));
        assertTrue(e.getMessage().contains("W[0][1] is not finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrozenLayer.dense(new double[][] {{1}}, new double[1], Activation.RELU, 0.5));
        assertTrue(e.getMessage().contains("RELU takes no alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, FrozenNetwork::of);
        assertTrue(e.getMessage().contains("at least one layer"), e.getMessage());

        FrozenNetwork net = FrozenNetwork.of(a);
        e = assertThrows(IllegalArgumentException.class, () -> net.predict(new double[2], new double[4]));
        assertTrue(e.getMessage().contains("features has shape [2], expected [3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.predict(new double[3], new double[2]));
        assertTrue(e.getMessage().contains("out has shape [2], expected [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.predictBatch(new double[5], 2, new double[8]));
        assertTrue(e.getMessage().contains("at least n * inputWidth = 2 * 3 = 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.predictBatch(new double[][] {new double[3], new double[2]}));
        assertTrue(e.getMessage().contains("rows[1] has shape [2], expected [3]"), e.getMessage());
    }

    @Test
    void concurrentPredictionsAreIdenticalToSequentialOnes() throws Exception {
        FrozenNetwork net = TestNets.random(21, Activation.RELU, Activation.SOFTMAX, 10, 32, 32, 2);
        Random rnd = new Random(8);
        int n = 2000;
        double[][] rows = new double[n][];
        double[][] expected = new double[n][];
        for (int r = 0; r < n; r++) {
            rows[r] = TestNets.randomRow(rnd, 10);
            expected[r] = TestNets.naiveForward(net, rows[r]);
        }
        double[][] sequential = new double[n][];
        for (int r = 0; r < n; r++) sequential[r] = net.predict(rows[r]);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<double[][]>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int offset = t * 97;
                Callable<double[][]> job = () -> {
                    double[][] got = new double[n][];
                    double[] out = new double[2];
                    for (int k = 0; k < n; k++) {
                        int r = (k + offset) % n; // each thread walks the rows in a different order
                        net.predict(rows[r], out);
                        got[r] = out.clone();
                    }
                    return got;
                };
                futures.add(pool.submit(job));
            }
            for (Future<double[][]> f : futures) {
                double[][] got = f.get();
                for (int r = 0; r < n; r++) {
                    assertArrayEquals(sequential[r], got[r], 0.0, "row " + r);
                    assertArrayEquals(expected[r], got[r], 1e-12, "row " + r);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package io.micromodels.frozen;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hot paths allocate nothing after warm-up, measured with the per-thread allocation counter. */
class AllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Bytes allocated by the body, best of a few tries (the first may include one-off JIT/class-loading effects). */
    private static long bytesAllocatedBy(Runnable body) {
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = allocated();
            body.run();
            best = Math.min(best, allocated() - before);
        }
        return best;
    }

    @Test
    void counterSeesAllocations() {
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        Object[] sink = new Object[1];
        long bytes = bytesAllocatedBy(() -> {
            for (int i = 0; i < 1000; i++) sink[0] = new double[10];
        });
        assertTrue(bytes >= 1000 * 80, "the allocation counter must see allocations, else the zero checks prove nothing: " + bytes);
    }

    @Test
    void networkPredictAllocatesNothing() {
        FrozenNetwork net = TestNets.random(1, Activation.RELU, Activation.SOFTMAX, 10, 32, 32, 2);
        double[] x = TestNets.randomRow(new Random(1), 10);
        double[] out = new double[2];
        Runnable calls = () -> {
            for (int i = 0; i < 20_000; i++) {
                x[i % 10] += 1e-9; // vary the input a little so nothing can be hoisted
                net.predict(x, out);
            }
        };
        calls.run(); // warm-up: JIT, thread-local scratch
        assertEquals(0, bytesAllocatedBy(calls));
    }

    @Test
    void networkBatchAllocatesNothing() {
        FrozenNetwork net = TestNets.random(1, Activation.TANH, Activation.SIGMOID, 10, 32, 32, 1);
        Random rnd = new Random(2);
        int n = 100;
        double[] flat = new double[n * 10];
        for (int i = 0; i < flat.length; i++) flat[i] = rnd.nextGaussian();
        double[] out = new double[n];
        Runnable calls = () -> {
            for (int i = 0; i < 500; i++) net.predictBatch(flat, n, out);
        };
        calls.run();
        assertEquals(0, bytesAllocatedBy(calls));
    }

    @Test
    void micromodelPredictFeaturesAllocatesNothing() {
        FrozenNetwork net = TestNets.random(4, Activation.RELU, Activation.SIGMOID, 3, 8, 1);
        FrozenMicromodel model = FrozenMicromodel.of(IdentityPipeline.of("a", "b", "c"), net, FrozenMetadata.binary("y", "no", "yes"));
        double[] x = {0.1, 0.2, 0.3};
        double[] out = new double[2];
        double[] flat = {0.1, 0.2, 0.3, 1, 2, 3};
        double[] flatOut = new double[4];
        Runnable calls = () -> {
            for (int i = 0; i < 20_000; i++) {
                model.predictFeatures(x, out);
                model.predictFeaturesBatch(flat, 2, flatOut);
            }
        };
        calls.run();
        assertEquals(0, bytesAllocatedBy(calls));
    }
}

package io.micromodels.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelSamplerTest {

    private static int size(boolean[] m) {
        int s = 0;
        for (boolean b : m) if (b) s++;
        return s;
    }

    @Test
    void fullBudgetEnumeratesEveryCoalitionWithShapleyKernelWeights() {
        int m = 7;
        KernelSampler.Samples s = KernelSampler.sample(m, (1 << m) - 2, new SplittableRandom(1));
        assertEquals((1 << m) - 2, s.masks().length);
        Set<String> distinct = new HashSet<>();
        double total = 0;
        for (int k = 0; k < s.masks().length; k++) {
            boolean[] mask = s.masks()[k];
            distinct.add(Arrays.toString(mask));
            int z = size(mask);
            assertTrue(z > 0 && z < m);
            // Shapley kernel (M-1) / (C(M,|z|) |z| (M-|z|)), up to one common factor.
            double kernel = (m - 1.0) / (KernelSampler.binomial(m, z) * z * (m - z));
            double ratio = s.weights()[k] / kernel;
            double ref = s.weights()[0] / ((m - 1.0) / (KernelSampler.binomial(m, size(s.masks()[0])) * (m - 1)));
            assertEquals(ref, ratio, 1e-12);
            total += s.weights()[k];
        }
        assertEquals((1 << m) - 2, distinct.size());
        assertEquals(1.0, total, 1e-12);
    }

    @Test
    void sampledBudgetIsRespectedPairedAndNormalised() {
        int m = 30;
        int budget = 2 * m + 2048;
        KernelSampler.Samples s = KernelSampler.sample(m, budget, new SplittableRandom(2));
        assertTrue(s.masks().length <= budget && s.masks().length >= budget - 1, "count " + s.masks().length);
        // Sizes 1 and 29 (2 * 30 coalitions) and 2 and 28 fit: enumerated.
        assertTrue(s.enumerated() >= 60, "enumerated " + s.enumerated());
        Set<String> all = new HashSet<>();
        for (boolean[] mask : s.masks()) assertTrue(all.add(Arrays.toString(mask)), "distinct");
        int unpaired = 0;
        for (boolean[] mask : s.masks()) {
            if (size(mask) == m / 2) continue;      // as in shap, the middle size of an even M is not paired
            boolean[] c = new boolean[m];
            for (int i = 0; i < m; i++) c[i] = !mask[i];
            if (!all.contains(Arrays.toString(c))) unpaired++;
        }
        assertTrue(unpaired <= 1, "antithetic pairs, unpaired " + unpaired);
        double total = Arrays.stream(s.weights()).sum();
        assertEquals(1.0, total, 1e-12);
    }
}

package io.micromodels.explain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Kernel SHAP's choice of coalitions and their weights, following the scheme of the shap library's
 * KernelExplainer: subset sizes are visited from the outside in (size s paired with size M-s); a
 * size whose subsets (and complements) all fit in the remaining budget, in proportion to its share
 * of the Shapley kernel weight, is enumerated completely with exact kernel weights; the remaining
 * budget is spent on random subsets drawn with their complements (paired, antithetic sampling)
 * from the remaining sizes in proportion to their kernel weight, duplicates adding to a coalition's
 * count, and their weights are rescaled to the kernel weight those sizes hold.
 */
final class KernelSampler {

    /** Coalitions (membership over the M players, shape [K][M]) and their kernel weights (shape [K]). */
    record Samples(boolean[][] masks, double[] weights, int enumerated) {}

    private KernelSampler() {}

    static Samples sample(int m, int budget, SplittableRandom rng) {
        if (m < 2) throw new IllegalArgumentException("Kernel SHAP needs at least 2 players, got " + m);
        int numSizes = m / 2;                 // ceil((m-1)/2)
        int numPaired = (m - 1) / 2;          // floor((m-1)/2)
        double[] weightVector = new double[numSizes];
        double total = 0;
        for (int i = 0; i < numSizes; i++) {
            int s = i + 1;
            weightVector[i] = (m - 1.0) / ((double) s * (m - s));
            if (s <= numPaired) weightVector[i] *= 2;    // size s stands for sizes s and m-s
            total += weightVector[i];
        }
        for (int i = 0; i < numSizes; i++) weightVector[i] /= total;

        List<boolean[]> masks = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double[] remaining = weightVector.clone();
        double samplesLeft = budget;
        int numFull = 0;
        for (int s = 1; s <= numSizes; s++) {
            double nSubsets = binomial(m, s);
            boolean paired = s <= numPaired;
            if (paired) nSubsets *= 2;
            if (samplesLeft * remaining[s - 1] / nSubsets < 1.0 - 1e-8) break;
            numFull++;
            samplesLeft -= nSubsets;
            if (remaining[s - 1] < 1.0) {
                double r = 1 - remaining[s - 1];
                for (int i = 0; i < numSizes; i++) remaining[i] /= r;
            }
            double w = weightVector[s - 1] / binomial(m, s);
            if (paired) w /= 2;
            int[] comb = new int[s];
            for (int i = 0; i < s; i++) comb[i] = i;
            while (true) {
                boolean[] mask = new boolean[m];
                for (int i : comb) mask[i] = true;
                masks.add(mask);
                weights.add(w);
                if (paired) {
                    masks.add(complement(mask));
                    weights.add(w);
                }
                if (!nextCombination(comb, m)) break;
            }
        }
        int nFixed = masks.size();
        int left = (int) Math.round(samplesLeft);
        if (numFull < numSizes && left > 0) {
            double[] cumulative = new double[numSizes - numFull];
            double sum = 0;
            for (int i = numFull; i < numSizes; i++) {
                double w = weightVector[i];
                if (i < numPaired) w /= 2;          // each draw below adds two coalitions
                sum += w;
                cumulative[i - numFull] = sum;
            }
            Map<BitSet, Integer> seen = new HashMap<>();
            int[] perm = new int[m];
            for (int i = 0; i < m; i++) perm[i] = i;
            long draws = 4L * left;
            while (left > 0 && draws-- > 0) {
                double u = rng.nextDouble() * sum;
                int ind = 0;
                while (ind < cumulative.length - 1 && u >= cumulative[ind]) ind++;
                int s = ind + numFull + 1;
                for (int i = 0; i < s; i++) {         // partial Fisher-Yates: a uniform subset of size s
                    int j = i + rng.nextInt(m - i);
                    int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
                }
                boolean[] mask = new boolean[m];
                for (int i = 0; i < s; i++) mask[perm[i]] = true;
                boolean paired = s <= numPaired;
                BitSet key = bits(mask);
                Integer at = seen.get(key);
                if (at == null) {
                    seen.put(key, masks.size());
                    masks.add(mask);
                    weights.add(1.0);
                    left--;
                    if (paired && left > 0) {
                        boolean[] comp = complement(mask);
                        BitSet ck = bits(comp);
                        Integer cat = seen.get(ck);
                        if (cat == null) {
                            seen.put(ck, masks.size());
                            masks.add(comp);
                            weights.add(1.0);
                            left--;
                        } else {
                            weights.set(cat, weights.get(cat) + 1);
                        }
                    }
                } else {
                    weights.set(at, weights.get(at) + 1);
                    if (paired) {
                        Integer cat = seen.get(bits(complement(mask)));
                        if (cat != null) weights.set(cat, weights.get(cat) + 1);
                    }
                }
            }
            double weightLeft = 0;
            for (int i = numFull; i < numSizes; i++) weightLeft += weightVector[i];
            double drawn = 0;
            for (int i = nFixed; i < weights.size(); i++) drawn += weights.get(i);
            if (drawn > 0) {
                for (int i = nFixed; i < weights.size(); i++) weights.set(i, weights.get(i) * weightLeft / drawn);
            }
        }
        double[] w = new double[weights.size()];
        for (int i = 0; i < w.length; i++) w[i] = weights.get(i);
        return new Samples(masks.toArray(new boolean[0][]), w, nFixed);
    }

    static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r < 1e15 ? Math.rint(r) : r;
    }

    private static boolean nextCombination(int[] c, int n) {
        int k = c.length;
        int i = k - 1;
        while (i >= 0 && c[i] == n - k + i) i--;
        if (i < 0) return false;
        c[i]++;
        for (int j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
        return true;
    }

    private static boolean[] complement(boolean[] mask) {
        boolean[] c = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) c[i] = !mask[i];
        return c;
    }

    private static BitSet bits(boolean[] mask) {
        BitSet b = new BitSet(mask.length);
        for (int i = 0; i < mask.length; i++) if (mask[i]) b.set(i);
        return b;
    }
}

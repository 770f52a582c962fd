package io.micromodels.tune;

import io.micromodels.seed.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Uniform random search on the unit cube, as a pure function of the seed and the trial count: the {@code k}-th
 * point (0-based) is drawn from its own stream, {@code Seeds.fork(seed, "random-point", k)}. A call returns the
 * first {@code q} points of that sequence not among the trials' points, so a study, a resumed study (a trial lost
 * in flight is proposed again first) and several workers sharing one study (each asking with every trial so far,
 * running ones included) never draw the same point twice and need no state.
 * Arbiter's own {@code RandomSearchGenerator} is available as {@link ArbiterSampler#random}.
 */
public final class RandomSampler implements Sampler {
    private final int dimensions;
    private final long seed;

    /**
     * @param dimensions coordinates per point, {@code >= 1}
     * @param seed       the sampler's seed
     */
    public RandomSampler(int dimensions, long seed) {
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
        }
        this.dimensions = dimensions;
        this.seed = seed;
    }

    @Override
    public List<double[]> propose(List<TrialRecord> trials, int q) {
        TakenPoints taken = new TakenPoints(trials);
        List<double[]> out = new ArrayList<>(q);
        for (long k = 0; out.size() < q; k++) {
            double[] p = point(k);
            if (taken.isNew(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** @return shape {@code [d]}: the {@code k}-th point of this sampler's sequence */
    public double[] point(long k) {
        SplittableRandom r = new SplittableRandom(Seeds.fork(seed, "random-point", k));
        double[] p = new double[dimensions];
        for (int j = 0; j < dimensions; j++) {
            p[j] = r.nextDouble();
        }
        return p;
    }
}

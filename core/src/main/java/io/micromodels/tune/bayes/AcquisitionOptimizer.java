package io.micromodels.tune.bayes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Maximises log expected improvement over the valid encodings of a mixed space.
 *
 * <p>Every candidate is rounded to a valid encoding (discrete coordinates to their bin centres)
 * <em>before</em> it is scored. Steps: score {@code rawSamples} candidates (three quarters from a
 * freshly scrambled Sobol sequence, one quarter Gaussian perturbations of the best observed
 * points at log-uniform scales from 0.002 to 0.2); take the best {@code refinedCandidates}
 * distinct ones; refine each by alternating L-BFGS on the continuous coordinates (discrete ones
 * fixed) with a level search on each discrete coordinate (every category; every integer level
 * when there are at most 16, otherwise levels at offsets ±1, ±2, ±4, ...), until a level search
 * no longer improves (at most 4 rounds).
 */
final class AcquisitionOptimizer {

    /** A scored candidate. */
    record Scored(double[] point, double logEi) {
    }

    private static final int ALL_LEVELS_UP_TO = 16;
    /**
     * Above this many training points a continuous refinement stops after 30 L-BFGS iterations
     * instead of 60 (each costs {@code O(n^2)}).
     */
    static final int LARGE = 200;

    private final GaussianProcess gp;
    private final double best;
    private final Dimension[] space;
    private final int[] continuous;
    private final int[] discrete;
    private final double[] out = new double[2];
    private final double[] work;
    private final double[] dMean;
    private final double[] dVar;

    /**
     * @param gp    the surrogate (standardised targets)
     * @param best  incumbent in the same units
     * @param space shape {@code [d]}: the coordinates
     */
    AcquisitionOptimizer(GaussianProcess gp, double best, Dimension[] space) {
        this.gp = gp;
        this.best = best;
        this.space = space;
        this.continuous = java.util.stream.IntStream.range(0, space.length)
                .filter(j -> !space[j].isDiscrete()).toArray();
        this.discrete = java.util.stream.IntStream.range(0, space.length)
                .filter(j -> space[j].isDiscrete()).toArray();
        this.work = new double[2 * gp.size()];
        this.dMean = new double[space.length];
        this.dVar = new double[space.length];
    }

    /**
     * @param x shape {@code [d]}: a valid encoding
     * @return {@code log EI(x)}
     */
    double logEi(double[] x) {
        gp.predict(x, out, work);
        return LogEi.logEi(out[0], Math.sqrt(out[1]), best);
    }

    /**
     * @param designs    Sobol generator for the raw candidates, or null for uniform ones
     * @param incumbents best observed points first, each shape {@code [d]} (may be empty)
     * @param rawSamples number of raw candidates
     * @param refine     number of candidates refined
     * @param rng        source of the candidates
     * @return refined candidates, best first, then the remaining raw candidates best first; all
     *     valid encodings
     */
    List<Scored> maximize(Designs designs, List<double[]> incumbents, int rawSamples, int refine,
                          SplittableRandom rng) {
        int d = space.length;
        int around = incumbents.isEmpty() ? 0 : rawSamples / 4;
        int quasi = rawSamples - around;
        double[][] raw = new double[rawSamples][];
        double[][] sobol = designs != null ? designs.sobol(0, quasi, rng) : null;
        for (int i = 0; i < quasi; i++) {
            if (sobol != null) {
                raw[i] = sobol[i];
            } else {
                raw[i] = new double[d];
                for (int j = 0; j < d; j++) {
                    raw[i][j] = rng.nextDouble();
                }
            }
        }
        double logMin = Math.log(0.002);
        double logMax = Math.log(0.2);
        int top = Math.min(incumbents.size(), 5);
        for (int i = quasi; i < rawSamples; i++) {
            double[] base = incumbents.get(rng.nextInt(top));
            double scale = Math.exp(logMin + rng.nextDouble() * (logMax - logMin));
            double[] p = base.clone();
            for (int j = 0; j < d; j++) {
                Dimension dim = space[j];
                if (dim.kind() == Dimension.Kind.CATEGORICAL) {
                    if (rng.nextDouble() < 1.0 / d) {
                        p[j] = dim.encode(rng.nextInt(dim.levels()));
                    }
                } else {
                    double step = scale * gaussian(rng);
                    if (dim.kind() == Dimension.Kind.INTEGER && rng.nextDouble() < 1.0 / d) {
                        step += (rng.nextBoolean() ? 1.0 : -1.0) / dim.levels();
                    }
                    p[j] = reflect(p[j] + step);
                }
            }
            raw[i] = p;
        }
        List<Scored> scored = new ArrayList<>(rawSamples);
        for (double[] p : raw) {
            round(p);
        }
        double[] mu = new double[rawSamples];
        double[] var = new double[rawSamples];
        gp.predictMany(raw, mu, var);
        for (int i = 0; i < rawSamples; i++) {
            scored.add(new Scored(raw[i], LogEi.logEi(mu[i], Math.sqrt(var[i]), best)));
        }
        scored.sort(Comparator.comparingDouble(Scored::logEi).reversed());
        List<Scored> refined = new ArrayList<>();
        List<Scored> rest = new ArrayList<>();
        for (Scored s : scored) {
            if (refined.size() < refine && refined.stream().noneMatch(r -> Arrays.equals(r.point(), s.point()))) {
                refined.add(refine(s));
            } else {
                rest.add(s);
            }
        }
        refined.sort(Comparator.comparingDouble(Scored::logEi).reversed());
        refined.addAll(rest);
        return refined;
    }

    /** Local refinement of one valid candidate; never returns a worse one. */
    Scored refine(Scored start) {
        double[] x = start.point().clone();
        double value = start.logEi();
        for (int round = 0; round < 4; round++) {
            boolean improved = false; // only a discrete move calls for another round
            if (continuous.length > 0) {
                Scored s = refineContinuous(x, value);
                if (s.logEi() > value) {
                    x = s.point();
                    value = s.logEi();
                }
            }
            for (int j : discrete) {
                Dimension dim = space[j];
                int current = dim.level(x[j]);
                int bestLevel = current;
                double bestValue = value;
                for (int level : levelsToTry(dim, current)) {
                    double keep = x[j];
                    x[j] = dim.encode(level);
                    double v = logEi(x);
                    x[j] = keep;
                    if (v > bestValue + 1e-12 * (1.0 + Math.abs(bestValue))) {
                        bestValue = v;
                        bestLevel = level;
                    }
                }
                if (bestLevel != current) {
                    x[j] = dim.encode(bestLevel);
                    value = bestValue;
                    improved = true;
                }
            }
            if (!improved) {
                break;
            }
        }
        return new Scored(x, value);
    }

    private Scored refineContinuous(double[] x, double value) {
        int c = continuous.length;
        double[] start = new double[c];
        double[] lower = new double[c];
        double[] upper = new double[c];
        for (int i = 0; i < c; i++) {
            start[i] = x[continuous[i]];
            upper[i] = 1.0;
        }
        double[] full = x.clone();
        BoundedLbfgs.Result res = BoundedLbfgs.minimize((u, g) -> {
            for (int i = 0; i < c; i++) {
                full[continuous[i]] = u[i];
            }
            gp.predictWithGradient(full, out, dMean, dVar, work);
            double sigma = Math.sqrt(out[1]);
            double z = (best - out[0]) / sigma;
            double lei = LogEi.logH(z) + Math.log(sigma);
            double dh = LogEi.dLogH(z);
            for (int i = 0; i < c; i++) {
                int j = continuous[i];
                double dSigma = dVar[j] / (2.0 * sigma);
                double dz = (-dMean[j] - z * dSigma) / sigma;
                g[i] = -(dh * dz + dSigma / sigma);
            }
            return -lei;
        }, start, lower, upper, gp.size() > LARGE ? 30 : 60, 1e-7, 1e-10);
        double[] p = x.clone();
        for (int i = 0; i < c; i++) {
            p[continuous[i]] = res.point()[i];
        }
        return new Scored(p, -res.value());
    }

    private static int[] levelsToTry(Dimension dim, int current) {
        int k = dim.levels();
        if (k <= ALL_LEVELS_UP_TO || dim.kind() == Dimension.Kind.CATEGORICAL) {
            int[] all = new int[k - 1];
            for (int i = 0, l = 0; l < k; l++) {
                if (l != current) {
                    all[i++] = l;
                }
            }
            return all;
        }
        List<Integer> levels = new ArrayList<>();
        for (int step = 1; step < k; step *= 2) {
            if (current - step >= 0) {
                levels.add(current - step);
            }
            if (current + step < k) {
                levels.add(current + step);
            }
        }
        return levels.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Rounds {@code p} in place to a valid encoding. */
    void round(double[] p) {
        for (int j = 0; j < p.length; j++) {
            p[j] = space[j].round(p[j]);
        }
    }

    private static double reflect(double v) {
        double r = Math.abs(v) % 2.0;
        return r > 1.0 ? 2.0 - r : r;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; one draw per call keeps the stream simple.
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * rng.nextDouble());
    }
}

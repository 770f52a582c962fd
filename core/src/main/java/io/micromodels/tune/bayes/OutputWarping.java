package io.micromodels.tune.bayes;

/**
 * A monotone increasing transform of the scores fitted before the Gaussian process, so that an
 * objective whose values span orders of magnitude (a narrow valley in a landscape of huge values)
 * looks Gaussian enough for the process: one of
 * <ul>
 *   <li>{@link Kind#IDENTITY}: {@code w = (y - m) / s} (standardisation only);</li>
 *   <li>{@link Kind#YEO_JOHNSON}: the Yeo-Johnson power transform {@code psi_lambda} of the
 *       standardised scores {@code z = (y - m) / s}, standardised again, with
 *       {@code lambda in [-2, 1]}.</li>
 * </ul>
 * chosen by maximum likelihood of the scores under "the transformed scores are Gaussian"
 * ({@code -n/2 log var(T(y)) + sum log T'(y_i)}, the profile likelihood Box-Cox and Yeo-Johnson
 * (and scikit-learn's {@code PowerTransformer}) maximise), the Yeo-Johnson {@code lambda} found by
 * golden-section search and charged two nats for its free parameter (kept only when it is clearly
 * better). No plain log transform is offered: for a positive objective whose minimum is near 0 (a
 * squared error, a loss) it turns the minimum into a spike the process cannot model. {@code lambda} is capped at 1
 * because scores are minimised: a transform may stretch the low (good) end and compress the high
 * (bad) end, never the other way round. With fewer than 3 distinct scores the identity is used.
 *
 * <p>Immutable; {@link #forward} and {@link #inverse} are exact inverses on the real line.
 */
final class OutputWarping {

    /** Which transform. */
    enum Kind {
        /** Standardisation only. */
        IDENTITY,
        /** Standardisation, Yeo-Johnson power transform, standardisation. */
        YEO_JOHNSON
    }

    private static final double MIN_LAMBDA = -2.0;
    private static final double MAX_LAMBDA = 1.0;
    /** Likelihood charged for the free {@code lambda}. */
    private static final double PARAMETER_COST = 2.0;

    private final Kind kind;
    private final double lambda;
    /** Mean and standard deviation of the first standardisation (of y, or of log y). */
    private final double m1;
    private final double s1;
    /** Mean and standard deviation of the second standardisation (Yeo-Johnson only). */
    private final double m2;
    private final double s2;

    private OutputWarping(Kind kind, double lambda, double m1, double s1, double m2, double s2) {
        this.kind = kind;
        this.lambda = lambda;
        this.m1 = m1;
        this.s1 = s1;
        this.m2 = m2;
        this.s2 = s2;
    }

    /**
     * A warping with given parameters (for tests and for fixed transforms).
     *
     * @param kind   the transform
     * @param lambda the Yeo-Johnson exponent (ignored otherwise)
     * @param m1     first centring
     * @param s1     first scale, {@code > 0}
     * @param m2     second centring (Yeo-Johnson only)
     * @param s2     second scale, {@code > 0} (Yeo-Johnson only)
     * @return the warping
     */
    static OutputWarping of(Kind kind, double lambda, double m1, double s1, double m2, double s2) {
        return new OutputWarping(kind, lambda, m1, s1, m2, s2);
    }

    /**
     * Fits the warping to finite scores.
     *
     * @param y shape {@code [n]}: finite scores, {@code n >= 1}
     * @return the most likely warping (see the class Javadoc)
     */
    static OutputWarping fit(double[] y) {
        int n = y.length;
        double[] ms = meanSd(y);
        OutputWarping identity = new OutputWarping(Kind.IDENTITY, 1.0, ms[0], ms[1], 0.0, 1.0);
        if (n < 3 || distinct(y) < 3) {
            return identity;
        }
        double best = -0.5 * n * Math.log(variance(y));
        OutputWarping chosen = identity;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = (y[i] - ms[0]) / ms[1];
        }
        // Golden-section search of the Yeo-Johnson profile log-likelihood over lambda.
        double a = MIN_LAMBDA;
        double b = MAX_LAMBDA;
        double g = (Math.sqrt(5.0) - 1.0) / 2.0;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = yeoJohnsonLogLikelihood(z, c);
        double fd = yeoJohnsonLogLikelihood(z, d);
        for (int it = 0; it < 60 && b - a > 1e-6; it++) {
            if (fc > fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = yeoJohnsonLogLikelihood(z, c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = yeoJohnsonLogLikelihood(z, d);
            }
        }
        double lam = fc > fd ? c : d;
        // Same units as the others: the first standardisation contributes -n log s.
        double ll = Math.max(fc, fd) - n * Math.log(ms[1]) - PARAMETER_COST;
        if (ll > best && lam < MAX_LAMBDA - 1e-3) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = yeoJohnson(z[i], lam);
            }
            double[] wm = meanSd(w);
            chosen = new OutputWarping(Kind.YEO_JOHNSON, lam, ms[0], ms[1], wm[0], wm[1]);
        }
        return chosen;
    }

    /** {@code -n/2 log var(psi(z)) + sum log psi'(z_i)}. */
    static double yeoJohnsonLogLikelihood(double[] z, double lambda) {
        int n = z.length;
        double[] w = new double[n];
        double jac = 0.0;
        for (int i = 0; i < n; i++) {
            w[i] = yeoJohnson(z[i], lambda);
            // psi'(z) = (1 + z)^(lambda - 1) for z >= 0, (1 - z)^(1 - lambda) for z < 0.
            jac += (lambda - 1.0) * Math.signum(z[i]) * Math.log1p(Math.abs(z[i]));
        }
        double v = variance(w);
        return v > 0.0 ? -0.5 * n * Math.log(v) + jac : Double.NEGATIVE_INFINITY;
    }

    /** The Yeo-Johnson transform {@code psi_lambda(z)}. */
    static double yeoJohnson(double z, double lambda) {
        if (z >= 0.0) {
            return Math.abs(lambda) < 1e-12 ? Math.log1p(z) : Math.expm1(lambda * Math.log1p(z)) / lambda;
        }
        double q = 2.0 - lambda;
        return Math.abs(q) < 1e-12 ? -Math.log1p(-z) : -Math.expm1(q * Math.log1p(-z)) / q;
    }

    /** The inverse of {@link #yeoJohnson} in {@code z}. */
    static double yeoJohnsonInverse(double w, double lambda) {
        if (w >= 0.0) {
            return Math.abs(lambda) < 1e-12 ? Math.expm1(w) : Math.expm1(Math.log1p(lambda * w) / lambda);
        }
        double q = 2.0 - lambda;
        return Math.abs(q) < 1e-12 ? -Math.expm1(-w) : -Math.expm1(Math.log1p(-q * w) / q);
    }

    /** @return the transform chosen */
    Kind kind() {
        return kind;
    }

    /** @return the Yeo-Johnson exponent (1 for the identity) */
    double lambda() {
        return lambda;
    }

    /**
     * @param y a score (positive for {@link Kind#LOG})
     * @return the warped, standardised score
     */
    double forward(double y) {
        return switch (kind) {
            case IDENTITY -> (y - m1) / s1;
            case YEO_JOHNSON -> (yeoJohnson((y - m1) / s1, lambda) - m2) / s2;
        };
    }

    /**
     * @param w a warped score (in the range of {@link #forward} for the Yeo-Johnson transform with
     *          {@code lambda < 0}, which is bounded above)
     * @return the score it comes from
     */
    double inverse(double w) {
        return switch (kind) {
            case IDENTITY -> m1 + s1 * w;
            case YEO_JOHNSON -> m1 + s1 * yeoJohnsonInverse(m2 + s2 * w, lambda);
        };
    }

    /**
     * @param y shape {@code [n]}: scores; replaced by their warped values
     */
    void forwardInPlace(double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = forward(y[i]);
        }
    }

    private static int distinct(double[] y) {
        return (int) java.util.Arrays.stream(y).distinct().limit(3).count();
    }

    /** Mean and (population) standard deviation, the latter 1 when it is not positive; shape {@code [2]}. */
    static double[] meanSd(double[] y) {
        double[] mv = meanVariance(y);
        double sd = Math.sqrt(mv[1]);
        if (!(sd > 1e-12 * Math.max(1.0, Math.abs(mv[0])))) {
            sd = 1.0;
        }
        return new double[] {mv[0], sd};
    }

    private static double variance(double[] y) {
        return meanVariance(y)[1];
    }

    /** Mean and population variance, two passes; shape {@code [2]}. */
    private static double[] meanVariance(double[] y) {
        double mean = 0.0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double var = 0.0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        return new double[] {mean, var / y.length};
    }

    @Override
    public String toString() {
        return "OutputWarping[" + kind + (kind == Kind.YEO_JOHNSON ? ", lambda=" + lambda : "") + "]";
    }
}

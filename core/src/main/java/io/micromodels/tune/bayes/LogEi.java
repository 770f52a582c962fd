package io.micromodels.tune.bayes;

import org.apache.commons.math3.special.Erf;

/**
 * Log expected improvement for minimisation, computed in log space so that it neither underflows
 * nor loses its slope far from the incumbent.
 *
 * <p>For a Gaussian posterior {@code N(mu, sigma^2)} and incumbent {@code best},
 * {@code EI = sigma * h(z)} with {@code z = (best - mu) / sigma} and
 * {@code h(z) = phi(z) + z * Phi(z)}. {@code log h} is evaluated directly for {@code z > -1}; below
 * it {@code h(z) = phi(z) * (1 - q(z))} with {@code q(z) = |z| * erfcx(|z| / sqrt 2) * sqrt(pi / 2)},
 * so {@code log h(z) = log phi(z) + log(1 - q(z))}, where {@code 1 - q(z)} is computed from the
 * scaled complementary error function for {@code -1000 < z < -1} and from its asymptotic series
 * {@code 1/z^2 - 3/z^4 + 15/z^6 - 105/z^8} beyond (the same scheme as BoTorch's
 * {@code LogExpectedImprovement}). The derivative {@code d log h / dz = Phi(z) / h(z)} is computed
 * the same way.
 */
final class LogEi {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);
    private static final double SQRT_PI_OVER_2 = Math.sqrt(Math.PI / 2.0);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
    /** Below this {@code z}, {@code 1 - q(z)} comes from its asymptotic series. */
    private static final double SERIES_BELOW = -1000.0;

    private LogEi() {
    }

    /**
     * @param mu    posterior mean
     * @param sigma posterior standard deviation, {@code > 0}
     * @param best  incumbent (lowest) value
     * @return {@code log EI}
     */
    static double logEi(double mu, double sigma, double best) {
        return logH((best - mu) / sigma) + Math.log(sigma);
    }

    /**
     * @param z standardised improvement {@code (best - mu) / sigma}
     * @return {@code log(phi(z) + z * Phi(z))}, finite for every finite {@code z}
     */
    static double logH(double z) {
        if (z > -1.0) {
            return Math.log(phi(z) + z * bigPhi(z));
        }
        return -0.5 * z * z - LOG_SQRT_2PI + Math.log(oneMinusQ(z));
    }

    /**
     * @param z standardised improvement
     * @return {@code d log h(z) / dz = Phi(z) / h(z)}, positive and finite for every finite {@code z}
     */
    static double dLogH(double z) {
        if (z > -1.0) {
            return bigPhi(z) / (phi(z) + z * bigPhi(z));
        }
        // Phi/h = (q/|z|) / (1 - q)
        double omq = oneMinusQ(z);
        double q = 1.0 - omq;
        if (z < SERIES_BELOW) {
            double z2 = z * z;
            q = 1.0 - 1.0 / z2 + 3.0 / (z2 * z2) - 15.0 / (z2 * z2 * z2);
        }
        return q / (-z) / omq;
    }

    /** {@code 1 - |z| erfcx(|z|/sqrt 2) sqrt(pi/2)} for {@code z <= -1}, without cancellation for large |z|. */
    private static double oneMinusQ(double z) {
        if (z < SERIES_BELOW) {
            double r = 1.0 / (z * z);
            return r * (1.0 - r * (3.0 - r * (15.0 - 105.0 * r)));
        }
        return 1.0 - (-z) * erfcx(-z * INV_SQRT_2) * SQRT_PI_OVER_2;
    }

    /** Standard normal density. */
    static double phi(double z) {
        return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    }

    /** Standard normal distribution function. */
    static double bigPhi(double z) {
        return 0.5 * Erf.erfc(-z * INV_SQRT_2);
    }

    /**
     * The scaled complementary error function {@code erfcx(x) = exp(x^2) erfc(x)} for {@code x >= 0}.
     * Below 4 it multiplies commons-math's {@code erfc} (accurate in relative terms there); from 4
     * on it evaluates the continued fraction
     * {@code erfcx(x) = (1/sqrt pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))}
     * from the bottom up.
     *
     * @param x argument, {@code >= 0}
     * @return {@code erfcx(x)}
     */
    static double erfcx(double x) {
        if (x < 4.0) {
            return Math.exp(x * x) * Erf.erfc(x);
        }
        int terms = x < 8.0 ? 60 : 30;
        double f = x;
        for (int k = terms; k >= 1; k--) {
            f = x + (0.5 * k) / f;
        }
        return INV_SQRT_PI / f;
    }
}

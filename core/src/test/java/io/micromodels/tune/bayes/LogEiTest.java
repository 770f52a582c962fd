package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogEiTest {

    /**
     * {@code log h(z) = log(phi(z) + z Phi(z))}, computed with mpmath at 60 significant digits
     * (independently of the code under test).
     */
    private static final double[][] LOG_H = {
        {3.0, 1.0987396653277077727},
        {0.5, -0.35982768374506381859},
        {0.0, -0.91893853320467274178},
        {-0.5, -1.6205162643873199193},
        {-1.0, -2.4851210257126413368},
        {-2.0, -4.7687835239171141569},
        {-5.0, -16.744301162660990143},
        {-10.0, -55.553122036122355927},
        {-20.0, -206.91783850942509785},
        {-40.0, -808.29856835661996024},
        {-100.0, -5010.1295788002497923},
        {-1000.0, -500014.73445209115845},
        {-12345.678, -76207902.400903195471},
        {-1e6, -500000000028.54995965},
    };

    @Test
    void logHMatchesHighPrecisionValuesEverywhere() {
        for (double[] row : LOG_H) {
            double got = LogEi.logH(row[0]);
            double tol = 1e-13 * Math.max(1.0, Math.abs(row[1]));
            assertEquals(row[1], got, tol, "log h(" + row[0] + ")");
        }
    }

    @Test
    void erfcxMatchesHighPrecisionValues() {
        double[][] ref = { // mpmath, 60 digits: exp(x^2) erfc(x)
            {0.5, 0.61569034419292587487}, {1.0, 0.42758357615580700441}, {2.0, 0.25539567631050574387},
            {3.5, 0.1552936556088942974}, {4.0, 0.13699945762506138989}, {10.0, 0.056140992743822585858},
            {50.0, 0.0112815362653237725},
        };
        for (double[] r : ref) {
            assertEquals(r[1], LogEi.erfcx(r[0]), 1e-14 * r[1], "erfcx(" + r[0] + ")");
        }
    }

    /** EI by numerical integration of E[max(best - Y, 0)], Y ~ N(mu, sigma^2): no closed form used. */
    private static double eiByQuadrature(double mu, double sigma, double best) {
        // Integrate (best - y) * density(y) over y in [mu - 12 sigma, best] with composite Simpson.
        double lo = mu - 12.0 * sigma;
        if (best <= lo) {
            return 0.0;
        }
        int n = 200_000;
        double h = (best - lo) / n;
        double sum = 0.0;
        for (int i = 0; i <= n; i++) {
            double y = lo + i * h;
            double u = (y - mu) / sigma;
            double f = (best - y) * Math.exp(-0.5 * u * u) / (sigma * Math.sqrt(2.0 * Math.PI));
            sum += f * (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        return sum * h / 3.0;
    }

    @Test
    void logEiEqualsLogOfEiWhereEiIsRepresentable() {
        double[][] cases = { // mu, sigma, best
            {0.0, 1.0, 0.0}, {1.0, 0.5, 0.0}, {-1.0, 2.0, 0.5}, {3.0, 1.0, 0.0}, {0.2, 0.05, 0.0},
            {5.0, 0.7, 1.0}, {-0.3, 0.01, -0.25},
        };
        for (double[] c : cases) {
            double ei = eiByQuadrature(c[0], c[1], c[2]);
            assertTrue(ei > 0, "EI representable");
            assertEquals(Math.log(ei), LogEi.logEi(c[0], c[1], c[2]), 1e-8,
                    "log EI(mu=" + c[0] + ", sigma=" + c[1] + ", best=" + c[2] + ")");
        }
    }

    @Test
    void logEiIsFiniteAndIncreasingWhereEiUnderflows() {
        // Direct EI = sigma * (phi(z) + z Phi(z)) is exactly 0 in double precision below z ~ -38.
        double z0 = -40.0;
        double direct = Math.exp(-0.5 * z0 * z0) / Math.sqrt(2 * Math.PI) + z0 * LogEi.bigPhi(z0);
        assertEquals(0.0, Math.max(direct, 0.0), 0.0, "direct EI underflows at z = -40");
        double previous = Double.NEGATIVE_INFINITY;
        for (double z = -1e7; z <= 5.0; z = z < -10 ? z / 1.5 : z + 0.25) {
            double v = LogEi.logH(z);
            assertTrue(Double.isFinite(v), "log h finite at z = " + z);
            assertTrue(v > previous, "log h increasing at z = " + z);
            previous = v;
        }
        // Far out it follows the asymptote log phi(z) - 2 log|z|.
        double z = -1e5;
        double asymptote = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z);
        assertEquals(asymptote, LogEi.logH(z), 1e-6);
    }

    @Test
    void derivativeMatchesFiniteDifferences() {
        for (double z : new double[] {2.0, 0.3, -0.99, -1.01, -3.0, -15.0, -200.0, -999.0, -1001.0, -5e4}) {
            double h = 1e-6 * Math.max(1.0, Math.abs(z));
            double fd = (LogEi.logH(z + h) - LogEi.logH(z - h)) / (2 * h);
            double an = LogEi.dLogH(z);
            assertTrue(an > 0, "positive slope at " + z);
            assertEquals(fd, an, 1e-5 * Math.max(1.0, Math.abs(an)), "d log h / dz at " + z);
        }
    }
}

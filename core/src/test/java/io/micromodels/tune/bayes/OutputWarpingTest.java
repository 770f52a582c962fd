package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutputWarpingTest {

    private static final double[] FIXED = {-1e5, -321.5, -3.0, -1.0, -0.25, 0.0, 1e-9, 0.5, 1.0, 2.0, 17.0, 4.2e3, 1e5};

    @Test
    void yeoJohnsonMatchesItsDefinition() {
        // psi(1, 1/2) = ((1 + 1)^(1/2) - 1) / (1/2); psi(-1, 1/2) = -((1 + 1)^(3/2) - 1) / (3/2).
        assertEquals(2.0 * (Math.sqrt(2.0) - 1.0), OutputWarping.yeoJohnson(1.0, 0.5), 1e-15);
        assertEquals(-(Math.pow(2.0, 1.5) - 1.0) / 1.5, OutputWarping.yeoJohnson(-1.0, 0.5), 1e-15);
        assertEquals(Math.log(3.0), OutputWarping.yeoJohnson(2.0, 0.0), 1e-15);
        assertEquals(-Math.log(4.0), OutputWarping.yeoJohnson(-3.0, 2.0), 1e-15);
        assertEquals(1.7, OutputWarping.yeoJohnson(1.7, 1.0), 1e-15);
        assertEquals(-1.7, OutputWarping.yeoJohnson(-1.7, 1.0), 1e-15);
    }

    @Test
    void forwardThenInverseIsTheIdentity() {
        for (double lambda : new double[] {-2.0, -0.7, 0.0, 0.3, 1.0}) {
            for (double z : FIXED) {
                double zz = z / 1e4; // keep (1 + |z|)^2 well inside the doubles
                double back = OutputWarping.yeoJohnsonInverse(OutputWarping.yeoJohnson(zz, lambda), lambda);
                assertEquals(zz, back, 1e-12 * Math.max(1.0, Math.abs(zz)), "lambda " + lambda + " z " + zz);
            }
        }
        OutputWarping[] warpings = {
            OutputWarping.of(OutputWarping.Kind.IDENTITY, 1.0, 3.0, 7.0, 0.0, 1.0),
            OutputWarping.of(OutputWarping.Kind.YEO_JOHNSON, -0.4, 10.0, 250.0, 0.1, 0.9),
            OutputWarping.of(OutputWarping.Kind.YEO_JOHNSON, 0.0, -2.0, 30.0, -0.2, 1.3),
            OutputWarping.of(OutputWarping.Kind.YEO_JOHNSON, 0.6, 0.0, 1.0, 0.0, 1.0)};
        for (OutputWarping w : warpings) {
            for (double y : FIXED) {
                if (w.kind() == OutputWarping.Kind.YEO_JOHNSON && w.lambda() < 0 && y > 1e4) {
                    continue; // psi with lambda < 0 saturates: huge values do not come back to 1e-12
                }
                assertEquals(y, w.inverse(w.forward(y)), 1e-12 * Math.max(1.0, Math.abs(y)), w + " at " + y);
            }
        }
    }

    @Test
    void scoresOverOrdersOfMagnitudeAreWarpedAndGaussianOnesLeftAlone() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] logNormal = new double[60];
        double[] gaussian = new double[60];
        for (int i = 0; i < 60; i++) {
            double u1 = 1.0 - rng.nextDouble();
            double g = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * rng.nextDouble());
            logNormal[i] = Math.exp(3.0 + 2.5 * g); // spans about four orders of magnitude
            gaussian[i] = 5.0 + g;
        }
        OutputWarping w = OutputWarping.fit(logNormal);
        assertEquals(OutputWarping.Kind.YEO_JOHNSON, w.kind());
        assertTrue(w.lambda() < 0.5, "compresses the high end: lambda " + w.lambda());
        assertEquals(OutputWarping.Kind.IDENTITY, OutputWarping.fit(gaussian).kind());
    }

    @Test
    void chosenLambdaMaximisesTheProfileLikelihoodOnAGrid() {
        // Right-skewed with negative values (no log): Yeo-Johnson with lambda < 1.
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            double u = (i + 0.5) / 40.0;
            y[i] = Math.expm1(4.0 * u) - 3.0;
        }
        OutputWarping w = OutputWarping.fit(y);
        assertEquals(OutputWarping.Kind.YEO_JOHNSON, w.kind());
        double mean = 0.0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double var = 0.0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / y.length);
        double[] z = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            z[i] = (y[i] - mean) / sd;
        }
        double chosen = OutputWarping.yeoJohnsonLogLikelihood(z, w.lambda());
        for (double lambda = -2.0; lambda <= 1.0; lambda += 0.01) {
            assertTrue(chosen >= OutputWarping.yeoJohnsonLogLikelihood(z, lambda) - 1e-6, "lambda " + lambda);
        }
        // Monotone increasing: the order of the scores (and so the incumbent) is kept.
        for (int i = 1; i < y.length; i++) {
            assertTrue(w.forward(y[i]) > w.forward(y[i - 1]));
        }
    }

    @Test
    void tooFewDistinctScoresAreOnlyStandardised() {
        OutputWarping w = OutputWarping.fit(new double[] {2.0, 2.0, 2.0, 2.0});
        assertEquals(OutputWarping.Kind.IDENTITY, w.kind());
        assertEquals(0.0, w.forward(2.0), 0.0);
    }
}

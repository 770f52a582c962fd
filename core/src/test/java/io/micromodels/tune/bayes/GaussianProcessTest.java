package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {

    private static final boolean[] ONE_CONTINUOUS = {false};

    /** Matérn 5/2 correlation written out by hand. */
    private static double matern(double distance, double lengthScale) {
        double r = distance / lengthScale;
        double s = Math.sqrt(5.0) * r;
        return (1.0 + s + 5.0 * r * r / 3.0) * Math.exp(-s);
    }

    @Test
    void maternAtUnitDistanceMatchesHighPrecisionValue() {
        // (1 + sqrt 5 + 5/3) exp(-sqrt 5), mpmath at 60 digits.
        assertEquals(0.52399410883182031059, GaussianProcess.matern52(1.0), 1e-15);
        assertEquals(1.0, GaussianProcess.matern52(0.0), 0.0);
    }

    @Test
    void posteriorOfTwoPointsMatchesExplicitTwoByTwoAlgebra() {
        double l = 0.3;
        double s2 = 1.5;
        double noise = 0.01;
        double c = 0.1;
        double[][] x = {{0.2}, {0.6}};
        double[] y = {1.0, -0.5};
        GaussianProcess gp = GaussianProcess.condition(x, y, ONE_CONTINUOUS, new double[] {l}, s2, noise, c);
        assertEquals(0.0, gp.jitter(), 0.0);

        // K = [[a, b], [b, a]] with a = s2 + noise, b = s2 m(0.4); K^-1 = [[a, -b], [-b, a]] / (a^2 - b^2).
        double a = s2 + noise;
        double b = s2 * matern(0.4, l);
        double det = a * a - b * b;
        double r0 = y[0] - c;
        double r1 = y[1] - c;
        double[] out = new double[2];
        for (double q : new double[] {0.2, 0.4, 0.55, 0.9, 1.0}) {
            double k0 = s2 * matern(Math.abs(q - 0.2), l);
            double k1 = s2 * matern(Math.abs(q - 0.6), l);
            double w0 = (a * k0 - b * k1) / det; // (K^-1 k)_0
            double w1 = (-b * k0 + a * k1) / det;
            double mean = c + w0 * r0 + w1 * r1;
            double var = s2 - (w0 * k0 + w1 * k1);
            gp.predict(new double[] {q}, out, new double[2]);
            assertEquals(mean, out[0], 1e-12, "mean at " + q);
            assertEquals(var, out[1], 1e-12, "variance at " + q);
        }
    }

    @Test
    void noiselessGpInterpolatesAndIsCertainAtItsData() {
        double[][] x = {{0.1}, {0.5}, {0.8}};
        double[] y = {0.3, -1.2, 2.0};
        GaussianProcess gp = GaussianProcess.condition(x, y, ONE_CONTINUOUS, new double[] {0.2}, 2.0, 0.0, 0.0);
        double[] out = new double[2];
        for (int i = 0; i < x.length; i++) {
            gp.predict(x[i], out, new double[3]);
            assertEquals(y[i], out[0], 1e-9);
            assertEquals(0.0, out[1], 1e-9);
        }
        // Far from the data: the prior (mean 0, variance s2).
        gp.predict(new double[] {50.0}, out, new double[3]);
        assertEquals(0.0, out[0], 1e-12);
        assertEquals(2.0, out[1], 1e-12);
    }

    @Test
    void categoricalCoordinatesAreEqualOrNot() {
        boolean[] cat = {true};
        double[][] x = {{0.125}};
        double[] y = {1.0};
        // One observation, no noise: mean(q) = k(q, x) / s2 * y = m(r) with r^2 = [q != x] / l^2.
        GaussianProcess gp = GaussianProcess.condition(x, y, cat, new double[] {0.5}, 1.0, 0.0, 0.0);
        double[] out = new double[2];
        gp.predict(new double[] {0.375}, out, new double[1]);
        assertEquals(matern(1.0, 0.5), out[0], 1e-12);
        gp.predict(new double[] {0.875}, out, new double[1]);
        assertEquals(matern(1.0, 0.5), out[0], 1e-12, "all other categories are equally far");
    }

    @Test
    void jitterRescuesDuplicatePointsWithoutNoise() {
        double[][] x = {{0.3}, {0.3}, {0.7}};
        double[] y = {1.0, 1.0, 0.0};
        GaussianProcess gp = GaussianProcess.condition(x, y, ONE_CONTINUOUS, new double[] {0.2}, 1.0, 0.0, 0.0);
        assertTrue(gp.jitter() > 0.0, "singular matrix needed jitter");
        double[] out = new double[2];
        gp.predict(new double[] {0.3}, out, new double[3]);
        assertEquals(1.0, out[0], 1e-3);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 12;
        int d = 3;
        boolean[] cat = {false, true, false};
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = rng.nextDouble();
            x[i][1] = Dimension.categorical(3).encode(rng.nextInt(3));
            x[i][2] = rng.nextDouble();
            y[i] = rng.nextDouble() * 2 - 1;
        }
        GaussianProcess gp = GaussianProcess.condition(x, y, cat, new double[] {0.3, 0.8, 0.5}, 1.3, 1e-3, 0.2);
        double[] q = {0.41, x[0][1], 0.77};
        double[] out = new double[2];
        double[] dm = new double[d];
        double[] dv = new double[d];
        gp.predictWithGradient(q, out, dm, dv, new double[2 * n]);
        double[] plain = new double[2];
        gp.predict(q, plain, new double[n]);
        assertEquals(plain[0], out[0], 1e-12);
        assertEquals(plain[1], out[1], 1e-12);
        for (int j : new int[] {0, 2}) {
            double h = 1e-6;
            double[] qp = q.clone();
            double[] qm = q.clone();
            qp[j] += h;
            qm[j] -= h;
            double[] op = new double[2];
            double[] om = new double[2];
            gp.predict(qp, op, new double[n]);
            gp.predict(qm, om, new double[n]);
            assertEquals((op[0] - om[0]) / (2 * h), dm[j], 1e-6, "d mean / d q" + j);
            assertEquals((op[1] - om[1]) / (2 * h), dv[j], 1e-6, "d var / d q" + j);
        }
        assertEquals(0.0, dm[1], 0.0, "no gradient along a categorical coordinate");
    }
}

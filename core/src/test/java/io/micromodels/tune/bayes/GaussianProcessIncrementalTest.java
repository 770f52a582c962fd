package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.junit.jupiter.api.Test;

/** Extending a Cholesky factor row by row, and the block and column-sweep solves, against EJML. */
class GaussianProcessIncrementalTest {

    private static final boolean[] THREE_CONTINUOUS = {false, false, false};
    private static final double[] LENGTH = {0.3, 0.5, 0.8};

    private static double[][] points(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        for (double[] p : x) {
            for (int j = 0; j < 3; j++) {
                p[j] = rng.nextDouble();
            }
        }
        return x;
    }

    /** The covariance {@code s2 k(x_i, x_k) + noise I}, built here from the kernel definition. */
    private static DMatrixRMaj covariance(double[][] x, double s2, double noise) {
        int n = x.length;
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double r2 = 0.0;
                for (int j = 0; j < 3; j++) {
                    double t = (x[i][j] - x[k][j]) / LENGTH[j];
                    r2 += t * t;
                }
                double r = Math.sqrt(5.0 * r2);
                a.set(i, k, s2 * (1.0 + r + r * r / 3.0) * Math.exp(-r) + (i == k ? noise : 0.0));
            }
        }
        return a;
    }

    @Test
    void extendedFactorEqualsAFreshFactorisation() {
        double[][] x = points(40, 11);
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            y[i] = Math.sin(5 * x[i][0]) + x[i][1];
        }
        double[] noise = new double[40];
        Arrays.fill(noise, 1e-3);
        GaussianProcess first = GaussianProcess.extend(null, Arrays.copyOf(x, 25), Arrays.copyOf(y, 25),
                THREE_CONTINUOUS, LENGTH, 1.3, 1e-3, Arrays.copyOf(noise, 25), Double.NaN);
        GaussianProcess extended = GaussianProcess.extend(first, x, y, THREE_CONTINUOUS, LENGTH, 1.3, 1e-3,
                noise, Double.NaN);
        GaussianProcess fresh = GaussianProcess.extend(null, x, y, THREE_CONTINUOUS, LENGTH, 1.3, 1e-3,
                noise, Double.NaN);
        // Independent reference: EJML's Cholesky of the covariance written out above.
        DMatrixRMaj a = covariance(x, 1.3, 1e-3);
        assertEquals(0.0, fresh.jitter());
        assertEquals(true, GaussianProcess.factor(a));
        double[] l = extended.choleskyFactor();
        for (int i = 0; i < l.length; i++) {
            assertEquals(a.data[i], l[i], 1e-10, "factor entry " + i);
        }
        // Row-by-row: the extension is the fresh factor bit for bit, so proposals never depend on reuse.
        assertArrayEquals(fresh.choleskyFactor(), l);
        assertEquals(fresh.priorMean(), extended.priorMean());
    }

    @Test
    void generalisedLeastSquaresMeanMatchesTheExplicitFormula() {
        double[][] x = points(12, 5);
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            y[i] = 2.0 + x[i][2] - x[i][0];
        }
        double[] noise = new double[12];
        Arrays.fill(noise, 0.01);
        GaussianProcess gp = GaussianProcess.extend(null, x, y, THREE_CONTINUOUS, LENGTH, 0.7, 0.01, noise,
                Double.NaN);
        DMatrixRMaj a = covariance(x, 0.7, 0.01);
        GaussianProcess.factor(a);
        double[] ones = new double[12];
        Arrays.fill(ones, 1.0);
        double[] b = y.clone();
        TriangularSolver_DDRM.solveL(a.data, ones, 12);
        TriangularSolver_DDRM.solveTranL(a.data, ones, 12);
        double num = 0.0;
        double den = 0.0;
        for (int i = 0; i < 12; i++) {
            num += ones[i] * b[i];
            den += ones[i];
        }
        assertEquals(num / den, gp.priorMean(), 1e-10);
    }

    @Test
    void believerFantasyExtendsTheFactorLikeAFreshOne() {
        double[][] x = points(20, 3);
        double[] y = new double[20];
        for (int i = 0; i < 20; i++) {
            y[i] = x[i][0] * x[i][1];
        }
        GaussianProcess gp = GaussianProcess.condition(x, y, THREE_CONTINUOUS, LENGTH, 1.0, 1e-4, 0.1);
        double[] p = {0.5, 0.5, 0.5};
        GaussianProcess more = gp.with(p, 0.2);
        double[][] x2 = Arrays.copyOf(x, 21);
        x2[20] = p;
        DMatrixRMaj a = covariance(x2, 1.0, 0.0);
        for (int i = 0; i < 20; i++) {
            a.add(i, i, 1e-4);
        }
        GaussianProcess.factor(a);
        double[] l = more.choleskyFactor();
        for (int i = 0; i < l.length; i++) {
            assertEquals(a.data[i], l[i], 1e-10, "factor entry " + i);
        }
    }

    @Test
    void blockPredictionsAndSweepSolvesMatchTheSingleOnes() {
        double[][] x = points(70, 9);
        double[] y = new double[70];
        for (int i = 0; i < 70; i++) {
            y[i] = Math.cos(3 * x[i][2]) - x[i][1];
        }
        GaussianProcess gp = GaussianProcess.condition(x, y, THREE_CONTINUOUS, LENGTH, 1.1, 1e-3, 0.0);
        double[][] q = points(130, 21);
        double[] mu = new double[130];
        double[] var = new double[130];
        gp.predictMany(q, mu, var); // blocks of 64: two full blocks and a partial one
        double[] out = new double[2];
        double[] work = new double[70];
        for (int t = 0; t < 130; t++) {
            gp.predict(q[t], out, work);
            assertEquals(out[0], mu[t], 1e-12);
            assertEquals(out[1], var[t], 1e-10);
        }
        double[] b = new double[70];
        for (int i = 0; i < 70; i++) {
            b[i] = Math.sin(i);
        }
        double[] ref = b.clone();
        double[] l = gp.choleskyFactor();
        TriangularSolver_DDRM.solveL(l, ref, 70);
        double[] mine = b.clone();
        gp.solveLower(mine);
        assertArrayEquals(ref, mine, 1e-10);
        TriangularSolver_DDRM.solveTranL(l, ref, 70);
        gp.solveUpper(mine);
        assertArrayEquals(ref, mine, 1e-10);
    }
}

package io.micromodels.frozen.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quantile encoding against scikit-learn 1.2.1 ({@code QuantileTransformer(output_distribution='normal')}, Debian's
 * python3-sklearn, numbers printed by the script in the comments), the inverse normal CDF against SciPy's
 * {@code norm.ppf}, and the piecewise-linear encoding against numpy.percentile edges and hand-computed values.
 */
class NumericEncodingsTest {
    /** {@code [3,1,4,1,5,9,2,6,5,3,5,8,9,7,9]}: 15 values with ties, so 15 quantiles. */
    static final double[] SMALL = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9};

    /** 1500 values with many ties: {@code ((i * 7919) % 1009) / 10 + (i % 3 == 0 ? 0 : 0.25)}. */
    static double[] big() {
        double[] v = new double[1500];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 7919) % 1009) / 10.0 + (i % 3 == 0 ? 0.0 : 0.25);
        }
        return v;
    }

    @Test
    void quantilesMatchScikitLearn() {
        // qt = QuantileTransformer(output_distribution='normal').fit(SMALL); qt.quantiles_[:, 0]
        double[] expected = {1.0, 1.0, 2.0, 3.0, 3.0, 3.999999999999999, 5.0, 5.0, 5.0, 6.0, 6.999999999999998, 8.0, 9.0, 9.0, 9.0};
        assertArrayEquals(expected, NumericEncodings.fitQuantiles(SMALL), 1e-12);
        // The same on 1500 values: 1000 quantiles; qt.quantiles_[[0, 1, 500, 998, 999], 0]
        double[] q = NumericEncodings.fitQuantiles(big());
        assertEquals(1000, q.length);
        assertArrayEquals(new double[] {0.0, 0.22502502502502503, 50.61251251251252, 100.85, 100.95},
                new double[] {q[0], q[1], q[500], q[998], q[999]}, 1e-9);
    }

    @Test
    void quantileScoresMatchScikitLearn() {
        double[] q = NumericEncodings.fitQuantiles(SMALL);
        double[] x = {-1, 1, 1.5, 3, 4.2, 5, 6.5, 8.99, 9, 10};
        // qt.transform(x): ties (1, 3, 5) land in the middle of their run; the ends clip at ±5.1993...
        double[] expected = {-5.199337582605575, -5.199337582605575, -1.2418667918433202, -0.6744897501960817, -0.3280721075316511,
            0.0, 0.4637077514571792, 1.064410327932115, 5.19933758270342, 5.19933758270342};
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], NumericEncodings.quantileEncode(x[i], q), 1e-9, "x = " + x[i]);
        }
        double[] qb = NumericEncodings.fitQuantiles(big());
        double[] xb = {-5, 0, 0.25, 3.3, 17.77, 50.0, 50.25, 77.7, 100.8, 100.85, 200};
        double[] expectedBig = {-5.199337582605575, -5.199337582605575, -3.0035558541040244, -1.8479226644668711, -0.932484253102805,
            -0.01493726531449263, -0.007943452018441854, 0.7351573002112249, 2.878003893174398, 3.0899351529977506, 5.19933758270342};
        for (int i = 0; i < xb.length; i++) {
            assertEquals(expectedBig[i], NumericEncodings.quantileEncode(xb[i], qb), 1e-9, "x = " + xb[i]);
        }
    }

    @Test
    void inverseNormalCdfMatchesScipy() {
        double[] p = {1e-7, 0.001, 0.02, 0.075, 0.3, 0.5, 0.6, 0.925, 0.99, 0.9999999};
        // scipy.stats.norm.ppf(p)
        double[] expected = {-5.1993375821928165, -3.090232306167813, -2.053748910631823, -1.4395314709384563, -0.5244005127080409,
            0.0, 0.2533471031357997, 1.4395314709384563, 2.3263478740408408, 5.199337582290661};
        for (int i = 0; i < p.length; i++) {
            assertEquals(expected[i], NumericEncodings.inverseNormalCdf(p[i]), 1e-12 * Math.max(1, Math.abs(expected[i])), "p = " + p[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> NumericEncodings.inverseNormalCdf(0.0));
    }

    @Test
    void edgesAreNumpyPercentiles() {
        // numpy.percentile(big, numpy.linspace(0, 100, 17))
        double[] expected = {0.0, 6.334375, 12.6875, 18.95625, 25.2875, 31.621875, 37.95, 44.25, 50.575, 56.909375, 63.24375,
            69.528125, 75.8125, 82.1375, 88.3125, 94.58125, 100.95};
        assertArrayEquals(expected, NumericEncodings.fitEdges(big(), 16), 1e-9);
        // Duplicate quantiles collapse; a constant column gets one bin [v, v + 1].
        assertArrayEquals(new double[] {0, 1}, NumericEncodings.fitEdges(new double[] {0, 0, 0, 0, 1}, 4), 0.0);
        assertArrayEquals(new double[] {7, 8}, NumericEncodings.fitEdges(new double[] {7, 7}, 4), 0.0);
    }

    @Test
    void piecewiseLinearByHand() {
        // sorted SMALL = 1 1 2 3 3 4 5 5 5 6 7 8 9 9 9; quantiles at 0, .25, .5, .75, 1 (h = 14 p): 1, 3, 5, 7.5, 9
        double[] edges = NumericEncodings.fitEdges(SMALL, 4);
        assertArrayEquals(new double[] {1, 3, 5, 7.5, 9}, edges, 1e-12);
        double[][] cases = {{4, 1, 0.5, 0, 0}, {0, 0, 0, 0, 0}, {1, 0, 0, 0, 0}, {10, 1, 1, 1, 1}, {8.25, 1, 1, 1, 0.5}, {6.25, 1, 1, 0.5, 0}};
        for (double[] c : cases) {
            double[] out = new double[6];
            NumericEncodings.piecewiseLinear(c[0], edges, out, 1);
            assertArrayEquals(new double[] {0, c[1], c[2], c[3], c[4], 0}, out, 1e-12, "x = " + c[0]);
            if (c[0] >= 1 && c[0] <= 9) {
                assertEquals(c[0], NumericEncodings.piecewiseLinearDecode(out, 1, edges), 1e-12);
            }
        }
    }

    @Test
    void quantileDecodeInvertsTheEncoding() {
        double[] q = NumericEncodings.fitQuantiles(big());
        for (double x : new double[] {3.3, 17.77, 77.7}) {
            double z = NumericEncodings.quantileEncode(x, q);
            assertEquals(z, NumericEncodings.quantileEncode(NumericEncodings.quantileDecode(z, q), q), 1e-9);
        }
    }

    @Test
    void stepRoundTripsThroughJsonAndChecksItsEdges() {
        EncodedNumericStep ple = new EncodedNumericStep("x", 2.0, true, EncodedNumericStep.PIECEWISE_LINEAR, new double[] {1, 3, 5, 7.5, 9});
        assertEquals(List.of("x:ple_1", "x:ple_2", "x:ple_3", "x:ple_4", "x:missing"), ple.featureNames());
        double[] out = new double[5];
        ple.apply("", out, 0);
        assertArrayEquals(new double[] {0.5, 0, 0, 0, 1}, out, 0.0);  // missing -> impute 2 -> half of bin 1, indicator 1
        ple.apply("8.25", out, 0);
        assertArrayEquals(new double[] {1, 1, 1, 0.5, 0}, out, 0.0);
        CompiledPipeline p = new CompiledPipeline(List.of("x"), 5, List.of(ple), null);
        assertEquals(p, CompiledPipeline.fromJson(p.toJson()));
        assertTrue(p.toJson().contains("\"kind\":\"encoded_numeric\""), p.toJson());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EncodedNumericStep("x", 2.0, false, EncodedNumericStep.PIECEWISE_LINEAR, new double[] {1, 1, 2}));
        assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new EncodedNumericStep("x", 2.0, false, "log", new double[] {1}));
        assertTrue(e.getMessage().contains("encoding must be"), e.getMessage());
    }
}

package io.micromodels.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Curves against scikit-learn 1.2.1 (Debian's python3-sklearn) on fixed inputs with ties:
 * <pre>
 * y = [0,0,1,1,0,1,0,1,1,0,1,0]; p = [0.1,0.4,0.35,0.8,0.4,0.9,0.2,0.4,0.65,0.7,0.3,0.05]
 * roc_curve(y, p, drop_intermediate=False); precision_recall_curve(y, p); calibration_curve(y, q, n_bins=10 | 5)
 * </pre>
 */
class CurvesTest {
    static final double[] Y = {0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0};
    static final double[] P = {0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.4, 0.65, 0.7, 0.3, 0.05};

    @Test
    void rocMatchesScikitLearn() {
        Curves.Curve roc = Curves.roc(Y, P);
        assertArrayEquals(new double[] {0.0, 0.0, 0.0, 0.16666666666666666, 0.16666666666666666, 0.5, 0.5, 0.5,
                0.6666666666666666, 0.8333333333333334, 1.0}, roc.x(), 1e-15);
        assertArrayEquals(new double[] {0.0, 0.16666666666666666, 0.3333333333333333, 0.3333333333333333, 0.5,
                0.6666666666666666, 0.8333333333333334, 1.0, 1.0, 1.0, 1.0}, roc.y(), 1e-15);
        // scikit-learn 1.2 puts max + 1 first, later versions +inf: compare the data thresholds
        assertArrayEquals(new double[] {0.9, 0.8, 0.7, 0.65, 0.4, 0.35, 0.3, 0.2, 0.1, 0.05},
                Arrays.copyOfRange(roc.thresholds(), 1, 11), 0);
    }

    @Test
    void precisionRecallMatchesScikitLearn() {
        Curves.Curve pr = Curves.precisionRecall(Y, P);
        assertArrayEquals(new double[] {0.5, 0.5454545454545454, 0.6, 0.6666666666666666, 0.625, 0.5714285714285714,
                0.75, 0.6666666666666666, 1.0, 1.0, 1.0}, pr.y(), 1e-15);
        assertArrayEquals(new double[] {1.0, 1.0, 1.0, 1.0, 0.8333333333333334, 0.6666666666666666, 0.5,
                0.3333333333333333, 0.3333333333333333, 0.16666666666666666, 0.0}, pr.x(), 1e-15);
        assertArrayEquals(new double[] {0.05, 0.1, 0.2, 0.3, 0.35, 0.4, 0.65, 0.7, 0.8, 0.9},
                Arrays.copyOf(pr.thresholds(), 10), 0);
    }

    @Test
    void calibrationMatchesScikitLearnIncludingValuesOnBinEdges() {
        double[] q = {0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.4, 0.65, 0.7, 0.3, 0.0};
        Curves.Calibration c = Curves.calibration(Y, q, 10);
        assertArrayEquals(new double[] {0.0, 0.0, 1.0, 0.5, 0.5, 1.0, 1.0}, c.fractionPositive(), 1e-15);
        assertArrayEquals(new double[] {0.05, 0.2, 0.3, 0.38749999999999996, 0.675, 0.8, 0.9}, c.meanPredicted(), 1e-15);
        assertEquals(12, Arrays.stream(c.count()).sum());
        double[] r = {0.1, 0.2, 0.3, 0.8, 0.4, 0.9, 0.2, 0.4, 0.65, 0.7, 0.3, 1.0};
        Curves.Calibration c5 = Curves.calibration(Y, r, 5);
        assertArrayEquals(new double[] {0.0, 0.75, 0.6666666666666666, 0.5}, c5.fractionPositive(), 1e-15);
        assertArrayEquals(new double[] {0.16666666666666666, 0.35000000000000003, 0.7166666666666668, 0.95},
                c5.meanPredicted(), 1e-15);
    }
}

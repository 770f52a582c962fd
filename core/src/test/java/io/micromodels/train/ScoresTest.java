package io.micromodels.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micromodels.explain.Metric;
import org.junit.jupiter.api.Test;

class ScoresTest {

    @Test
    void aucCountsPairsWithTiesAsHalf() {
        // Positives score 0.8, 0.4, 0.35; negatives 0.1, 0.4, 0.7.
        // Pairs won: 0.8 beats all 3; 0.4 beats 0.1, ties 0.4 (half), loses to 0.7 -> 1.5; 0.35 beats 0.1 -> 1.
        double[] y = {1, 0, 1, 0, 1, 0};
        double[] s = {0.8, 0.1, 0.4, 0.4, 0.35, 0.7};
        assertEquals((3 + 1.5 + 1) / 9.0, Scores.auc(y, s), 1e-15);
        assertEquals(1.0, Scores.auc(new double[] {0, 1}, new double[] {0.2, 0.9}));
        assertEquals(0.0, Scores.auc(new double[] {0, 1}, new double[] {0.9, 0.2}));
        assertEquals(0.5, Scores.auc(new double[] {0, 1, 0, 1}, new double[] {0.3, 0.3, 0.3, 0.3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scores.auc(new double[] {1, 1}, new double[] {0.1, 0.2}));
        assertEquals("auc needs both classes, got 2 positives and 0 negatives", e.getMessage());
    }

    @Test
    void classAccuracyComparesClassIndices() {
        assertEquals(0.5, Scores.classAccuracy(new double[] {0, 2, 1, 2}, new double[] {0, 1, 1, 0}));
        Metric m = Metric.classAccuracy();
        assertEquals(Metric.Direction.HIGHER_IS_BETTER, m.direction());
        assertEquals(0.25, m.loss(1.0, 0.75));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scores.classAccuracy(new double[] {0.5}, new double[] {0}));
        assertEquals("actual[0] must be a class index, got 0.5", e.getMessage());
    }

    @Test
    void accuracyThresholds() {
        assertEquals(0.75, Scores.accuracy(new double[] {1, 0, 1, 0}, new double[] {0.5, 0.49, 0.2, 0.1}, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scores.accuracy(new double[] {2}, new double[] {0.1}, 0.5));
        assertEquals("labels[0] must be 0 or 1, got 2.0", e.getMessage());
    }

    @Test
    void logLossIsMeanCrossEntropyAndClipped() {
        double expected = -(Math.log(0.9) + Math.log(1 - 0.2)) / 2;
        assertEquals(expected, Scores.logLoss(new double[] {1, 0}, new double[] {0.9, 0.2}), 1e-15);
        assertEquals(-Math.log(1e-15), Scores.logLoss(new double[] {1}, new double[] {0}), 1e-9);
    }

    @Test
    void rmse() {
        assertEquals(Math.sqrt((1 + 4 + 0) / 3.0), Scores.rmse(new double[] {1, 2, 3}, new double[] {2, 0, 3}), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scores.rmse(new double[] {1}, new double[] {1, 2}));
        assertEquals("actual and predicted must have the same length, got 1 and 2", e.getMessage());
    }

    @Test
    void lossIsPositiveWhenWorseInBothDirections() {
        assertEquals(0.1, Metric.auc().loss(0.9, 0.8), 1e-12);
        assertEquals(0.5, Metric.rmse().loss(1.0, 1.5), 1e-12);
        assertEquals(-0.2, Metric.logLoss().loss(0.5, 0.3), 1e-12);
        assertEquals(Metric.Direction.HIGHER_IS_BETTER, Metric.accuracy().direction());
    }

    @Test
    void reliabilityBinsMatchScikitLearnsCalibrationCurve() {
        /*
         * from sklearn.calibration import calibration_curve   (scikit-learn 1.2.1)
         * y = [0,1,1,0,1,0,0,1,0,0,1,1]; p = [0.1,0.8,0.4,0.4,0.9,0.2,0.65,0.4,0.05,0.3,0.7,0.95]
         * calibration_curve(y, p, n_bins=5, strategy='uniform')
         *   -> prob_true [0.0, 0.5, 0.6666666666666666, 1.0], prob_pred [0.11666666666666668, 0.375, 0.7166666666666668, 0.925]
         */
        double[] y = {0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1};
        double[] p = {0.1, 0.8, 0.4, 0.4, 0.9, 0.2, 0.65, 0.4, 0.05, 0.3, 0.7, 0.95};
        double[][] r = Scores.reliability(y, p, 5);
        double[] observed = {0.0, 0.5, 0.6666666666666666, 1.0};
        double[] predicted = {0.11666666666666668, 0.375, 0.7166666666666668, 0.925};
        double[] counts = {3, 4, 3, 2};
        assertEquals(4, r.length, "the empty bin (0.4, 0.6] is left out");
        for (int b = 0; b < 4; b++) {
            assertEquals(predicted[b], r[b][2], 1e-12);
            assertEquals(observed[b], r[b][3], 1e-12);
            assertEquals(counts[b], r[b][4], 0);
        }
        assertEquals(0.6, r[2][0], 1e-12);
        assertEquals(0.8, r[2][1], 1e-12);
    }
}

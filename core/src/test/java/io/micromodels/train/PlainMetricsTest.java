package io.micromodels.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link PlainMetrics} against scikit-learn 1.2.1 (Debian python3-sklearn) on fixed inputs: {@code roc_auc_score}
 * (with tied scores across classes), {@code accuracy_score}, {@code f1_score(average="macro", zero_division=0)}
 * (with a class absent from both), {@code sqrt(mean_squared_error)}, {@code mean_absolute_error}.
 */
class PlainMetricsTest {
    private static final int[] Y = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1};

    @Test
    void rocAucWithTiesMatchesScikitLearn() {
        double[] s = {0.1, 0.8, 0.35, 0.35, 0.9, 0.2, 0.6, 0.6, 0.4, 0.05, 0.35, 0.7};
        assertEquals(0.8714285714285714, PlainMetrics.rocAuc(Y, s, 1), 1e-15);
        // the negative class scored by 1 - s has the same AUC
        double[] t = new double[s.length];
        for (int i = 0; i < s.length; i++) t[i] = 1 - s[i];
        assertEquals(0.8714285714285714, PlainMetrics.rocAuc(Y, t, 0), 1e-12);
        assertTrue(Double.isNaN(PlainMetrics.rocAuc(new int[] {1, 1}, new double[] {0.2, 0.3}, 1)));
    }

    @Test
    void accuracyAndMacroF1MatchScikitLearn() {
        assertEquals(0.6666666666666666, PlainMetrics.accuracy(Y, new int[] {0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1}), 1e-15);
        assertEquals(0.6636904761904762, PlainMetrics.macroF1(new int[] {0, 1, 2, 2, 1, 0, 3, 3, 1, 2, 0, 1},
                new int[] {0, 2, 2, 2, 1, 1, 3, 0, 1, 2, 0, 2}, 4), 1e-15);
        // class 2 is neither true nor predicted: left out of the average; class 3 never predicted: F1 0
        assertEquals(0.4000000000000001, PlainMetrics.macroF1(new int[] {0, 0, 1, 1, 3, 3}, new int[] {0, 1, 1, 1, 0, 0}, 4), 1e-15);
    }

    @Test
    void rmseAndMaeMatchScikitLearn() {
        double[] a = {3.0, -0.5, 2.0, 7.0, 4.25};
        double[] p = {2.5, 0.0, 2.0, 8.0, 3.0};
        assertEquals(0.7826237921249264, PlainMetrics.rmse(a, p), 1e-15);
        assertEquals(0.65, PlainMetrics.mae(a, p), 1e-15);
    }
}

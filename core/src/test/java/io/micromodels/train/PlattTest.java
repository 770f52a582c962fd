package io.micromodels.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micromodels.frozen.BinaryDecision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Platt scaling against a closed form and against scikit-learn's LogisticRegression on the logit. */
class PlattTest {

    @Test
    void anOverconfidentScoreSetMapsToItsObservedFrequencies() {
        // groups (score, positives, negatives) whose frequencies are exactly sigmoid(0.5 * logit(score)):
        // odds(frequency)^2 = odds(score), e.g. 1/17 -> 1/5, 1/5 -> 1/3, 16/17 -> 4/5; the likelihood is maximal
        // (saturated) at slope 0.5, intercept 0, so calibrated scores equal the frequencies
        double[][] groups = {{1.0 / 17, 1, 4}, {1.0 / 5, 1, 2}, {0.5, 1, 1}, {4.0 / 5, 2, 1}, {16.0 / 17, 4, 1}};
        List<Double> p = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (double[] g : groups) {
            for (int i = 0; i < g[1] + g[2]; i++) {
                p.add(g[0]);
                y.add(i < g[1] ? 1.0 : 0.0);
            }
        }
        double[] ab = Platt.fit(y.stream().mapToDouble(Double::doubleValue).toArray(), p.stream().mapToDouble(Double::doubleValue).toArray());
        // scikit-learn 1.2.1: LogisticRegression(C=1e6, tol=1e-12, max_iter=10000).fit(logit(p), y)
        //   -> coef 0.4999999683147885, intercept 3.8636315356087636e-17 (the 1e-6 ridge moves the slope by 3e-8)
        assertEquals(0.4999999683147885, ab[0], 1e-8);   // lbfgs stops within a few 1e-9
        assertEquals(0.0, ab[1], 1e-9);
        BinaryDecision d = BinaryDecision.platt(1, 0.5, ab[0], ab[1]);
        for (double[] g : groups) {
            assertEquals(g[1] / (g[1] + g[2]), d.calibrate(g[0]), 1e-7, "score " + g[0]);
        }
    }

    @Test
    void matchesScikitLearnOnAnIrregularSet() {
        /*
         * import numpy as np; from sklearn.linear_model import LogisticRegression
         * p = np.array([0.05,0.1,0.15,0.2,0.3,0.35,0.4,0.5,0.55,0.6,0.7,0.8,0.85,0.9,0.95,0.97])
         * y = np.array([0,0,1,0,0,1,0,1,0,1,1,0,1,1,1,1])
         * m = LogisticRegression(C=1e6, tol=1e-12, max_iter=10000).fit(np.log(p/(1-p)).reshape(-1,1), y)
         * m.coef_, m.intercept_ -> 0.8113653728013503, 0.22817658794951545
         */
        double[] p = {0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97};
        double[] y = {0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1};
        double[] ab = Platt.fit(y, p);
        assertEquals(0.8113653728013503, ab[0], 1e-6);
        assertEquals(0.22817658794951545, ab[1], 1e-6);
    }

    @Test
    void oneClassOnlyIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Platt.fit(new double[] {1, 1}, new double[] {0.2, 0.7}));
        assertEquals("Platt calibration needs both classes in the validation split, got 2 positives of 2 rows", e.getMessage());
    }
}

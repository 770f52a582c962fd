package io.micromodels.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J's metrics against independent computations. */
class MetricsTest {

    @Test
    void binaryMetricsMatchHandComputations() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 300;
        double[][] y = new double[n][2];
        double[][] p = new double[n][2];
        int[] actual = new int[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            actual[i] = rng.nextDouble() < 0.3 ? 1 : 0;
            score[i] = Math.min(0.999, Math.max(0.001, 0.3 * actual[i] + 0.7 * rng.nextDouble()));
            y[i][actual[i]] = 1;
            p[i][1] = score[i];
            p[i][0] = 1 - score[i];
        }
        Metrics m = Metrics.classification(Nd4j.create(y), Nd4j.create(p), List.of("no", "yes"));

        long tp = 0, fp = 0, fn = 0, tn = 0;
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            boolean pred = score[i] > 0.5;
            if (pred && actual[i] == 1) tp++;
            else if (pred) fp++;
            else if (actual[i] == 1) fn++;
            else tn++;
            logLoss -= Math.log(actual[i] == 1 ? score[i] : 1 - score[i]);
        }
        // AUC by Mann-Whitney: share of (positive, negative) pairs ranked right, ties counted half
        double pairs = 0, right = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (actual[i] == 1 && actual[j] == 0) {
                    pairs++;
                    right += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                }
            }
        }
        double precision = tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        assertEquals((tp + tn) / (double) n, m.get("accuracy"), 1e-12);
        assertEquals(precision, m.get("precision"), 1e-12);
        assertEquals(recall, m.get("recall"), 1e-12);
        assertEquals(2 * precision * recall / (precision + recall), m.get("f1"), 1e-12);
        assertEquals(right / pairs, m.get("auc"), 1e-9);
        assertEquals(logLoss / n, m.get("log_loss"), 1e-6);
        assertArrayEquals(new long[] {tn, fp}, m.confusion()[0]);
        assertArrayEquals(new long[] {fn, tp}, m.confusion()[1]);
    }

    @Test
    void sigmoidColumnGivesTheSameMetricsAsTwoColumns() {
        double[][] y1 = {{1}, {0}, {1}, {0}, {1}};
        double[][] p1 = {{0.9}, {0.2}, {0.4}, {0.6}, {0.8}};
        double[][] y2 = {{0, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 1}};
        double[][] p2 = {{0.1, 0.9}, {0.8, 0.2}, {0.6, 0.4}, {0.4, 0.6}, {0.2, 0.8}};
        Metrics a = Metrics.classification(Nd4j.create(y1), Nd4j.create(p1), List.of("n", "p"));
        Metrics b = Metrics.classification(Nd4j.create(y2), Nd4j.create(p2), List.of("n", "p"));
        for (String k : a.names()) {
            assertEquals(b.get(k), a.get(k), 1e-9, k);
        }
        assertEquals(5.0 / 6.0, a.get("auc"), 1e-9); // 5 of 6 (pos, neg) pairs ordered right
    }

    @Test
    void aConstantPredictorHasAucOneHalfWhateverTheLabelOrder() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 150;
        double[][] y = new double[n][2];
        double[][] p = new double[n][2];
        for (int i = 0; i < n; i++) {
            y[i][rng.nextDouble() < 0.3 ? 1 : 0] = 1;
            p[i][0] = 0.7;
            p[i][1] = 0.3;
        }
        assertEquals(0.5, Metrics.classification(Nd4j.create(y), Nd4j.create(p), List.of("a", "b")).get("auc"), 1e-12);
        assertEquals(0.5, Metrics.classification(Nd4j.create(y), Nd4j.create(p), List.of("a", "b"), 0).get("auc"), 1e-12);
    }

    @Test
    void regressionMetricsMatchClosedForms() {
        double[] a = {3, -0.5, 2, 7};
        double[] p = {2.5, 0.0, 2, 8};
        Metrics m = Metrics.regression(a, p);
        assertEquals(Math.sqrt((0.25 + 0.25 + 0 + 1) / 4), m.get("rmse"), 1e-9);
        assertEquals((0.5 + 0.5 + 0 + 1) / 4, m.get("mae"), 1e-9);
        assertEquals(0.9486081370449679, m.get("r2"), 1e-9); // scikit-learn's r2_score doc example
    }

    @Test
    void multiclassAccuracyAndConfusion() {
        double[][] y = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}};
        double[][] p = {{0.7, 0.2, 0.1}, {0.1, 0.5, 0.4}, {0.2, 0.5, 0.3}, {0.1, 0.1, 0.8}};
        Metrics m = Metrics.classification(Nd4j.create(y), Nd4j.create(p), List.of("a", "b", "c"));
        assertEquals(0.75, m.get("accuracy"), 1e-12);
        assertArrayEquals(new long[] {0, 1, 1}, m.confusion()[2]);
        double ll = -(Math.log(0.7) + Math.log(0.5) + Math.log(0.3) + Math.log(0.8)) / 4;
        assertEquals(ll, m.get("log_loss"), 1e-9);
    }

    /*
     * Reference numbers from Debian's python3-sklearn 1.2.1 (/usr/bin/python3):
     *   from sklearn.metrics import precision_recall_fscore_support, average_precision_score, log_loss, brier_score_loss
     *   from sklearn.preprocessing import label_binarize
     *   y = [0,0,1,1,2,2,3,3,0,1]; pr = [0,1,1,1,0,1,3,3,0,0]
     *   precision_recall_fscore_support(y, pr, average='macro', zero_division=0, labels=[0,1,2,3])
     *       -> (0.5, 0.5833333333333333, 0.5357142857142858)
     *   yb = [0,1,1,0,1,0,0,1,0,0]; sb = [0.1,0.8,0.4,0.4,0.9,0.2,0.65,0.4,0.05,0.3]
     *   average_precision_score(yb, sb) -> 0.8333333333333333; brier_score_loss(yb, sb) -> 0.1495;
     *   log_loss(yb, sb) -> 0.44582055842833335
     *   ym = [0,1,2,2,1,0]; pm = [[.6,.3,.1],[.2,.5,.3],[.1,.2,.7],[.3,.4,.3],[.5,.3,.2],[.4,.4,.2]]
     *   average_precision_score(label_binarize(ym, classes=[0,1,2]), pm, average='macro') -> 0.7888888888888888
     */

    @Test
    void multiclassMacroAveragesCountANeverPredictedClassAsZeroAsScikitLearn() {
        int[] y = {0, 0, 1, 1, 2, 2, 3, 3, 0, 1};
        int[] predicted = {0, 1, 1, 1, 0, 1, 3, 3, 0, 0};   // class 2 is never predicted
        double[][] oneHot = new double[y.length][4];
        double[][] p = new double[y.length][4];
        for (int i = 0; i < y.length; i++) {
            oneHot[i][y[i]] = 1;
            for (int c = 0; c < 4; c++) {
                p[i][c] = c == predicted[i] ? 0.7 : 0.1;
            }
        }
        Metrics m = Metrics.classification(Nd4j.create(oneHot), Nd4j.create(p), List.of("a", "b", "c", "d"));
        assertEquals(0.5, m.get("precision"), 1e-12);
        assertEquals(0.5833333333333333, m.get("recall"), 1e-12);
        assertEquals(0.5357142857142858, m.get("f1"), 1e-12);
        assertEquals(0.6, m.get("accuracy"), 1e-12);
        assertArrayEquals(new long[] {1, 1, 0, 0}, m.confusion()[2]);
    }

    @Test
    void averagePrecisionBrierAndLogLossMatchScikitLearn() {
        double[] yb = {0, 1, 1, 0, 1, 0, 0, 1, 0, 0};
        double[] sb = {0.1, 0.8, 0.4, 0.4, 0.9, 0.2, 0.65, 0.4, 0.05, 0.3};
        double[][] y1 = new double[yb.length][1];
        double[][] p1 = new double[yb.length][1];
        for (int i = 0; i < yb.length; i++) {
            y1[i][0] = yb[i];
            p1[i][0] = sb[i];
        }
        Metrics m = Metrics.classification(Nd4j.create(y1), Nd4j.create(p1), List.of("n", "p"));
        assertEquals(0.8333333333333333, m.get("pr_auc"), 1e-12);
        assertEquals(0.1495, m.get("brier"), 1e-12);
        assertEquals(0.44582055842833335, m.get("log_loss"), 1e-12);
        assertEquals(0.8333333333333333, Scores.averagePrecision(yb, sb), 1e-12);

        double[][] ym = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}, {0, 1, 0}, {1, 0, 0}};
        double[][] pm = {{.6, .3, .1}, {.2, .5, .3}, {.1, .2, .7}, {.3, .4, .3}, {.5, .3, .2}, {.4, .4, .2}};
        Metrics mm = Metrics.classification(Nd4j.create(ym), Nd4j.create(pm), List.of("a", "b", "c"));
        assertEquals(0.7888888888888888, mm.get("pr_auc"), 1e-12);
        double brier = 0;   // the multiclass Brier score: mean over rows of the summed squared errors
        for (int i = 0; i < ym.length; i++) {
            for (int c = 0; c < 3; c++) {
                brier += (pm[i][c] - ym[i][c]) * (pm[i][c] - ym[i][c]);
            }
        }
        assertEquals(brier / ym.length, mm.get("brier"), 1e-12);
    }

    @Test
    void aThresholdDecidesTheTwoClassLabels() {
        double[][] y = {{0, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 1}};
        double[][] p = {{0.9, 0.1}, {0.8, 0.2}, {0.7, 0.3}, {0.6, 0.4}, {0.2, 0.8}};
        Metrics plain = Metrics.classification(Nd4j.create(y), Nd4j.create(p), List.of("n", "p"), 1);
        assertEquals(1.0 / 3, plain.get("recall"), 1e-12);
        Metrics low = Metrics.classification(Nd4j.create(y), Nd4j.create(p), List.of("n", "p"),
                io.micromodels.frozen.BinaryDecision.threshold(1, 0.25));
        // predicted positive: 0.3, 0.4, 0.8 -> tp 2 (0.3, 0.8), fp 1 (0.4), fn 1 (0.1)
        assertEquals(2.0 / 3, low.get("recall"), 1e-12);
        assertEquals(2.0 / 3, low.get("precision"), 1e-12);
        assertEquals(0.6, low.get("accuracy"), 1e-12);
        assertEquals(plain.get("auc"), low.get("auc"), 0, "ranking metrics do not depend on the threshold");
        assertArrayEquals(new long[] {1, 2}, low.confusion()[1]);
    }
}

package io.micromodels.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ObjectiveTest {

    @Test
    void rankAucEqualsPairCountingWithTies() {
        Random r = new Random(3);
        int n = 200;
        double[] score = new double[n];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            pos[i] = r.nextDouble() < 0.4;
            score[i] = Math.round((r.nextDouble() + (pos[i] ? 0.3 : 0)) * 10) / 13.0; // many ties
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (pos[i] && !pos[j]) {
                    pairs++;
                    wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, Objective.auc(score, pos), 1e-12);
    }

    @Test
    void rankAucMatchesDl4jRocWithoutTies() {
        Random r = new Random(5);
        int n = 300;
        double[] score = new double[n];
        boolean[] pos = new boolean[n];
        double[][] labels = new double[n][2];
        double[][] probs = new double[n][2];
        for (int i = 0; i < n; i++) {
            pos[i] = r.nextDouble() < 0.4;
            score[i] = 1 / (1 + Math.exp(-(r.nextGaussian() + (pos[i] ? 1 : 0))));
            labels[i][pos[i] ? 1 : 0] = 1;
            probs[i][1] = score[i];
            probs[i][0] = 1 - score[i];
        }
        double dl4j = Metrics.classification(Nd4j.create(labels), Nd4j.create(probs), List.of("no", "yes")).get("auc");
        assertEquals(dl4j, Objective.auc(score, pos), 1e-6);
    }

    @Test
    void aucIsNanWithOneClassAndKnownValuesOtherwise() {
        assertTrue(Double.isNaN(Objective.auc(new double[] {0.1, 0.2}, new boolean[] {true, true})));
        assertEquals(1.0, Objective.auc(new double[] {0.1, 0.9}, new boolean[] {false, true}), 0);
        assertEquals(0.5, Objective.auc(new double[] {0.5, 0.5}, new boolean[] {false, true}), 0);
    }

    @Test
    void directionAndLoss() {
        assertEquals(-0.8, Objective.AUC.loss(0.8), 0);
        assertEquals(0.8, Objective.LOG_LOSS.loss(0.8), 0);
        assertTrue(Objective.AUC.better(0.9, 0.8));
        assertTrue(Objective.RMSE.better(0.8, 0.9));
        assertFalse(Objective.AUC.better(Double.NaN, 0.1));
        assertEquals(Objective.LOG_LOSS, Objective.parse("log_loss"));
    }

    @Test
    void theThresholdMaximisesTheMetricOnAFixedExample() {
        double[] y = {0, 0, 1, 0, 1, 1};
        double[] p = {0.1, 0.3, 0.35, 0.4, 0.6, 0.8};
        // F1 at ">= 0.35": tp 3, fp 1, fn 0 -> 6/7, the best; the threshold sits halfway to the next lower score
        double t = Objective.F1.bestThreshold(y, p);
        assertEquals(0.325, t, 1e-12);
        assertEquals(6.0 / 7, io.micromodels.train.Scores.f1(y, p, t), 1e-12);
        // accuracy 5/6 at ">= 0.35" and at ">= 0.6": the tie goes to the threshold closest to 0.5 (0.5 itself)
        assertEquals(0.5, Objective.ACCURACY.bestThreshold(y, p), 1e-12);
        // no threshold on a fine grid does better
        for (int i = 1; i < 1000; i++) {
            assertTrue(io.micromodels.train.Scores.f1(y, p, i / 1000.0) <= 6.0 / 7 + 1e-12);
        }
        assertThrows(IllegalStateException.class, () -> Objective.AUC.bestThreshold(y, p));
    }

    @Test
    void metricsFitTheirTasksAndOthersAreNamedInTheError() {
        io.micromodels.data.TaskInfo reg = new io.micromodels.data.TaskInfo(io.micromodels.frozen.TaskKind.REGRESSION, "y",
                java.util.List.of(), -1);
        assertEquals(Objective.MAE, Objective.forTask(reg, "mae"));
        assertEquals(Objective.RMSE, Objective.forTask(reg, ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Objective.forTask(reg, "auc"));
        assertEquals("metric 'auc' does not fit a regression task; use one of [rmse, mae]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Objective.parse("recall"));
        assertTrue(e.getMessage().contains("[auc, pr_auc, log_loss, accuracy, f1, rmse, mae], got 'recall'"), e.getMessage());
    }
}

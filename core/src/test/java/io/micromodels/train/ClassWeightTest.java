package io.micromodels.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.population.Population;
import io.micromodels.population.PopulationResult;
import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Class weights: sklearn's balanced formula, and the weighted cross-entropy DL4J and the population train on. */
class ClassWeightTest {

    /** 3 features, 3 classes with 6, 2 and 2 rows (deliberately imbalanced), one-hot labels. */
    static DataSet imbalanced(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] cls = {0, 0, 1, 0, 2, 0, 0, 1, 2, 0};
        double[][] x = new double[cls.length][3];
        double[][] y = new double[cls.length][3];
        for (int i = 0; i < cls.length; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = rng.nextDouble(-1, 1) + (j == cls[i] ? 0.5 : 0);
            }
            y[i][cls[i]] = 1;
        }
        return new DataSet(Nd4j.create(x).castTo(DataType.FLOAT), Nd4j.create(y).castTo(DataType.FLOAT));
    }

    @Test
    void balancedIsScikitLearnsFormula() {
        // sklearn.utils.class_weight.compute_class_weight('balanced', classes=[0,1,2], y=...) = n / (k * bincount)
        double[] w = ClassWeight.BALANCED.classWeights(imbalanced(1).getLabels());
        assertArrayEquals(new double[] {10.0 / 18, 10.0 / 6, 10.0 / 6}, w, 1e-12);
        assertArrayEquals(new double[] {1, 1, 1}, ClassWeight.NONE.classWeights(imbalanced(1).getLabels()), 0);
        // a sigmoid model's [n, 1] labels: 1 positive of 4
        double[] b = ClassWeight.BALANCED.classWeights(Nd4j.create(new double[][] {{0}, {1}, {0}, {0}}));
        assertArrayEquals(new double[] {4.0 / 6, 2.0}, b, 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassWeight.parse("balance"));
        assertTrue(e.getMessage().contains("[none, balanced], got 'balance'"), e.getMessage());
    }

    @Test
    void weightedLossAndOneSgdStepMatchAHandComputedWeightedCrossEntropy() {
        MicromodelSpec spec = Micromodel.classifier(3).input(3).sgd(0.5).batchSize(10).epochs(1).patience(0).seed(3).build();
        DataSet data = imbalanced(2);
        double[] cw = ClassWeight.BALANCED.classWeights(data.getLabels());
        DataSet weighted = ClassWeight.weighted(data, cw);
        MultiLayerNetwork net = new MultiLayerNetwork(spec.toConfiguration());
        net.init();
        double[][] x = data.getFeatures().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] y = data.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] wm = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();   // [in, out]
        double[] b = net.getLayer(0).getParam("b").castTo(DataType.DOUBLE).ravel().toDoubleVector();
        int n = x.length;
        // hand: L = (1/n) sum_i w_{y_i} * -log softmax(x_i W + b)_{y_i};  dL/dW = (1/n) sum_i w_i x_i (p_i - y_i)^T
        double loss = 0;
        double[][] gw = new double[3][3];
        double[] gb = new double[3];
        for (int i = 0; i < n; i++) {
            double[] z = new double[3];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                z[c] = b[c];
                for (int j = 0; j < 3; j++) z[c] += x[i][j] * wm[j][c];
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < 3; c++) sum += Math.exp(z[c] - max);
            int yi = y[i][0] == 1 ? 0 : y[i][1] == 1 ? 1 : 2;
            double wi = cw[yi];
            for (int c = 0; c < 3; c++) {
                double p = Math.exp(z[c] - max) / sum;
                if (c == yi) loss -= wi * Math.log(p);
                double d = wi * (p - y[i][c]) / n;
                gb[c] += d;
                for (int j = 0; j < 3; j++) gw[j][c] += x[i][j] * d;
            }
        }
        loss /= n;
        assertEquals(loss, Trainer.validationLoss(net, weighted), 1e-5 * loss);
        assertTrue(Math.abs(loss - Trainer.validationLoss(net, data)) > 1e-3, "the weights change the loss");

        // one epoch = one full-batch SGD step with lr 0.5 on the weighted loss
        try (TrainingResult r = Trainer.fit(net, spec, weighted, weighted)) {
            double[][] w1 = r.network().getLayer(0).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
            double[] b1 = r.network().getLayer(0).getParam("b").castTo(DataType.DOUBLE).ravel().toDoubleVector();
            assertTrue(((org.deeplearning4j.nn.conf.layers.BaseOutputLayer) r.network().getLayer(0).conf().getLayer()).getLossFn()
                    instanceof org.nd4j.linalg.lossfunctions.impl.LossMCXENT, "the original loss is back after the fit");
            for (int j = 0; j < 3; j++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(wm[j][c] - 0.5 * gw[j][c], w1[j][c], 2e-6, "W[" + j + "][" + c + "]");
                }
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(b[c] - 0.5 * gb[c], b1[c], 2e-6, "b[" + c + "]");
            }
        }
    }

    @Test
    void thePopulationTrainsTheSameWeightedLossAsTheTrainer() {
        MicromodelSpec spec = Micromodel.binary().input(3).dense(8, Activation.TANH).adam(0.02)
                .batchSize(4).epochs(6).patience(0).seed(5).build();
        DataSet raw = imbalanced(3);
        double[][] y = raw.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] pos = new double[y.length][1];
        for (int i = 0; i < y.length; i++) pos[i][0] = y[i][0] == 1 ? 0 : 1;   // class 0 (6 rows) vs the rest (4)
        DataSet bin = new DataSet(raw.getFeatures(), Nd4j.create(pos).castTo(DataType.FLOAT));
        DataSet weighted = ClassWeight.weighted(bin, ClassWeight.BALANCED.classWeights(bin.getLabels()));
        try (TrainingResult t = Trainer.fit(spec, weighted, weighted);
             TrainingResult plain = Trainer.fit(spec, bin, bin);
             PopulationResult p = Population.fit(List.of(spec), weighted, weighted)) {
            for (int e = 0; e < t.epochsRun(); e++) {
                double a = t.history().get(e).validationLoss();
                assertEquals(a, p.member(0).history().get(e).validationLoss(), 1e-4 * a, "validation loss, epoch " + (e + 1));
                assertEquals(t.history().get(e).trainLoss(), p.member(0).history().get(e).trainLoss(), 1e-4 * a,
                        "training score, epoch " + (e + 1));
            }
            assertTrue(Math.abs(t.history().get(0).validationLoss() - plain.history().get(0).validationLoss()) > 1e-4,
                    "weighted and unweighted runs differ");
        }
    }

    @Test
    void earlyStoppingOnAMetricKeepsItsBestEpochInTheTrainerAndThePopulationAlike() {
        MicromodelSpec spec = Micromodel.binary().input(3).dense(8, Activation.TANH).adam(0.05)
                .batchSize(4).epochs(15).patience(4).seed(11).build();
        DataSet raw = imbalanced(4);
        double[][] y = raw.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] pos = new double[y.length][1];
        for (int i = 0; i < y.length; i++) pos[i][0] = y[i][0] == 1 ? 0 : 1;
        DataSet bin = new DataSet(raw.getFeatures(), Nd4j.create(pos).castTo(DataType.FLOAT));
        // the negated validation AUC, computed independently of Objective
        java.util.function.ToDoubleFunction<double[][]> negAuc = out -> {
            double[] s = new double[out.length];
            for (int i = 0; i < out.length; i++) s[i] = out[i][0];
            return -Scores.auc(new double[] {0, 0, 1, 0, 1, 0, 0, 1, 1, 0}, s);   // the labels of bin
        };
        try (TrainingResult t = Trainer.fitSelecting(spec, bin, bin,
                net -> negAuc.applyAsDouble(net.output(bin.getFeatures(), false).castTo(DataType.DOUBLE).toDoubleMatrix()));
             PopulationResult p = Population.fit(List.of(spec), bin, bin,
                     io.micromodels.population.PopulationOptions.defaults(spec.seed()), null, negAuc)) {
            double best = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            for (EpochReport r : t.history()) {
                if (r.validationLoss() < best) {
                    best = r.validationLoss();
                    bestEpoch = r.epoch();
                }
            }
            assertEquals(bestEpoch, t.bestEpoch(), "the kept epoch is the one with the highest AUC");
            assertEquals(best, negAuc.applyAsDouble(t.network().output(bin.getFeatures(), false).castTo(DataType.DOUBLE)
                    .toDoubleMatrix()), 1e-9, "the kept parameters are that epoch's");
            assertEquals(t.bestEpoch(), p.member(0).bestEpoch());
            assertEquals(t.epochsRun(), p.member(0).epochsRun());
            assertEquals(t.bestValidationLoss(), p.member(0).bestValidationLoss(), 1e-9);
        }
    }
}

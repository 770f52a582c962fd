package io.micromodels.spec;

import io.micromodels.frozen.Activation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Dropout uses the drop-probability convention; L1 and L2 visibly act on the weights. */
class DropoutAndRegularisationTest {

    @Test
    void dropRateZeroesThatShareOfActivationsInTrainingAndNoneAtInference() {
        int width = 400;
        MicromodelSpec spec = Micromodel.regressor(width).input(width)
                .dense(width, Activation.IDENTITY).dropout(0.2).seed(3).build();
        MultiLayerNetwork net = new MultiLayerNetwork(spec.toConfiguration());
        net.init();
        // Both layers become the identity map, so the output shows exactly what dropout did to layer 0's outputs.
        INDArray eye = Nd4j.eye(width).castTo(DataType.FLOAT);
        net.getLayer(0).setParam("W", eye);
        net.getLayer(0).setParam("b", Nd4j.zeros(DataType.FLOAT, 1, width));
        net.getLayer(1).setParam("W", eye);
        net.getLayer(1).setParam("b", Nd4j.zeros(DataType.FLOAT, 1, width));
        INDArray x = Nd4j.rand(DataType.FLOAT, 50, width).addi(1.0); // all in [1, 2): never zero
        INDArray train = net.output(x, true);
        INDArray infer = net.output(x, false);

        double zeros = train.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertEquals(0.2, zeros, 0.01, "share of zeroed activations in training (20000 draws, sd 0.003)");
        // kept units are scaled by 1/(1-p) (inverted dropout), so expectations match inference
        INDArray kept = train.neq(0).castTo(DataType.FLOAT);
        double maxErr = train.sub(x.mul(kept).div(0.8)).norm1Number().doubleValue();
        assertTrue(maxErr < 1e-2, "kept activations are x/0.8, total abs error " + maxErr);
        assertEquals(0.0, infer.eq(0).castTo(DataType.DOUBLE).sumNumber().doubleValue(), "no dropout at inference");
        assertEquals(0.0, infer.sub(x).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void largeL1MakesFirstLayerSparserAndLargeL2ShrinksWeights() {
        DataSet[] data = noisyLinearData(600, 10, 11);
        MicromodelSpec base = Micromodel.classifier(2).input(10).dense(16, Activation.RELU)
                .sgd(0.05).seed(5).epochs(60).patience(0).batchSize(32).build();
        double[] plain = firstLayerStats(Trainer.fit(base, data[0], data[1]));
        double[] l1 = firstLayerStats(Trainer.fit(Micromodel.from(base).l1(0.01).build(), data[0], data[1]));
        double[] l2 = firstLayerStats(Trainer.fit(Micromodel.from(base).l2(0.1).build(), data[0], data[1]));

        // [0] share of |w| < 1e-3, [1] L2 norm of all weights
        assertTrue(l1[0] > plain[0] + 0.2, "L1 sparsity " + l1[0] + " vs none " + plain[0]);
        assertTrue(l2[1] < 0.6 * plain[1], "L2 norm " + l2[1] + " vs none " + plain[1]);
    }

    private static double[] firstLayerStats(TrainingResult r) {
        try (r) {
            double[] w = r.network().getLayer(0).getParam("W").castTo(DataType.DOUBLE).ravel().toDoubleVector();
            int small = 0;
            double sq = 0;
            for (double v : w) {
                if (Math.abs(v) < 1e-3) {
                    small++;
                }
                sq += v * v;
            }
            return new double[] {small / (double) w.length, Math.sqrt(sq)};
        }
    }

    /** Two classes separated by a random hyperplane through the first 3 features; the other 7 are noise. */
    static DataSet[] noisyLinearData(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DataSet[] out = new DataSet[2];
        for (int part = 0; part < 2; part++) {
            float[][] x = new float[n][d];
            float[][] y = new float[n][2];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = (float) gaussian(rng);
                }
                double s = 1.5 * x[i][0] - x[i][1] + 0.5 * x[i][2] + 0.3 * gaussian(rng);
                y[i][s > 0 ? 1 : 0] = 1;
            }
            out[part] = new DataSet(Nd4j.create(x), Nd4j.create(y));
        }
        return out;
    }

    static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}

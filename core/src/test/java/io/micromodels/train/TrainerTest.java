package io.micromodels.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

public class TrainerTest {

    /** y = 1 when x0 * x1 > 0 (XOR of signs): needs the hidden layer, a linear model stays near chance. */
    public static DataSet xor(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][4];
        float[][] y = new float[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) (rng.nextDouble() * 2 - 1);
            }
            y[i][x[i][0] * x[i][1] > 0 ? 1 : 0] = 1;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    @Test
    void learnsANonlinearProblemAndReportsEveryEpoch() {
        MicromodelSpec spec = Micromodel.classifier(2).input(4).dense(16, Activation.TANH).dense(16, Activation.TANH)
                .adam(0.01).seed(3).epochs(60).patience(0).batchSize(32).build();
        List<EpochReport> seen = new ArrayList<>();
        try (TrainingResult r = Trainer.fit(spec, xor(800, 1), xor(300, 2), seen::add)) {
            DataSet test = xor(500, 3);
            Metrics m = Metrics.classification(test.getLabels(), r.network().output(test.getFeatures()), List.of("0", "1"));
            assertTrue(m.get("auc") > 0.95, "XOR AUC " + m.get("auc"));
            assertEquals(60, r.epochsRun());
            assertEquals(TrainingResult.Stop.MAX_EPOCHS, r.stop());
            assertEquals(r.history(), seen);
            assertEquals(1, seen.get(0).epoch());
        }
    }

    @Test
    void stopsEarlyAndRestoresTheBestEpoch() {
        // a tiny noisy training set and a big network overfit quickly, so validation loss turns up
        DataSet train = xor(40, 5);
        DataSet val = xor(400, 6);
        MicromodelSpec spec = Micromodel.classifier(2).input(4).dense(64, Activation.RELU).dense(64, Activation.RELU)
                .adam(0.05).seed(9).epochs(500).patience(8).batchSize(8).build();
        try (TrainingResult r = Trainer.fit(spec, train, val)) {
            assertEquals(TrainingResult.Stop.EARLY_STOPPED, r.stop());
            assertEquals(r.bestEpoch() + spec.patience(), r.epochsRun());
            double best = r.history().stream().mapToDouble(EpochReport::validationLoss).min().orElseThrow();
            assertEquals(best, r.bestValidationLoss(), 0);
            // the network handed back is the best epoch's, not the last one's
            assertEquals(best, Trainer.validationLoss(r.network(), val), 1e-5);
            double last = r.history().get(r.history().size() - 1).validationLoss();
            assertTrue(last > best, "last " + last + " best " + best);
        }
    }

    @Test
    void sameSeedSameResult() {
        MicromodelSpec spec = Micromodel.classifier(2).input(4).dense(8, Activation.RELU).dropout(0.2)
                .seed(21).epochs(5).patience(0).build();
        try (TrainingResult a = Trainer.fit(spec, xor(200, 1), xor(100, 2));
             TrainingResult b = Trainer.fit(spec, xor(200, 1), xor(100, 2))) {
            assertEquals(a.network().params(), b.network().params());
        }
    }

    @Test
    void binarySpecAcceptsOneHotLabels() {
        MicromodelSpec spec = Micromodel.binary().input(4).dense(16, Activation.TANH).adam(0.01).seed(3).epochs(40)
                .patience(0).build();
        try (TrainingResult r = Trainer.fit(spec, xor(800, 1), xor(200, 2))) {
            DataSet test = xor(300, 3);
            Metrics m = Metrics.classification(test.getLabels().getColumns(1), r.network().output(test.getFeatures()),
                    List.of("0", "1"));
            assertTrue(m.get("auc") > 0.9, "AUC " + m.get("auc"));
        }
    }

    @Test
    void shapeMismatchesAreNamed() {
        MicromodelSpec spec = Micromodel.classifier(3).input(5).dense(4, Activation.RELU).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(spec, xor(10, 1), xor(10, 2)));
        assertEquals("training data has 4 features but the spec expects inputs = 5", e.getMessage());
        MicromodelSpec spec2 = Micromodel.classifier(3).input(4).build();
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(spec2, xor(10, 1), xor(10, 2)));
        assertEquals("training data has 2 label columns but the spec's multiclass output has outputs = 3", e.getMessage());
    }
}

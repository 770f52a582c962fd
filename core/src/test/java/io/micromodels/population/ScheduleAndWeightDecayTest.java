package io.micromodels.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.LearningRateSchedule;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.spec.Updater;
import io.micromodels.train.EpochReport;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Learning-rate schedules and decoupled (AdamW) weight decay in both trainers: one AdamW step of DL4J's network and of
 * the population engine against the step worked by hand, and whole trainings of the two trainers against each other.
 */
class ScheduleAndWeightDecayTest {
    /** Two rows, one feature: x = 1, 2 and y = 1, 3; the model y = w x + b starts at w = 0.5, b = 0.1. */
    private static final float[][] X = {{1}, {2}};
    private static final float[][] Y = {{1}, {3}};
    private static final double W0 = 0.5;
    private static final double B0 = 0.1;
    private static final double LR = 0.1;
    private static final double DECAY = 0.01;
    private static final int EPOCHS = 4;

    private static MicromodelSpec linear() {
        return Micromodel.regressor().input(1).adam(LR).schedule(LearningRateSchedule.cosine(0)).weightDecay(DECAY)
                .epochs(EPOCHS).batchSize(2).patience(0).build();
    }

    /**
     * The first Adam step at epoch {@code epoch} of the cosine schedule, by hand. MSE gradient of the minibatch mean:
     * dL/dw = (1/2) sum 2 (w x + b - y) x = (1/2)(2(0.6 - 1) 1 + 2(1.1 - 3) 2) = -4.2, dL/db = (1/2)(-0.8 - 3.8) = -2.3.
     * Adam at t = 1 (DL4J/ND4J form, epsilon outside the root): m = (1 - b1) g, v = (1 - b2) g^2,
     * step = lr_e sqrt(1 - b2) / (1 - b1) * m / (sqrt(v) + eps). AdamW then takes lr_e * decay * w off the weight only.
     *
     * @return {w, b} after the step
     */
    private static double[] byHand(int epoch) {
        double lrE = LR * 0.5 * (1 + Math.cos(Math.PI * epoch / EPOCHS));
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] g = {-4.2, -2.3};
        double[] out = new double[2];
        double[] start = {W0, B0};
        for (int i = 0; i < 2; i++) {
            double m = (1 - b1) * g[i];
            double v = (1 - b2) * g[i] * g[i];
            double step = lrE * Math.sqrt(1 - b2) / (1 - b1) * m / (Math.sqrt(v) + eps);
            out[i] = start[i] - step - (i == 0 ? lrE * DECAY * start[i] : 0);
        }
        return out;
    }

    @ParameterizedTest(name = "epoch {0}")
    @ValueSource(ints = {0, 2})
    void oneAdamWStepOfDl4jEqualsTheStepByHand(int epoch) {
        double[] want = byHand(epoch);
        MultiLayerNetwork net = new MultiLayerNetwork(linear().toConfiguration());
        net.init(Nd4j.createFromArray(new float[] {(float) W0, (float) B0}).reshape(1, 2), true);
        net.setEpochCount(epoch);
        net.fit(Nd4j.create(X), Nd4j.create(Y));
        float[] p = net.params().toFloatVector();
        assertEquals(want[0], p[0], 1e-6, "w");
        assertEquals(want[1], p[1], 1e-6, "b (not decayed)");
        // epoch 2 of 4: lr 0.05; w = 0.5 + 0.05 (Adam's first step is ~lr sign) - 0.05 * 0.01 * 0.5
        if (epoch == 2) {
            assertEquals(0.5 + 0.05 - 0.00025, p[0], 1e-6);
        }
    }

    @ParameterizedTest(name = "epoch {0}")
    @ValueSource(ints = {0, 2})
    void oneAdamWStepOfThePopulationEngineEqualsTheStepByHand(int epoch) {
        double[] want = byHand(epoch);
        // member 0 alone (the op applies the shared rate), and beside a member with another rate (rates in lrMask)
        MicromodelSpec other = Micromodel.from(linear()).adam(0.03).weightDecay(0).build();
        for (List<MicromodelSpec> specs : List.of(List.of(linear()), List.of(linear(), other))) {
            List<float[]> params = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                params.add(new float[] {(float) W0, (float) B0});
            }
            try (PopulationEngine engine = PopulationEngineTest.engine(specs, params)) {
                engine.startEpoch(epoch);
                INDArray x = PopulationEngine.withBiasColumn(Nd4j.create(X));
                engine.step(x, Nd4j.create(Y), PopulationEngine.Score.NONE);
                float[][] p = engine.memberParams();
                assertEquals(want[0], p[0][0], 1e-6, specs.size() + " members: w");
                assertEquals(want[1], p[0][1], 1e-6, specs.size() + " members: b");
                if (specs.size() == 2) {
                    // the other member: rate 0.03 scheduled, no decay
                    double lrE = 0.03 * 0.5 * (1 + Math.cos(Math.PI * epoch / EPOCHS));
                    assertEquals(W0 + lrE * 4.2 * Math.sqrt(0.001) / (4.2 * Math.sqrt(0.001) + 1e-8), p[1][0], 1e-6, "other w");
                }
            }
        }
    }

    private static MicromodelSpec classifier(double lr, LearningRateSchedule schedule, double decay, long seed) {
        return Micromodel.classifier(2).input(4).dense(16, Activation.TANH).dense(8, Activation.RELU)
                .adam(lr).schedule(schedule).weightDecay(decay).l2(1e-4).seed(seed)
                .batchSize(32).epochs(12).patience(0).build();
    }

    private static void assertSameTraining(TrainingResult a, TrainingResult b, String what) {
        assertEquals(a.epochsRun(), b.epochsRun(), what + ": epochs");
        assertEquals(a.bestEpoch(), b.bestEpoch(), what + ": best epoch");
        for (int e = 0; e < a.epochsRun(); e++) {
            EpochReport x = a.history().get(e);
            EpochReport y = b.history().get(e);
            assertEquals(x.validationLoss(), y.validationLoss(), 1e-4 * x.validationLoss(), what + ": validation loss, epoch " + (e + 1));
        }
    }

    /** One member with a one-cycle schedule and weight decay follows the Trainer (DL4J) epoch by epoch. */
    @Test
    void aScheduledDecayedMemberFollowsTheTrainer() {
        MicromodelSpec spec = classifier(0.02, LearningRateSchedule.oneCycle(0.3), 0.05, 17);
        DataSet train = PopulationTest.xor(200, 1);
        DataSet val = PopulationTest.xor(100, 2);
        try (TrainingResult t = Trainer.fit(spec, train, val);
             PopulationResult p = Population.fit(List.of(spec), train, val)) {
            assertSameTraining(t, p.member(0), "trainer vs population");
            for (int e = 0; e < t.epochsRun(); e++) {
                assertEquals(t.history().get(e).trainLoss(), p.member(0).history().get(e).trainLoss(),
                        1e-4 * t.history().get(e).trainLoss(), "training score with the decay's 0.5 wd |w|^2, epoch " + (e + 1));
            }
        }
    }

    /**
     * Members with different schedules, rates and decays train in one population exactly as each trains alone; and
     * the schedule and the decay change the training (the test could not pass with either ignored).
     */
    @Test
    void eachMemberOfAPopulationEqualsTrainingItAlone() {
        List<MicromodelSpec> specs = List.of(
                classifier(0.02, LearningRateSchedule.cosine(0.1), 0.05, 3),
                classifier(0.01, LearningRateSchedule.oneCycle(0.3), 0, 4),
                classifier(0.02, LearningRateSchedule.CONSTANT, 0.1, 5),
                classifier(0.02, LearningRateSchedule.CONSTANT, 0, 3));
        DataSet train = PopulationTest.xor(200, 1);
        DataSet val = PopulationTest.xor(100, 2);
        try (PopulationResult all = Population.fit(specs, train, val, PopulationOptions.defaults(9))) {
            for (int i = 0; i < specs.size(); i++) {
                try (PopulationResult alone = Population.fit(List.of(specs.get(i)), train, val, PopulationOptions.defaults(9))) {
                    assertSameTraining(alone.member(0), all.member(i), "member " + i);
                }
            }
            // member 0 and 3 differ only in schedule and decay: their trainings differ
            assertNotEquals(all.member(0).history().get(11).validationLoss(), all.member(3).history().get(11).validationLoss(), 1e-3);
        }
    }
}

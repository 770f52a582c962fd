package io.micromodels.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link SteppedPopulation}: members that join late or are masked out early each hold what training their spec alone
 * for the epochs they ran gives (the reference is {@link Trainer#fit}, DL4J's own training loop).
 */
class SteppedPopulationTest {

    private static Micromodel base() {
        return Micromodel.classifier(2).input(4).dense(16, Activation.TANH).dense(8, Activation.RELU)
                .batchSize(32).patience(0);
    }

    /** Member {@code r}'s epoch reports and exported network against the Trainer's for {@code spec} alone. */
    private static void assertSameAsAlone(TrainingResult r, MicromodelSpec spec, int epochs, DataSet train, DataSet val) {
        MicromodelSpec alone = Micromodel.from(spec).epochs(epochs).build();
        try (TrainingResult t = Trainer.fit(alone, train, val)) {
            assertEquals(t.epochsRun(), r.epochsRun(), "epochs");
            assertEquals(t.bestEpoch(), r.bestEpoch(), "best epoch");
            for (int e = 0; e < t.epochsRun(); e++) {
                double a = t.history().get(e).validationLoss();
                assertEquals(a, r.history().get(e).validationLoss(), 1e-4 * a, "validation loss, epoch " + (e + 1));
            }
            assertEquals(Trainer.validationLoss(t.network(), val), Trainer.validationLoss(r.network(), val), 1e-4);
        }
    }

    @Test
    void lateAndMaskedMembersEqualTrainingAloneForTheirEpochs() {
        DataSet train = PopulationTest.xor(200, 1);
        DataSet val = PopulationTest.xor(100, 2);
        MicromodelSpec a = base().adam(0.01).l2(1e-3).seed(5).epochs(14).build();
        MicromodelSpec b = base().adam(0.03).seed(5).epochs(14).build();
        MicromodelSpec c = base().adam(0.005).seed(5).epochs(6).build();
        try (SteppedPopulation p = new SteppedPopulation(train, val, null)) {
            int ia = p.add(a);
            for (int e = 0; e < 3; e++) {
                assertTrue(p.epoch().isEmpty());
            }
            int ib = p.add(b);                  // joins at a's epoch 4: its own epoch 1, own batch order and Adam count
            for (int e = 0; e < 5; e++) {
                p.epoch();
            }
            assertEquals(8, p.epochs(ia));
            assertEquals(5, p.epochs(ib));
            try (TrainingResult partial = p.result(ib)) {
                assertSameAsAlone(partial, b, 5, train, val);
            }
            p.remove(ib);                       // masked out at its epoch 5
            assertFalse(p.training(ib));
            int ic = p.add(c);                  // takes the freed slot
            for (int e = 0; e < 5; e++) {
                assertTrue(p.epoch().isEmpty());
            }
            assertEquals(List.of(ia, ic), p.epoch(), "a at its 14th epoch and c at its 6th stop together");
            assertTrue(p.trainingMembers().isEmpty());
            assertEquals(5, p.epochs(ib), "a removed member trains no more");
            assertEquals(TrainingResult.Stop.MAX_EPOCHS, p.stop(ia));
            assertEquals(TrainingResult.Stop.MAX_EPOCHS, p.stop(ic));
            try (TrainingResult ra = p.result(ia); TrainingResult rb = p.result(ib); TrainingResult rc = p.result(ic)) {
                assertSameAsAlone(ra, a, 14, train, val);
                assertSameAsAlone(rb, b, 5, train, val);
                assertSameAsAlone(rc, c, 6, train, val);
            }
        }
    }

    /** A member that joins later follows its own schedule from its own epoch 1, and decays its weights as alone. */
    @Test
    void lateMembersFollowTheirOwnLearningRateSchedule() {
        DataSet train = PopulationTest.xor(200, 1);
        DataSet val = PopulationTest.xor(100, 2);
        MicromodelSpec a = base().adam(0.02).schedule(io.micromodels.spec.LearningRateSchedule.cosine(0.1))
                .weightDecay(0.05).seed(5).epochs(10).build();
        MicromodelSpec c = base().adam(0.02).schedule(io.micromodels.spec.LearningRateSchedule.oneCycle(0.3))
                .weightDecay(0.1).seed(6).epochs(6).build();
        try (SteppedPopulation p = new SteppedPopulation(train, val, null)) {
            int ia = p.add(a);
            for (int e = 0; e < 4; e++) {
                p.epoch();
            }
            int ic = p.add(c);                  // its epoch 1 (one-cycle's lowest rate) while a is at its epoch 5
            for (int e = 0; e < 6; e++) {
                p.epoch();
            }
            assertTrue(p.trainingMembers().isEmpty());
            try (TrainingResult ra = p.result(ia); TrainingResult rc = p.result(ic)) {
                assertSameAsAlone(ra, a, 10, train, val);
                assertSameAsAlone(rc, c, 6, train, val);
            }
        }
    }

    @Test
    void incompatibleMembersAreRefusedNamingTheField() {
        try (SteppedPopulation p = new SteppedPopulation(PopulationTest.xor(50, 1), PopulationTest.xor(20, 2), null)) {
            p.add(base().adam(0.01).seed(1).epochs(3).build());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.add(base().adam(0.01).seed(1).epochs(3).batchSize(16).build()));
            assertTrue(e.getMessage().contains("batchSize is 16, member 0 has 32"), e.getMessage());
        }
    }
}

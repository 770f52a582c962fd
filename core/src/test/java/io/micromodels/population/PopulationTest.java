package io.micromodels.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.spec.Updater;
import io.micromodels.train.EpochReport;
import io.micromodels.train.Trainer;
import io.micromodels.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Population#fit} end to end: early stopping per member, export, compaction, compatibility errors. */
class PopulationTest {

    /** y = 1 when x0 * x1 > 0 (XOR of signs), 4 features, one-hot {@code [n, 2]} labels. */
    static DataSet xor(int n, long seed) {
        return io.micromodels.train.TrainerTest.xor(n, seed);
    }

    static Micromodel base() {
        return Micromodel.classifier(2).input(4).dense(16, Activation.TANH).dense(8, Activation.TANH)
                .batchSize(32).epochs(12).patience(0);
    }

    @Test
    void oneMemberWithoutDropoutFollowsTheTrainerEpochByEpoch() {
        MicromodelSpec spec = Micromodel.from(base().l2(1e-3).adam(0.01).seed(17).build()).build();
        DataSet train = xor(200, 1);
        DataSet val = xor(100, 2);
        try (TrainingResult t = Trainer.fit(spec, train, val);
             PopulationResult p = Population.fit(List.of(spec), train, val)) {
            TrainingResult m = p.member(0);
            assertEquals(t.epochsRun(), m.epochsRun());
            assertEquals(t.bestEpoch(), m.bestEpoch());
            assertEquals(t.stop(), m.stop());
            for (int e = 0; e < t.epochsRun(); e++) {
                EpochReport a = t.history().get(e);
                EpochReport b = m.history().get(e);
                assertEquals(a.validationLoss(), b.validationLoss(), 1e-4 * a.validationLoss(), "validation loss, epoch " + (e + 1));
                assertEquals(a.trainLoss(), b.trainLoss(), 1e-4 * a.trainLoss(), "training score, epoch " + (e + 1));
            }
            assertEquals(Trainer.validationLoss(t.network(), val), Trainer.validationLoss(m.network(), val), 1e-4);
        }
    }

    @Test
    void aDivergingMemberStopsEarlyOthersContinueAndEveryoneKeepsItsBestEpoch() {
        List<MicromodelSpec> specs = new ArrayList<>();
        specs.add(base().adam(0.01).seed(1).dropout(0.1).build());
        specs.add(base().adam(1.0).seed(2).patience(3).epochs(30).build());   // huge learning rate
        specs.add(base().adam(0.003).seed(3).l1(1e-4).build());
        specs.add(Micromodel.classifier(2).input(4).dense(9, Activation.TANH).dense(8, Activation.TANH)
                .batchSize(32).epochs(12).patience(0).adam(0.02).seed(4).build());
        DataSet train = xor(160, 3);
        DataSet val = xor(120, 4);
        List<Integer> seen = new ArrayList<>();
        try (PopulationResult r = Population.fit(specs, train, val, PopulationOptions.defaults(5).withCompactionThreshold(0),
                (member, report) -> seen.add(member))) {
            TrainingResult huge = r.member(1);
            assertTrue(huge.stop() == TrainingResult.Stop.EARLY_STOPPED || huge.stop() == TrainingResult.Stop.DIVERGED,
                    "huge learning rate stop " + huge.stop());
            assertTrue(huge.epochsRun() < 12, "the diverging member ran " + huge.epochsRun() + " epochs");
            for (int i : new int[] {0, 2, 3}) {
                assertEquals(TrainingResult.Stop.MAX_EPOCHS, r.member(i).stop(), "member " + i);
                assertEquals(12, r.member(i).epochsRun(), "member " + i + " kept training");
            }
            assertEquals(12 * 3 + huge.epochsRun(), seen.size(), "one report per member and epoch");
            for (int i = 0; i < specs.size(); i++) {
                TrainingResult m = r.member(i);
                double best = m.history().stream().mapToDouble(EpochReport::validationLoss).min().orElseThrow();
                assertEquals(best, m.bestValidationLoss(), 0, "member " + i + " best");
                assertEquals(best, m.history().get(m.bestEpoch() - 1).validationLoss(), 0, "member " + i + " best epoch");
                // the exported network holds the best epoch's parameters, not the last ones
                assertEquals(best, Trainer.validationLoss(m.network(), val), 1e-5 * best, "member " + i + " exported");
                assertEquals(specs.get(i).parameterCount(), m.network().numParams(), "member " + i + " unpadded");
            }
            assertNotEquals(huge.history().get(huge.epochsRun() - 1).validationLoss(), huge.bestValidationLoss());
        }
    }

    @Test
    void compactionChangesNothingButTheWork() {
        List<MicromodelSpec> specs = new ArrayList<>();
        int[] patience = {2, 0, 3, 1, 0, 2};
        int[] width = {16, 6, 12, 16, 10, 5};
        for (int i = 0; i < specs.size() + 6; i++) {
            if (specs.size() == 6) {
                break;
            }
            specs.add(Micromodel.classifier(2).input(4).dense(width[i], Activation.RELU).dropout(0.1 * (i % 3))
                    .dense(width[5 - i], Activation.RELU).batchSize(16).epochs(10 + i).patience(patience[i])
                    .adam(0.02 + 0.01 * i).l2(i % 2 == 0 ? 1e-3 : 0).seed(30 + i).build());
        }
        DataSet train = xor(48, 7);   // tiny and noisy: validation loss turns up early
        DataSet val = xor(200, 8);
        try (PopulationResult never = Population.fit(specs, train, val, PopulationOptions.defaults(9).withCompactionThreshold(0));
             PopulationResult always = Population.fit(specs, train, val, PopulationOptions.defaults(9).withCompactionThreshold(1))) {
            assertEquals(0, never.compactions());
            assertTrue(always.compactions() > 0, "compacted " + always.compactions() + " times");
            for (int i = 0; i < specs.size(); i++) {
                TrainingResult a = never.member(i);
                TrainingResult b = always.member(i);
                assertEquals(a.epochsRun(), b.epochsRun(), "member " + i + " epochs");
                assertEquals(a.bestEpoch(), b.bestEpoch(), "member " + i + " best epoch");
                assertEquals(a.stop(), b.stop(), "member " + i + " stop");
                for (int e = 0; e < a.epochsRun(); e++) {
                    double va = a.history().get(e).validationLoss();
                    assertEquals(va, b.history().get(e).validationLoss(), 1e-4 * va, "member " + i + " epoch " + (e + 1));
                }
            }
        }
    }

    @Test
    void binaryMembersAcceptOneHotLabels() {
        List<MicromodelSpec> specs = List.of(
                Micromodel.binary().input(4).dense(16, Activation.TANH).adam(0.02).seed(1).epochs(30).batchSize(32).build(),
                Micromodel.binary().input(4).dense(8, Activation.TANH).sgd(0.5).seed(2).epochs(30).batchSize(32).build());
        assertThrows(IllegalArgumentException.class, () -> Population.check(specs), "adam and sgd cannot mix");
        try (PopulationResult r = Population.fit(List.of(specs.get(0)), xor(400, 1), xor(200, 2))) {
            assertTrue(r.member(0).bestValidationLoss() < 0.45, "binary XOR loss " + r.member(0).bestValidationLoss());
            assertEquals(1, r.member(0).network().output(xor(3, 3).getFeatures()).size(1));
        }
    }

    @Test
    void incompatibleMembersAreNamedByIndexAndField() {
        MicromodelSpec a = base().adam(0.01).seed(1).build();
        MicromodelSpec batch = Micromodel.from(a).batchSize(64).build();
        MicromodelSpec act = Micromodel.classifier(2).input(4).dense(16, Activation.RELU).dense(8, Activation.TANH)
                .batchSize(32).adam(0.01).build();
        MicromodelSpec nesterov = Micromodel.from(a).updater(new Updater(Updater.Kind.NESTEROV, 0.01)).build();

        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> Population.check(List.of(a, a, batch)));
        assertTrue(e1.getMessage().contains("member 2") && e1.getMessage().contains("batchSize is 64"), e1.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> Population.check(List.of(a, act)));
        assertTrue(e2.getMessage().contains("member 1") && e2.getMessage().contains("hidden[0].activation is relu"),
                e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> Population.check(List.of(a, nesterov)));
        assertTrue(e3.getMessage().contains("member 1") && e3.getMessage().contains("nesterov"), e3.getMessage());
        assertTrue(!Population.supports(nesterov) && Population.supports(a));

        List<PopulationGroup> groups = Population.groups(List.of(a, batch, act, a, batch, nesterov));
        assertEquals(4, groups.size());
        assertEquals(List.of(0, 3), groups.get(0).indices());
        assertEquals(List.of(1, 4), groups.get(1).indices());
        assertEquals(List.of(2), groups.get(2).indices());
        assertEquals(List.of(5), groups.get(3).indices());
        for (PopulationGroup g : groups.subList(0, 3)) {
            Population.check(g.specs());
        }
    }

    @Test
    void optionsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PopulationOptions(1, 1.5, true));
        assertEquals("compactionThreshold must be in [0, 1], got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PopulationOptions(1, Double.NaN, true));
        assertEquals(0.25, PopulationOptions.defaults(3).withCompactionThreshold(0.25).compactionThreshold());
    }
}

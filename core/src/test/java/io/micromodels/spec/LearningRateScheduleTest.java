package io.micromodels.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import org.junit.jupiter.api.Test;

/**
 * The schedules' learning-rate factors at given epochs against their closed forms (PyTorch's definitions, worked by
 * hand), and the spec JSON of the schedule and the weight decay: round trip, old specs without the keys, bad values.
 */
class LearningRateScheduleTest {

    @Test
    void cosineWithoutWarmUpHalvesAtTheMiddleAndNeverReachesZero() {
        LearningRateSchedule c = LearningRateSchedule.cosine(0);
        assertEquals(1.0, c.factor(0, 10), 1e-15);
        assertEquals(0.5, c.factor(5, 10), 1e-15);                                   // (1 + cos(pi/2)) / 2
        assertEquals((1 + Math.cos(Math.PI * 0.9)) / 2, c.factor(9, 10), 1e-15);   // 0.02447...
        assertEquals(0.024471741852423234, c.factor(9, 10), 1e-15);
        assertEquals(c.factor(9, 10), c.factor(50, 10), 0, "past the horizon: the last epoch's factor");
    }

    @Test
    void cosineWithWarmUpRisesLinearlyThenDecaysOverTheRest() {
        LearningRateSchedule c = LearningRateSchedule.cosine(0.2);   // 10 epochs: W = 2
        assertEquals(0.5, c.factor(0, 10), 1e-15);
        assertEquals(1.0, c.factor(1, 10), 1e-15);
        assertEquals(1.0, c.factor(2, 10), 1e-15);
        assertEquals(0.5, c.factor(6, 10), 1e-15);                                  // (6 - 2) / (10 - 2) = 1/2
        assertEquals((1 + Math.cos(Math.PI * 7 / 8)) / 2, c.factor(9, 10), 1e-15);
        LearningRateSchedule w = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 0.25);   // 8 epochs: W = 2
        assertEquals(0.5, w.factor(0, 8), 1e-15);
        assertEquals(1.0, w.factor(1, 8), 1e-15);
        assertEquals(1.0, w.factor(7, 8), 1e-15);
    }

    @Test
    void oneCycleIsPyTorchsOneCycleLrSteppedPerEpoch() {
        // OneCycleLR(max_lr=1, total_steps=10, pct_start=0.3): phase ends at step 0.3*10 - 1 = 2 and 9;
        // initial 1/25 = 0.04, minimum 0.04/1e4 = 4e-6, cosine annealing in both phases
        LearningRateSchedule o = LearningRateSchedule.oneCycle(0.3);
        assertEquals(0.04, o.factor(0, 10), 1e-15);
        assertEquals(0.52, o.factor(1, 10), 1e-15);                                 // 1 + (0.04 - 1)/2 * (cos(pi/2) + 1)
        assertEquals(1.0, o.factor(2, 10), 1e-15);
        double min = 4e-6;
        assertEquals(min + (1 - min) / 2 * (Math.cos(Math.PI * 2 / 7) + 1), o.factor(4, 10), 1e-15);
        assertEquals(0.8117449009293668 + min * (1 - 0.8117449009293668), o.factor(4, 10), 1e-12);
        assertEquals(min, o.factor(9, 10), 1e-18);
    }

    @Test
    void theUpdaterScalesItsBaseRate() {
        Updater u = Updater.adam(0.01).withSchedule(LearningRateSchedule.cosine(0));
        assertEquals(0.005, u.learningRate(5, 10), 1e-17);
        assertEquals(0.01, Updater.adam(0.01).learningRate(5, 10), 0);
        assertEquals(0.005, new EpochSchedule(0.01, "cosine", 0, 10).valueAt(123, 5), 1e-17, "DL4J's view reads the epoch");
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("schedule warmup must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1)).getMessage());
        assertEquals("schedule warmup must be in (0, 1) for one_cycle (its rising fraction), got 0.0",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.oneCycle(0)).getMessage());
        assertEquals("weightDecay must be in [0, 1.0], got -0.1",
                assertThrows(IllegalArgumentException.class, () -> Updater.adam(1e-3).withWeightDecay(-0.1)).getMessage());
        assertEquals("learning-rate schedule must be one of [constant, cosine, one_cycle], got 'step'",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.Kind.parse("step")).getMessage());
        assertEquals(LearningRateSchedule.Kind.ONE_CYCLE, LearningRateSchedule.Kind.parse("one-cycle"));
    }

    private static MicromodelSpec spec(Updater u) {
        return Micromodel.regressor().input(3).dense(4, Activation.RELU).updater(u).build();
    }

    @Test
    void jsonRoundTripsAndLeavesOutTheDefaults() {
        MicromodelSpec plain = spec(Updater.adam(1e-3));
        assertFalse(plain.toJson().contains("schedule"), plain.toJson());
        assertFalse(plain.toJson().contains("weightDecay"), plain.toJson());
        MicromodelSpec tuned = spec(Updater.adam(3e-3).withSchedule(LearningRateSchedule.oneCycle(0.3)).withWeightDecay(1e-4));
        String json = tuned.toJson();
        assertTrue(json.contains("\"schedule\" : {\n      \"kind\" : \"one_cycle\",\n      \"warmup\" : 0.3\n    }"), json);
        assertTrue(json.contains("\"weightDecay\" : 1.0E-4"), json);
        assertEquals(tuned, MicromodelSpec.fromJson(json));
        assertEquals(json, MicromodelSpec.fromJson(json).toJson());
        // a spec written before schedules existed reads as constant, no decay, and writes back the same bytes
        String old = plain.toJson();
        assertEquals(plain, MicromodelSpec.fromJson(old));
        assertEquals(old, MicromodelSpec.fromJson(old).toJson());
    }

    @Test
    void badJsonIsNamed() {
        String json = spec(Updater.adam(3e-3).withSchedule(LearningRateSchedule.cosine(0.1))).toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MicromodelSpec.fromJson(json.replace("\"warmup\"", "\"warmUp\"")));
        assertTrue(e.getMessage().startsWith("spec: unknown key 'warmUp' (at updater.schedule)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MicromodelSpec.fromJson(json.replace("\"cosine\"", "\"cos\"")));
        assertTrue(e.getMessage().contains("cos"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MicromodelSpec.fromJson(json.replace("\"warmup\" : 0.1", "\"warmup\" : 1.5")));
        assertTrue(e.getMessage().contains("schedule warmup must be in [0, 1), got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MicromodelSpec.fromJson(json.replace("\"learningRate\" : 0.003", "\"learningRate\" : 0.003,\n\"weightDecay\" : 2.0")));
        assertTrue(e.getMessage().contains("weightDecay must be in [0, 1.0], got 2.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MicromodelSpec.fromJson(json.replace("\"kind\" : \"cosine\",", "")));
        assertTrue(e.getMessage().contains("missing key 'kind'"), e.getMessage());
    }

    @Test
    void aScheduleHorizonApartFromTheEpochsRoundTripsAndSetsTheRate() {
        MicromodelSpec plain = spec(Updater.adam(1e-2).withSchedule(LearningRateSchedule.cosine(0)));
        assertFalse(plain.toJson().contains("scheduleEpochs"), plain.toJson());
        Updater over50 = Updater.adam(1e-2).withSchedule(LearningRateSchedule.cosine(0)).withScheduleEpochs(50);
        MicromodelSpec spec = spec(over50);
        String json = spec.toJson();
        assertTrue(json.contains("\"scheduleEpochs\" : 50"), json);
        assertEquals(spec, MicromodelSpec.fromJson(json));
        assertEquals(json, MicromodelSpec.fromJson(json).toJson());
        // cosine over 50 epochs, whatever the epochs trained: lr_e = a (1 + cos(pi e / 50)) / 2
        assertEquals(1e-2 * (1 + Math.cos(Math.PI * 7 / 50)) / 2, over50.learningRate(7, 10), 1e-17);
        assertEquals(1e-2 * (1 + Math.cos(Math.PI * 7 / 50)) / 2, over50.toDl4j(10).getLearningRate(999, 7), 1e-17);
        assertEquals(1e-2 * (1 + Math.cos(Math.PI * 7 / 10)) / 2, plain.updater().learningRate(7, 10), 1e-17);
        assertTrue(over50.describe().endsWith(", schedule over 50 epochs"), over50.describe());
        assertEquals("scheduleEpochs must be in [0, 1000000] (0 = the spec's epochs), got -1",
                assertThrows(IllegalArgumentException.class, () -> over50.withScheduleEpochs(-1)).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MicromodelSpec.fromJson(json.replace("\"scheduleEpochs\" : 50", "\"scheduleEpochs\" : -3")));
        assertTrue(e.getMessage().contains("scheduleEpochs must be in [0, 1000000]"), e.getMessage());
    }
}

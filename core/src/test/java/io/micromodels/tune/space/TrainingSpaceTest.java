package io.micromodels.tune.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.spec.LearningRateSchedule;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.bayes.Dimension;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The learning-rate schedule and the weight decay in the search space: coordinates, decoding, JSON. */
class TrainingSpaceTest {
    static final SpaceConfig SEARCHED = SpaceConfig.defaults().withTraining(
            List.of(LearningRateSchedule.Kind.CONSTANT, LearningRateSchedule.Kind.COSINE, LearningRateSchedule.Kind.ONE_CYCLE),
            new Range(1e-4, 1e-1, true));

    @Test
    void theyAreTwoMoreCoordinatesAfterTheOthers() {
        MicromodelSpace s = MicromodelSpaceTest.space(SEARCHED, MicromodelSpaceTest.REGRESSION);
        assertEquals(List.of("depth", "width", "activation", "dropRate", "l1", "l2", "learningRate", "batchSize",
                "schedule", "weightDecay"), s.coordinateNames());
        assertEquals(Dimension.categorical(3), s.dimensions().get(8));
        assertEquals(Dimension.continuous(), s.dimensions().get(9));
        double[] u = MicromodelSpaceTest.fill(10, 0.5);
        for (int i = 0; i < 3; i++) {
            u[8] = (i + 0.5) / 3;
            MicromodelSpec spec = s.getValue(u);
            assertEquals(SEARCHED.schedules().get(i), spec.updater().schedule().kind(), "level " + i);
            // u = 0.5 on the log range [1e-4, 1e-1]: 10^-2.5
            assertEquals(Math.pow(10, -2.5), spec.updater().weightDecay(), 1e-12);
        }
        assertEquals(LearningRateSchedule.oneCycle(0.3), s.getValue(u).updater().schedule());
        // a space that does not search them keeps its eight coordinates and trains as before
        MicromodelSpec plain = MicromodelSpaceTest.space(SpaceConfig.defaults(), MicromodelSpaceTest.REGRESSION)
                .getValue(MicromodelSpaceTest.fill(8, 0.5));
        assertTrue(plain.updater().schedule().isConstant());
        assertEquals(0, plain.updater().weightDecay());
    }

    @Test
    void jsonRoundTripsAndOldSpacesReadAndWriteUnchanged() {
        String json = SEARCHED.toJson();
        assertTrue(json.contains("\"schedules\" : [ \"constant\", \"cosine\", \"one_cycle\" ]"), json);
        assertEquals(SEARCHED, SpaceConfig.fromJson(json));
        assertEquals(json, SpaceConfig.fromJson(json).toJson());
        String old = SpaceConfig.defaults().toJson();
        assertFalse(old.contains("schedules") || old.contains("weightDecay"), old);
        assertEquals(SpaceConfig.defaults(), SpaceConfig.fromJson(old));
        assertEquals(old, SpaceConfig.fromJson(old).toJson());
    }

    @Test
    void badValuesAreNamed() {
        String json = SEARCHED.toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.fromJson(json.replace("\"one_cycle\" ]", "\"cosine\" ]")));
        assertTrue(e.getMessage().contains("schedules must not repeat a value, got [constant, cosine, cosine]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpaceConfig.fromJson(json.replace("\"one_cycle\" ]", "\"step\" ]")));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SEARCHED.withTraining(SEARCHED.schedules(), new Range(0, 2, false)));
        assertEquals("weightDecay must be within [0.0, 1.0], got [0.0, 2.0]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SEARCHED.withTraining(List.of(), SEARCHED.weightDecay()));
        assertEquals("schedules must name at least one schedule, got []", e.getMessage());
    }
}

package io.micromodels.tune.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.data.Normalization;
import io.micromodels.spec.LearningRateSchedule;
import io.micromodels.tune.bayes.Dimension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The encoding of numeric features in the search space: its coordinate, its decoding to input widths, JSON. */
class NormalizationSpaceTest {
    static final List<Normalization> THREE = List.of(Normalization.STANDARDIZE, Normalization.QUANTILE,
            Normalization.PIECEWISE_LINEAR);
    static final SpaceConfig SEARCHED = SpaceConfig.defaults().withNormalizations(THREE);

    static Map<Normalization, Integer> widths() {
        Map<Normalization, Integer> w = new LinkedHashMap<>();
        w.put(Normalization.STANDARDIZE, 5);
        w.put(Normalization.QUANTILE, 5);
        w.put(Normalization.PIECEWISE_LINEAR, 41);
        return w;
    }

    @Test
    void itIsACategoricalCoordinateAfterTheOthersAndDecidesTheInputWidth() {
        MicromodelSpace s = new MicromodelSpace(SEARCHED, MicromodelSpaceTest.BINARY, widths(), 50, 5, 7L);
        assertEquals(List.of("depth", "width", "activation", "dropRate", "l1", "l2", "learningRate", "batchSize",
                "normalization"), s.coordinateNames());
        assertEquals(Dimension.categorical(3), s.dimensions().get(8));
        double[] u = MicromodelSpaceTest.fill(9, 0.5);
        int[] expected = {5, 5, 41};
        for (int i = 0; i < 3; i++) {
            u[8] = (i + 0.5) / 3; // the bin centre of level i
            assertEquals(THREE.get(i), s.normalization(u), "level " + i);
            assertEquals(expected[i], s.getValue(u).inputs(), "level " + i);
        }
        // the other coordinates decode as in a space without the encoding
        MicromodelSpace plain = MicromodelSpaceTest.space(SpaceConfig.defaults(), MicromodelSpaceTest.BINARY);
        assertEquals(plain.getValue(MicromodelSpaceTest.fill(8, 0.5)).hidden(), s.getValue(u).hidden());
        // with the schedules and weight decay searched too, it comes after them
        SpaceConfig all = SEARCHED.withTraining(List.of(LearningRateSchedule.Kind.CONSTANT, LearningRateSchedule.Kind.COSINE),
                new Range(1e-4, 1e-1, true));
        assertEquals("normalization", new MicromodelSpace(all, MicromodelSpaceTest.BINARY, widths(), 50, 5, 7L)
                .coordinateNames().get(10));
    }

    @Test
    void oneEncodingAddsNoCoordinate() {
        Map<Normalization, Integer> one = new LinkedHashMap<>();
        one.put(Normalization.QUANTILE, 5);
        MicromodelSpace s = new MicromodelSpace(SpaceConfig.defaults(), MicromodelSpaceTest.BINARY, one, 50, 5, 7L);
        assertEquals(8, s.numParameters());
        assertEquals(Normalization.QUANTILE, s.normalization(MicromodelSpaceTest.fill(8, 0.5)));
        assertEquals(5, s.getValue(MicromodelSpaceTest.fill(8, 0.5)).inputs());
        MicromodelSpace single = new MicromodelSpace(SpaceConfig.defaults().withNormalizations(List.of(Normalization.QUANTILE)),
                MicromodelSpaceTest.BINARY, 5, 50, 5, 7L);
        assertEquals(8, single.numParameters());
        assertEquals(Normalization.QUANTILE, single.normalization(MicromodelSpaceTest.fill(8, 0.5)));
        // built for one width without naming its encoding: there is none to tell
        MicromodelSpace unnamed = MicromodelSpaceTest.space(SpaceConfig.defaults(), MicromodelSpaceTest.BINARY);
        assertThrows(IllegalStateException.class, () -> unnamed.normalization(MicromodelSpaceTest.fill(8, 0.5)));
    }

    @Test
    void widthsMustMatchTheEncodings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MicromodelSpace(SEARCHED, MicromodelSpaceTest.BINARY, 5, 50, 5, 7L));
        assertTrue(e.getMessage().startsWith("normalizations [STANDARDIZE, QUANTILE, PIECEWISE_LINEAR] give one input width"),
                e.getMessage());
        Map<Normalization, Integer> two = new LinkedHashMap<>(widths());
        two.remove(Normalization.QUANTILE);
        e = assertThrows(IllegalArgumentException.class, () -> new MicromodelSpace(SEARCHED, MicromodelSpaceTest.BINARY, two,
                50, 5, 7L));
        assertEquals("inputs must give one width per normalization of the space [STANDARDIZE, QUANTILE, PIECEWISE_LINEAR], "
                + "got [STANDARDIZE, PIECEWISE_LINEAR]", e.getMessage());
    }

    @Test
    void jsonRoundTripsAndSpacesWithoutTheKeyReadAndWriteUnchanged() {
        String json = SEARCHED.toJson();
        assertTrue(json.contains("\"normalizations\" : [ \"STANDARDIZE\", \"QUANTILE\", \"PIECEWISE_LINEAR\" ]"), json);
        assertEquals(SEARCHED, SpaceConfig.fromJson(json));
        assertEquals(json, SpaceConfig.fromJson(json).toJson());
        String old = SpaceConfig.defaults().toJson();
        assertFalse(old.contains("normalizations"), old);
        assertEquals(List.of(), SpaceConfig.fromJson(old).normalizations());
        assertEquals(old, SpaceConfig.fromJson(old).toJson());
        // the other keys added later keep their values beside it
        SpaceConfig trained = TrainingSpaceTest.SEARCHED.withNormalizations(List.of(Normalization.QUANTILE));
        assertEquals(trained, SpaceConfig.fromJson(trained.toJson()));
    }

    @Test
    void badValuesAreNamed() {
        String json = SEARCHED.toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpaceConfig.fromJson(json.replace("\"QUANTILE\",", "\"STANDARDIZE\",")));
        assertTrue(e.getMessage().contains("normalizations must not repeat a value, got [STANDARDIZE, STANDARDIZE, "
                + "PIECEWISE_LINEAR]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpaceConfig.fromJson(json.replace("\"QUANTILE\"", "\"zscore\"")));
        assertTrue(e.getMessage().contains("zscore"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SEARCHED.withNormalizations(null));
        assertEquals("normalizations must be given, got null", e.getMessage());
    }
}

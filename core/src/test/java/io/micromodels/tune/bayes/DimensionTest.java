package io.micromodels.tune.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DimensionTest {

    @Test
    void discreteLevelsAreBinCentres() {
        Dimension d = Dimension.integer(4);
        assertEquals(0.125, d.encode(0), 0.0);
        assertEquals(0.875, d.encode(3), 0.0);
        assertEquals(0, d.level(0.0));
        assertEquals(1, d.level(0.25));
        assertEquals(3, d.level(1.0));
        assertEquals(0.625, d.round(0.51), 0.0);
        assertEquals(0.875, d.round(7.0), 0.0, "clamped first");
        assertTrue(d.isValid(0.375));
        assertFalse(d.isValid(0.4));
        for (int level = 0; level < 4; level++) {
            assertEquals(level, d.level(d.encode(level)));
        }
    }

    @Test
    void continuousRoundsByClampingOnly() {
        Dimension c = Dimension.continuous();
        assertEquals(0.123, c.round(0.123), 0.0);
        assertEquals(0.0, c.round(-3), 0.0);
        assertTrue(c.isValid(0.77));
        assertFalse(c.isValid(Double.NaN));
        assertThrows(IllegalStateException.class, () -> c.level(0.5));
    }

    @Test
    void invalidDimensionsNameTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> Dimension.categorical(1));
        assertEquals("levels must be >= 2 for a CATEGORICAL dimension, got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dimension(Dimension.Kind.CONTINUOUS, 3));
        assertEquals("levels must be 0 for a CONTINUOUS dimension, got 3", e.getMessage());
    }

    @Test
    void optionsValidateWithFieldRangeAndValue() {
        BayesOptions ok = BayesOptions.defaults(6);
        assertEquals(12, ok.initialPoints());
        assertEquals(5, BayesOptions.defaults(1).initialPoints());
        var e = assertThrows(IllegalArgumentException.class, () -> ok.withInitialPoints(0));
        assertEquals("initialPoints must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ok.withRawSamples(8));
        assertEquals("rawSamples must be >= 16, got 8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ok.withRefinedCandidates(0));
        assertEquals("refinedCandidates must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ok.withFitStarts(-2));
        assertEquals("fitStarts must be >= 1, got -2", e.getMessage());
    }

    @Test
    void trialsValidateAndClassifyFailures() {
        var e = assertThrows(IllegalArgumentException.class, () -> Trial.of(new double[] {0.5, 1.5}, 1.0));
        assertEquals("point[1] must be in [0, 1], got 1.5", e.getMessage());
        assertTrue(Trial.of(new double[] {0.5}, Double.NaN).isFailure());
        assertTrue(Trial.of(new double[] {0.5}, Double.POSITIVE_INFINITY).isFailure());
        assertTrue(Trial.failed(new double[] {0.5}).isFailure());
        assertFalse(Trial.of(new double[] {0.5}, 3.0).isFailure());
        assertFalse(Trial.running(new double[] {0.5}).isFailure());
        double[] p = {0.25};
        Trial t = Trial.of(p, 1.0);
        p[0] = 0.75;
        assertEquals(0.25, t.point()[0], 0.0, "point copied in");
        t.point()[0] = 0.9;
        assertEquals(0.25, t.point()[0], 0.0, "point copied out");
    }
}

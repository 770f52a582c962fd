package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The --pick rules on a hand-made front (auc, latency): which trial each rule chooses, and the errors. */
class PickTest {
    static final List<SearchObjective> AUC_LATENCY = ParetoTrialsTest.AUC_LATENCY;

    /**
     * Parameters of a 5-input, one-hidden-layer classifier with two outputs: 5w + w weights and biases, then 2w + 2.
     */
    static long params(int width) {
        return 8L * width + 2;
    }

    /** A front: auc falls as latency and size fall. 3 is exactly 0.005 below 1 (a boundary up to rounding). */
    static List<TrialRecord> front() {
        return List.of(
                ParetoTrialsTest.trial(1, TrialStatus.COMPLETE, 0.800, 900, 32),
                ParetoTrialsTest.trial(2, TrialStatus.COMPLETE, 0.796, 500, 16),
                ParetoTrialsTest.trial(3, TrialStatus.COMPLETE, 0.795, 450, 8),
                ParetoTrialsTest.trial(4, TrialStatus.COMPLETE, 0.790, 300, 4));
    }

    static int pick(String rule) {
        return Pick.parse(rule).choose(front(), AUC_LATENCY).orElseThrow().number();
    }

    @Test
    void theHandMadeFrontHasTheParameterCountsAssumed() {
        assertEquals(List.of(params(32), params(16), params(8), params(4)),
                front().stream().map(r -> r.spec().parameterCount()).toList());
        assertEquals(4, ParetoTrials.front(front(), AUC_LATENCY).size(), "every trial is on the front");
    }

    @Test
    void bestTakesTheBestPrimaryValue() {
        assertEquals(1, pick("best"));
    }

    @Test
    void smallestWithinAnAbsoluteToleranceIncludingItsBoundary() {
        assertEquals(3, pick("smallest-within 0.005"), "0.800 - 0.795 is 0.005 up to rounding: inside");
        assertEquals(2, pick("smallest-within 0.004"));
        assertEquals(2, pick("smallest-within 0.0049"));
        assertEquals(4, pick("smallest-within 0.02"));
        assertEquals(1, pick("smallest-within 0"));
        assertEquals(2, pick("smallest-within 0.5%"), "0.5% of 0.8 = 0.004");
    }

    @Test
    void fastestWithinARelativeTolerance() {
        assertEquals(3, pick("fastest-within 1%"), "1% of 0.8 = 0.008: trials 1, 2 and 3");
        assertEquals(2, pick("fastest-within 0.5%"));
        assertEquals(4, pick("fastest-within 1.25%"), "0.01 = 1.25% of 0.8: trial 4 on the boundary");
        assertEquals(1, pick("fastest-within 0%"));
        assertEquals(3, pick("fastest-within 0.005"), "absolute form");
    }

    @Test
    void fastestReadsRowsPerSecondWhenThereIsNoLatency() {
        List<SearchObjective> throughput = SearchObjective.parseAll(List.of("auc", "rows_per_second"));
        // as rows per second (higher is better), the second values make trial 1 the fastest
        assertEquals(Optional.of(1), Pick.parse("fastest-within 1%").choose(front(), throughput).map(TrialRecord::number));
    }

    @Test
    void tiesGoToTheBetterPrimaryValueThenTheLowerNumber() {
        List<TrialRecord> tied = List.of(
                ParetoTrialsTest.trial(1, TrialStatus.COMPLETE, 0.800, 900, 32),
                ParetoTrialsTest.trial(5, TrialStatus.COMPLETE, 0.797, 400, 8),
                ParetoTrialsTest.trial(3, TrialStatus.COMPLETE, 0.798, 450, 8),
                ParetoTrialsTest.trial(2, TrialStatus.COMPLETE, 0.799, 400, 16));
        assertEquals(3, Pick.parse("smallest-within 0.01").choose(tied, AUC_LATENCY).orElseThrow().number());
        assertEquals(2, Pick.parse("fastest-within 0.01").choose(tied, AUC_LATENCY).orElseThrow().number());
        List<TrialRecord> same = List.of(ParetoTrialsTest.trial(7, TrialStatus.COMPLETE, 0.8, 400, 8),
                ParetoTrialsTest.trial(6, TrialStatus.COMPLETE, 0.8, 400, 8));
        assertEquals(6, Pick.BEST.choose(same, AUC_LATENCY).orElseThrow().number());
        assertEquals(Optional.empty(), Pick.BEST.choose(List.of(), AUC_LATENCY));
    }

    @Test
    void parsesAndPrintsEveryForm() {
        assertEquals(Pick.BEST, Pick.parse(" best "));
        assertEquals(new Pick(Pick.Rule.SMALLEST_WITHIN, 0.005, false), Pick.parse("smallest-within 0.005"));
        assertEquals(new Pick(Pick.Rule.FASTEST_WITHIN, 1, true), Pick.parse("fastest-within 1%"));
        for (String s : List.of("best", "smallest-within 0.005", "fastest-within 1%", "fastest-within 2.5", "smallest-within 0.1%")) {
            assertEquals(s, Pick.parse(s).label());
        }
    }

    @Test
    void badFormsNameTheFormsAndTheValue() {
        for (String bad : List.of("", "bestest", "smallest-within", "smallest-within -1", "fastest-within 1%%",
                "fastest-within abc", "fastest 1%", "smallest-within 1e999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pick.parse(bad), bad);
            assertEquals("pick must be " + Pick.FORMS + ", got '" + bad + "'", e.getMessage());
        }
        IllegalArgumentException noSpeed = assertThrows(IllegalArgumentException.class,
                () -> Pick.parse("fastest-within 1%").choose(front(), SearchObjective.parseAll(List.of("auc", "params"))));
        assertEquals("pick fastest-within 1% needs latency or rows_per_second among the objectives, got [auc, params]",
                noSpeed.getMessage());
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
                () -> Pick.parse("smallest-within 0.01").check(List.of()));
        assertTrue(single.getMessage().contains("this study has one objective"), single.getMessage());
    }
}

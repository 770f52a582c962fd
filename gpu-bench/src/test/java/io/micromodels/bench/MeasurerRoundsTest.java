package io.micromodels.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.bench.inference.FrozenInferenceBench;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time-boxed round protocol of the one harness: inputs cycle in order, calls come in whole checks, figures add up. */
class MeasurerRoundsTest {

    @Test
    void callsCycleThroughTheInputsInWholeChecks() {
        List<Integer> seen = new ArrayList<>();
        long[] calls = {0};
        List<Measurer.Rounds> r = Measurer.rounds(List.of(new Measurer.Timed(i -> {
            if (seen.size() < 40) seen.add(i);
            calls[0]++;
            return i;
        }, 3, 8, 4)), 3, 5, 1);
        for (int k = 0; k < seen.size(); k++) {
            assertEquals(k % 8, seen.get(k), "call " + k);
        }
        Measurer.Rounds f = r.get(0);
        assertEquals(0, f.calls() % 4);
        assertTrue(f.calls() > 0 && f.calls() < calls[0], f.calls() + " timed of " + calls[0] + " (warm-up not counted)");
        assertTrue(f.minNs() <= f.medianNs() && f.medianNs() <= f.maxNs() && f.minNs() > 0, f.toString());
        assertThrows(IllegalArgumentException.class, () -> new Measurer.Timed(i -> 0, 1, 6, 1));
    }

    @Test
    void frozenFiguresComeFromTheHarness() {
        FrozenInferenceBench.Figures f = FrozenInferenceBench.measure(ReferenceNetwork.frozen(1), 64, 1, 20);
        assertTrue(f.singleRowNs() > 0 && f.batchRowNs() > 0 && Double.isFinite(f.singleRowCpuNs()), f.toString());
        assertTrue(f.toString().startsWith("plain harness, median of 1 rounds of 20 ms: single row "), f.toString());
        assertEquals("10-32-32-2", ReferenceNetwork.frozen(1).shape());
    }
}

package io.micromodels.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeasurementTest {

    private static final double EPS = 1e-12;

    @Test
    void oddCountMedianAndQuartiles() {
        // sorted 1 2 3 4 5: median x[2]; q1 at h=1 -> 2; q3 at h=3 -> 4
        Measurement m = Measurement.of(5, 1, 3, 2, 4);
        assertEquals(5, m.n());
        assertEquals(3.0, m.median(), EPS);
        assertEquals(2.0, m.q1(), EPS);
        assertEquals(4.0, m.q3(), EPS);
        assertEquals(2.0, m.iqr(), EPS);
        assertEquals(1.0, m.min(), EPS);
        assertEquals(5.0, m.max(), EPS);
        assertEquals(List.of(5.0, 1.0, 3.0, 2.0, 4.0), m.samples(), "samples keep measurement order");
    }

    @Test
    void evenCountInterpolates() {
        // sorted 1 2 3 4: median (2+3)/2; q1 at h=0.75 -> 1.75; q3 at h=2.25 -> 3.25
        Measurement m = Measurement.of(4, 3, 2, 1);
        assertEquals(2.5, m.median(), EPS);
        assertEquals(1.75, m.q1(), EPS);
        assertEquals(3.25, m.q3(), EPS);
        assertEquals(1.5, m.iqr(), EPS);
    }

    @Test
    void tenSamplesMatchNumpyPercentile() {
        // numpy.percentile([10..100], [25, 50, 75]) == [32.5, 55.0, 77.5]
        Measurement m = Measurement.of(List.of(100, 90, 80, 70, 60, 50, 40, 30, 20, 10));
        assertEquals(55.0, m.median(), EPS);
        assertEquals(32.5, m.q1(), EPS);
        assertEquals(77.5, m.q3(), EPS);
        assertEquals(45.0, m.iqr(), EPS);
        assertEquals(10.0, m.min(), EPS);
        assertEquals(100.0, m.max(), EPS);
    }

    @Test
    void singleSample() {
        Measurement m = Measurement.of(7.5);
        assertEquals(7.5, m.median(), EPS);
        assertEquals(0.0, m.iqr(), EPS);
    }

    @Test
    void throughputAtMedian() {
        // 64 samples per 500 us = 128000 samples/s
        assertEquals(128_000.0, Measurement.of(400, 500, 600).throughput(64), 1e-6);
    }

    @Test
    void noSamplesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Measurement.of(new double[0]));
    }

    @Test
    void measurerTakesTheRequestedRepeats() {
        long[] sink = {0};
        Measurement m = Measurer.measure(new Measurer.Plan(5, 3, 2, 4), () -> {
            for (int i = 0; i < 1000; i++) sink[0] += i;
        }, 1);
        assertEquals(4, m.n());
        assertTrue(m.min() > 0 && m.min() <= m.median() && m.median() <= m.max());
        assertTrue(sink[0] > 0);
    }

    @Test
    void interleavedKeepsOrderAndPreparesBeforeEachRepeat() {
        // a fake clock that only the ops move: the slow op takes exactly 4 ms, the fast one 1 ms
        long[] now = {0};
        int[] prepared = {0, 0};
        StringBuilder trace = new StringBuilder();
        Runnable fast = () -> now[0] += 1_000_000;
        Runnable slow = () -> now[0] += 4_000_000;
        List<Measurement> ms = Measurer.measureInterleaved(new Measurer.Plan(0, 1, 1, 3), List.of(
                new Measurer.Op(() -> { prepared[0]++; trace.append('a'); }, slow, 1),
                new Measurer.Op(() -> { prepared[1]++; trace.append('b'); }, fast, 1)), () -> now[0]);
        assertEquals(2, ms.size());
        assertEquals(3, ms.get(0).n());
        assertEquals(4000.0, ms.get(0).median(), EPS, "slow op: 4 ms per call, in microseconds");
        assertEquals(1000.0, ms.get(1).median(), EPS, "fast op, second in the result as in the ops");
        assertEquals(4, prepared[0], "before warm-up and before each of 3 repeats");
        assertEquals(4, prepared[1]);
        assertEquals("ab" + "ababab", trace.toString(), "warm-ups, then repeats alternate");
    }

    @Test
    void measurerDividesByIterationsPerOp() {
        // an op that takes exactly 2 ms on a fake clock and counts as 4 iterations: 500 us per iteration
        long[] now = {0};
        List<Measurement> m = Measurer.measureInterleaved(new Measurer.Plan(0, 1, 5, 3),
                List.of(new Measurer.Op(() -> now[0] += 2_000_000, 4)), () -> now[0]);
        assertEquals(500.0, m.get(0).median(), EPS);
        assertEquals(500.0, m.get(0).max(), EPS);
    }
}

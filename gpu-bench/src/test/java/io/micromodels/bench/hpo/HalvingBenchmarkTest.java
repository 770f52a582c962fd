package io.micromodels.bench.hpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The paired summary of {@code bench halving}: wins/ties/losses by direction, mean and sample sd of differences. */
class HalvingBenchmarkTest {

    @Test
    void winsTiesLossesFollowTheMetricsDirectionAndSkipMissingPairs() {
        List<double[]> pairs = List.of(new double[] {0.80, 0.70}, new double[] {0.70, 0.70 + 1e-9},
                new double[] {0.60, 0.70}, new double[] {0.90, 0.80}, new double[] {Double.NaN, 0.5});
        // higher better (AUC): +0.1 win, tie (below 1e-6), -0.1 loss, +0.1 win; the NaN pair is not counted
        assertArrayEquals(new int[] {2, 1, 1}, HalvingBenchmark.wtl(pairs, true));
        // lower better (RMSE): the same differences are the other way round
        assertArrayEquals(new int[] {1, 1, 2}, HalvingBenchmark.wtl(pairs, false));
    }

    @Test
    void meanAndSampleStandardDeviationOfPairedDifferences() {
        // differences 1, 2, 3 (and a missing pair): mean 2, sample sd sqrt(((1-2)^2 + 0 + (3-2)^2) / 2) = 1
        List<double[]> pairs = List.of(new double[] {5, 4}, new double[] {7, 5}, new double[] {3, 0},
                new double[] {Double.NaN, 1});
        assertEquals("+2.0000 ± 1.0000 (n=3)", HalvingBenchmark.meanSd(pairs));
        assertEquals("-0.5000 ± NaN (n=1)", HalvingBenchmark.meanSd(List.of(new double[] {1.0, 1.5})));
    }

    @Test
    void badFlagsAreRefusedNamingTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HalvingBenchmark.main(new String[] {"--budget", "10"}));
        assertTrue(e.getMessage().startsWith("unknown option --budget; usage:"), e.getMessage());
        assertEquals("--modes: each of population, halving, halving-failed, halving-pending, got halve",
                assertThrows(IllegalArgumentException.class,
                        () -> HalvingBenchmark.main(new String[] {"--modes", "population,halve"})).getMessage());
        assertEquals("--wall/--cpu must be > 0 seconds, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> HalvingBenchmark.main(new String[] {"--wall", "0"})).getMessage());
    }
}

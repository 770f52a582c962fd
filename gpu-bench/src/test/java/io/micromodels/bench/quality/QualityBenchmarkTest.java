package io.micromodels.bench.quality;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options of {@code bench quality}: defaults, and errors that name the flag and the value. The summary statistics. */
class QualityBenchmarkTest {

    @Test
    void defaultsAndOptions() {
        QualityBenchmark.Options o = QualityBenchmark.Options.parse(new String[0]);
        assertEquals(5, o.seeds());
        assertEquals(30, o.trials());
        assertEquals(30, o.xgbTrials());
        org.junit.jupiter.api.Assertions.assertNull(o.normalization(), "default: each dataset's own data options");
        o = QualityBenchmark.Options.parse(new String[] {"--seeds", "2", "--trials", "8", "--datasets", "german_credit", "--normalization", "ple"});
        assertEquals(List.of("german_credit"), o.datasets());
        assertEquals(8, o.xgbTrials());
        assertEquals(io.micromodels.data.Normalization.PIECEWISE_LINEAR, o.normalization());
    }

    @Test
    void badOptionsAreNamed() {
        assertMessage(() -> QualityBenchmark.Options.parse(new String[] {"--seeds", "0"}), "--seeds must be in [1, 100], got 0");
        assertMessage(() -> QualityBenchmark.Options.parse(new String[] {"--trials", "x"}), "--trials must be an integer, got 'x'");
        assertMessage(() -> QualityBenchmark.Options.parse(new String[] {"--datasets", "nope"}), "unknown dataset 'nope'");
        assertMessage(() -> QualityBenchmark.Options.parse(new String[] {"--methods", "default,gbm"}), "unknown method 'gbm'");
        assertMessage(() -> QualityBenchmark.Options.parse(new String[] {"--ensemble", "1"}), "--ensemble must be in [2, 64], got 1");
        assertMessage(() -> QualityBenchmark.Options.parse(new String[] {"--seeds"}), "--seeds needs a value");
        assertMessage(() -> QualityBenchmark.Options.parse(new String[] {"--max-train-rows", "-1"}),
                "--max-train-rows must be 0 (all rows) or a positive row count, got -1");
    }

    @Test
    void cappedTrainingRowsAreADistinctSubsetOfTheTrainingSplit() {
        io.micromodels.data.BundledDataset d = io.micromodels.data.Datasets.load("german_credit");
        io.micromodels.data.PreparedData full = d.prepare(d.options().withSeed(42));
        double[][] rows = full.train().getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            index.putIfAbsent(java.util.Arrays.toString(rows[i]), i);
        }
        io.micromodels.data.PreparedData cut = QualityBenchmark.capTrainingRows(full, 100, 42);
        assertEquals(100, cut.train().numExamples());
        assertEquals(full.test().numExamples(), cut.test().numExamples());
        assertEquals(full.validation().numExamples(), cut.validation().numExamples());
        double[][] sub = cut.train().getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        double[][] subLabels = cut.train().getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        double[][] labels = full.train().getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int previous = -1;
        for (int i = 0; i < sub.length; i++) {
            Integer at = index.get(java.util.Arrays.toString(sub[i]));
            assertTrue(at != null, "row " + i + " of the subset is a training row");
            assertTrue(java.util.Arrays.equals(labels[at], subLabels[i]), "row " + i + " keeps its label");
            assertTrue(seen.add(at), "no training row twice");
            assertTrue(at > previous, "original order kept");
            previous = at;
        }
        assertEquals(java.util.Arrays.deepToString(sub), java.util.Arrays.deepToString(QualityBenchmark.capTrainingRows(full, 100, 42)
                .train().getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix()), "the same seed, the same rows");
        assertTrue(QualityBenchmark.capTrainingRows(full, 0, 42) == full, "0 keeps every row");
    }

    @Test
    void summaryStatistics() {
        assertEquals(2.0, QualityBenchmark.median(List.of(3.0, 1.0, 2.0)), 0.0);
        assertEquals(2.5, QualityBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0)), 0.0);
        assertTrue(Double.isNaN(QualityBenchmark.median(List.of())));
        // sample sd of 1, 2, 3, 4 = sqrt(5/3)
        assertEquals(String.format(java.util.Locale.ROOT, "2.5000 ± %.4f", Math.sqrt(5.0 / 3)), QualityBenchmark.pm(List.of(1.0, 2.0, 3.0, 4.0)));
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}

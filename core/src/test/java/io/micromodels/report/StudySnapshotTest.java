package io.micromodels.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudySnapshotTest {
    @TempDir
    Path dir;

    @Test
    void correlationRatioIsTheBetweenGroupShareOfVariance() {
        // groups {1, 2} and {3, 4}: grand mean 2.5, between = 2 * 1 + 2 * 1 = 4, total = 2.25 + .25 + .25 + 2.25 = 5
        assertEquals(0.8, StudySnapshot.correlationRatio(new double[] {7, 7, 9, 9}, new double[] {1, 2, 3, 4}, 5), 1e-15);
        // every value its own group: all variance explained
        assertEquals(1.0, StudySnapshot.correlationRatio(new double[] {1, 2, 3}, new double[] {5, 1, 4}, 5), 1e-15);
        // one group: nothing explained
        assertEquals(0.0, StudySnapshot.correlationRatio(new double[] {3, 3, 3}, new double[] {5, 1, 4}, 5), 0);
        // 10 distinct values in 5 equal-count bins of two: pairs (1,3) (2,6) (5,5) (8,9) (10,12), mean 6.1
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] y = {1, 3, 2, 6, 5, 5, 8, 9, 10, 12};
        double mean = 6.1;
        double between = 2 * (Math.pow(2 - mean, 2) + Math.pow(4 - mean, 2) + Math.pow(5 - mean, 2) + Math.pow(8.5 - mean, 2)
                + Math.pow(11 - mean, 2));
        double total = 0;
        for (double v : y) {
            total += (v - mean) * (v - mean);
        }
        assertEquals(between / total, StudySnapshot.correlationRatio(x, y, 5), 1e-12);
    }

    @Test
    void epsilonSquaredCorrectsForTheGroupsDegreesOfFreedom() {
        // groups {1, 2} and {3, 4}: SS_between 4, SS_within 0.5 + 0.5 = 1, SS_total 5, k = 2, n = 4:
        // (4 - 1 * 1 / 2) / 5 = 0.7
        assertEquals(0.7, StudySnapshot.epsilonSquared(new double[] {7, 7, 9, 9}, new double[] {1, 2, 3, 4}, 5), 1e-15);
        // three trials with distinct values: one group (n / 2 = 1 bin), nothing can be estimated
        assertEquals(0.0, StudySnapshot.epsilonSquared(new double[] {1, 2, 3}, new double[] {5, 1, 4}, 5), 0);
        // a weak group effect: SS_between 0.25, SS_within 2.5, SS_total 2.75; eta^2 = 1/11, epsilon^2 clipped at 0
        assertEquals(1.0 / 11, StudySnapshot.correlationRatio(new double[] {1, 1, 2, 2}, new double[] {1, 3, 2, 3}, 5), 1e-15);
        assertEquals(0.0, StudySnapshot.epsilonSquared(new double[] {1, 1, 2, 2}, new double[] {1, 3, 2, 3}, 5), 0);
    }

    @Test
    void aPartLineIsLeftOutAndTheFileIsNotChanged() throws Exception {
        Files.writeString(dir.resolve("study.json"), "{\"id\":\"s1\",\"metric\":\"log_loss\",\"options\":{\"trials\":5}}");
        String spec = "{\"hidden\":[{\"width\":8,\"activation\":\"relu\",\"dropRate\":0.1}],\"updater\":{\"learningRate\":0.01},"
                + "\"l1\":0.0,\"l2\":1e-4,\"batchSize\":32}";
        String t1 = "{\"number\":1,\"status\":\"COMPLETE\",\"score\":0.6,\"spec\":" + spec + "}\n";
        String t2 = "{\"number\":2,\"status\":\"COMPLETE\",\"score\":0.5,\"spec\":" + spec + "}\n";
        String t3 = "{\"number\":3,\"status\":\"FAILED\",\"score\":\"NaN\",\"failure\":\"diverged\",\"spec\":" + spec + "}\n";
        String part = "{\"number\":4,\"status\":\"COMP";
        Files.writeString(dir.resolve("trials.jsonl"), t1 + t2 + t3 + part);
        ObjectNode s = StudySnapshot.read(dir);
        assertEquals(3, s.path("trials").size());
        assertEquals(2, s.path("complete").asInt());
        assertEquals(false, s.path("higherIsBetter").asBoolean());
        assertEquals(0.5, s.path("bestSoFar").get(1).path("y").asDouble());
        assertTrue(s.path("trials").get(2).path("score").isNull());
        assertEquals(t1 + t2 + t3 + part, Files.readString(dir.resolve("trials.jsonl")));
    }

    @Test
    void aFolderWithoutStudyJsonIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudySnapshot.read(dir));
        assertTrue(e.getMessage().contains("study.json is missing"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}

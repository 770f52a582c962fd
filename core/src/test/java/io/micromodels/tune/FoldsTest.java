package io.micromodels.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FoldsTest {

    /** Every row is validated on exactly once, and each fold trains on exactly the rows it does not validate on. */
    static void assertPartition(Folds f, int n) {
        int[] seen = new int[n];
        for (int i = 0; i < f.size(); i++) {
            Set<Integer> val = new HashSet<>();
            for (int r : f.validation(i)) {
                seen[r]++;
                val.add(r);
            }
            Set<Integer> train = new HashSet<>();
            for (int r : f.train(i)) {
                assertTrue(!val.contains(r), "fold " + i + " trains and validates on row " + r);
                train.add(r);
            }
            assertEquals(n, train.size() + val.size(), "fold " + i + " covers all rows");
        }
        for (int r = 0; r < n; r++) {
            assertEquals(1, seen[r], "row " + r + " validated on");
        }
    }

    @Test
    void stratifiedFoldsKeepEachClassProportion() {
        int n = 503;
        int[] classes = new int[n];
        SplittableRandom rng = new SplittableRandom(1);
        int[] counts = new int[3];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            classes[i] = u < 0.1 ? 2 : u < 0.4 ? 1 : 0;
            counts[classes[i]]++;
        }
        Folds f = Folds.stratified(classes, List.of("a", "b", "c"), 5, 42);
        assertEquals(5, f.size());
        assertPartition(f, n);
        for (int i = 0; i < 5; i++) {
            int[] inFold = new int[3];
            for (int r : f.validation(i)) {
                inFold[classes[r]]++;
            }
            for (int c = 0; c < 3; c++) {
                assertTrue(inFold[c] == counts[c] / 5 || inFold[c] == (counts[c] + 4) / 5,
                        "fold " + i + " class " + c + ": " + inFold[c] + " of " + counts[c]);
            }
            assertTrue(Math.abs(f.validation(i).length - n / 5.0) <= 1, "fold size " + f.validation(i).length);
        }
        assertArrayEquals(f.validation(3), Folds.stratified(classes, List.of("a", "b", "c"), 5, 42).validation(3), "seeded");
        assertTrue(!Arrays.equals(f.validation(3), Folds.stratified(classes, List.of("a", "b", "c"), 5, 43).validation(3)));
    }

    @Test
    void plainFoldsPartitionTheRows() {
        Folds f = Folds.plain(101, 4, 7);
        assertPartition(f, 101);
        for (int i = 0; i < 4; i++) {
            assertTrue(f.validation(i).length == 25 || f.validation(i).length == 26);
        }
    }

    @Test
    void groupsNeverStraddleFolds() {
        int n = 400;
        String[] groups = new String[n];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            groups[i] = "patient" + rng.nextInt(37);
        }
        Folds f = Folds.grouped(groups, "patient", 5, 11);
        assertPartition(f, n);
        Map<String, Integer> foldOf = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            for (int r : f.validation(i)) {
                Integer before = foldOf.put(groups[r], i);
                assertTrue(before == null || before == i, groups[r] + " is in folds " + before + " and " + i);
            }
            Set<String> trainGroups = new HashSet<>();
            for (int r : f.train(i)) {
                trainGroups.add(groups[r]);
            }
            for (int r : f.validation(i)) {
                assertTrue(!trainGroups.contains(groups[r]), "fold " + i + " trains on validated group " + groups[r]);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Folds.grouped(new String[] {"a", "b", "a"}, "site", 3, 1));
        assertEquals("cv 3 needs at least 3 groups, but group column 'site' has 2 distinct values among the training "
                + "and validation rows", e.getMessage());
    }

    @Test
    void timeFoldsNeverTrainOnTheFuture() {
        Folds f = Folds.timeOrdered(60, 5);
        assertEquals(5, f.size());
        int previousEnd = 0;
        for (int i = 0; i < 5; i++) {
            int[] t = f.train(i);
            int[] v = f.validation(i);
            assertEquals(10 * (i + 1), t.length, "expanding window");
            assertEquals(10, v.length);
            assertTrue(Arrays.stream(t).max().orElseThrow() < Arrays.stream(v).min().orElseThrow(), "fold " + i);
            assertEquals(0, t[0]);
            assertTrue(v[0] >= previousEnd);
            previousEnd = v[v.length - 1];
        }
        assertEquals(59, previousEnd, "the last fold validates on the latest rows");
    }

    @Test
    void badFoldCountsAreNamed() {
        assertEquals("cv must be in [2, 100] folds, got 1",
                assertThrows(IllegalArgumentException.class, () -> Folds.plain(10, 1, 1)).getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> Folds.stratified(new int[] {0, 0, 0, 0, 0, 1, 1, 1}, List.of("good", "bad"), 4, 1));
        assertEquals("cv 4 is larger than the smallest class: 'bad' has 3 rows among the training and validation rows;"
                + " use at most 3 folds", small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Folds.timeOrdered(5, 5));
    }
}

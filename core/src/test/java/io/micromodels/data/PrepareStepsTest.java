package io.micromodels.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.TaskKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps of {@link DataPipeline#prepare} one at a time, on tables small enough to count by hand. */
class PrepareStepsTest {
    private static Table table(String[]... rows) {
        return Table.of("t.csv", List.of("x", "y"), List.of(rows));
    }

    @Test
    void rowFilterCountsDuplicatesMissingTargetsAndIncompleteRows() {
        Table t = table(new String[] {"1", "a"}, new String[] {"1", "a"}, new String[] {"2", ""}, new String[] {"", "b"},
                new String[] {"3", "NA"}, new String[] {"4", "b"});
        RowFilter.Kept keep = RowFilter.filter(t, 1, new int[] {0}, DataOptions.of("y"));
        // row 1 duplicates row 0; rows 2 and 4 have a missing target (empty, NA); row 3 is kept (imputed later)
        assertArrayEquals(new int[] {0, 3, 5}, keep.rows());
        assertEquals(6, keep.read());
        assertEquals(1, keep.duplicates());
        assertEquals(2, keep.missingTarget());
        assertEquals(0, keep.missingValueRows());
        RowFilter.Kept complete = RowFilter.filter(t, 1, new int[] {0},
                DataOptions.builder("y").missingPolicy(MissingPolicy.DROP_ROWS).build());
        assertArrayEquals(new int[] {0, 5}, complete.rows());
        assertEquals(1, complete.missingValueRows());
        assertArrayEquals(new int[] {5, 0}, complete.tableRows(new int[] {1, 0}));
        DataException e = assertThrows(DataException.class,
                () -> RowFilter.filter(table(new String[] {"1", ""}), 1, new int[] {0}, DataOptions.of("y")));
        assertTrue(e.getMessage().contains("no usable rows left (1 read, 0 duplicate, 1 with a missing target"), e.getMessage());
    }

    private static TaskInference.Target infer(DataOptions options, String... targets) {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            rows.add(new String[] {Integer.toString(i), targets[i]});
        }
        int[] all = new int[targets.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return TaskInference.infer(Table.of("t.csv", List.of("x", "y"), rows), all, 1, options);
    }

    @Test
    void taskInferenceFollowsTheDocumentedRules() {
        // more than ten distinct numbers: regression, targets parsed
        TaskInference.Target reg = infer(DataOptions.of("y"), "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11.5");
        assertEquals(TaskKind.REGRESSION, reg.task().kind());
        assertEquals(11.5, reg.values()[10]);
        assertNull(reg.classes());
        // ten distinct numbers: classes, sorted numerically (10 after 9, not after 1)
        TaskInference.Target ten = infer(DataOptions.of("y"), "10", "9", "8", "7", "6", "5", "4", "3", "2", "1");
        assertEquals(TaskKind.MULTICLASS, ten.task().kind());
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), ten.task().classes());
        assertArrayEquals(new int[] {9, 8}, ten.classesAt(new int[] {0, 1}));
        // two values: binary; a yes-like token is positive even when it is the commoner class
        TaskInference.Target yes = infer(DataOptions.of("y"), "yes", "yes", "no");
        assertEquals(TaskKind.BINARY, yes.task().kind());
        assertEquals("yes", yes.task().classes().get(yes.task().positiveClass()));
        // no such token: the rarer class is positive
        TaskInference.Target rare = infer(DataOptions.of("y"), "good", "good", "bad");
        assertEquals("bad", rare.task().classes().get(rare.task().positiveClass()));
        // a two-class target may be asked to be multiclass (k >= 2)
        TaskInference.Target two = infer(DataOptions.builder("y").task(TaskKind.MULTICLASS).build(), "a", "b", "a");
        assertEquals(TaskKind.MULTICLASS, two.task().kind());
        assertEquals(-1, two.task().positiveClass());
        DataException e = assertThrows(DataException.class,
                () -> infer(DataOptions.builder("y").task(TaskKind.BINARY).build(), "a", "b", "c"));
        assertTrue(e.getMessage().contains("task is BINARY but target 'y' has 3 classes"), e.getMessage());
    }

    @Test
    void splitterNamesTheSplitAndRefusesAnEmptyOne() {
        TaskInference.Target reg = infer(DataOptions.of("y"), "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        int[] kept = new int[12];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = i;
        }
        Table t = Table.of("t.csv", List.of("x", "y"), new ArrayList<>(java.util.Collections.nCopies(12, new String[] {"0", "0"})));
        Splitter.Split s = Splitter.split(t, kept, List.of(), reg, DataOptions.builder("y").seed(5).build());
        assertEquals("random (seed 5)", s.description());
        // round(12 * 0.15) = 2 to validation and to test by the defaults, the rest to training
        assertEquals(List.of(8, 2, 2), List.of(s.train().length, s.validation().length, s.test().length));
        DataException e = assertThrows(DataException.class, () -> Splitter.split(t, new int[] {0, 1}, List.of(),
                infer(DataOptions.of("y"), "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"), DataOptions.of("y")));
        assertTrue(e.getMessage().contains("only 2 usable rows"), e.getMessage());
    }
}

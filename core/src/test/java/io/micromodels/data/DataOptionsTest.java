package io.micromodels.data;

import io.micromodels.frozen.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataOptionsTest {

    private static void rejects(String message, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void defaults() {
        DataOptions o = DataOptions.of("y");
        assertEquals(',', o.separator());
        assertEquals(MissingPolicy.IMPUTE, o.missingPolicy());
        assertEquals(Normalization.PIECEWISE_LINEAR, o.normalization());
        assertEquals(0.15, o.validationFraction());
        assertEquals(0.15, o.testFraction());
        assertEquals(1.0, o.nearConstantThreshold());
        assertEquals(0, o.topK());
        assertEquals(42L, o.seed());
        assertEquals(null, o.task());
        assertEquals(null, o.timeColumn());
    }

    @Test
    void validationMessages() {
        rejects("validationFraction must be in (0, 0.5], got 0.7", () -> DataOptions.builder("y").validationFraction(0.7).build());
        rejects("testFraction must be in (0, 0.5], got 0.0", () -> DataOptions.builder("y").testFraction(0).build());
        rejects("target must be a column name, got ' '", () -> DataOptions.of(" "));
        rejects("target must be a column name, got null", () -> DataOptions.of(null));
        rejects("nearConstantThreshold must be in (0, 1], got 1.5", () -> DataOptions.builder("y").nearConstantThreshold(1.5).build());
        rejects("topK must be >= 0 (0 = keep all), got -1", () -> DataOptions.builder("y").topK(-1).build());
        rejects("separator must not be a quote or a line break, got '\\n'", () -> DataOptions.builder("y").separator('\n').build());
        rejects("target 'y' is also in dropColumns", () -> DataOptions.builder("y").dropColumn("y").build());
        rejects("positiveClass is only meaningful for a binary task, got task REGRESSION",
                () -> DataOptions.builder("y").task(TaskKind.REGRESSION).positiveClass("1").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataOptions.builder("y").dateTimePattern("d", "yyyy-MM-dd{{").build());
        assertTrue(e.getMessage().contains("'d'"), e.getMessage());
    }

    @Test
    void builderAndWithers() {
        DataOptions o = DataOptions.builder("y").separator(';').dropColumn("id").columnKind("cp", ColumnKind.CATEGORICAL)
                .timeColumn("when").seed(7).missingIndicators(true).build();
        assertEquals(o, o.toBuilder().build());
        assertEquals(List.of("id"), o.dropColumns());
        assertEquals(Map.of("cp", ColumnKind.CATEGORICAL), o.columnKinds());
        assertEquals(8L, o.withSeed(8).seed());
        assertEquals(';', o.withSeed(8).separator());
        assertEquals(Normalization.MIN_MAX, o.withNormalization(Normalization.MIN_MAX).normalization());
        assertEquals("z", o.withTarget("z").target());
        assertThrows(UnsupportedOperationException.class, () -> o.dropColumns().add("x"));
        DataOptions selected = o.withFeatureSelection(0.99, 3, SelectionMethod.CORRELATION);
        assertEquals(3, selected.topK());
        assertEquals(SelectionMethod.CORRELATION, selected.selectionMethod());
    }

    @Test
    void taskInfoIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new TaskInfo(TaskKind.BINARY, "y", List.of("a"), 0));
        assertThrows(IllegalArgumentException.class, () -> new TaskInfo(TaskKind.BINARY, "y", List.of("a", "b"), 2));
        assertThrows(IllegalArgumentException.class, () -> new TaskInfo(TaskKind.REGRESSION, "y", List.of(), 0));
        assertEquals(3, new TaskInfo(TaskKind.MULTICLASS, "y", List.of("a", "b", "c"), -1).labelWidth());
    }
}

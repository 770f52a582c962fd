package io.micromodels.frozen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.micromodels.json.StrictJson;
import org.junit.jupiter.api.Test;

/** The one task kind's two JSON spellings: lower case by default (specs, metrics), constant names where annotated (frozen, pipeline). */
class TaskKindTest {
    record Default(TaskKind task) {
    }

    record Constant(@JsonSerialize(using = TaskKind.ConstantName.Writer.class)
                    @JsonDeserialize(using = TaskKind.ConstantName.Reader.class) TaskKind task) {
    }

    @Test
    void defaultSpellingIsLowerCaseAndStrict() {
        assertEquals("{\"task\":\"multiclass\"}", StrictJson.writeLine(new Default(TaskKind.MULTICLASS)));
        assertEquals(new Default(TaskKind.REGRESSION), StrictJson.read("{\"task\":\"regression\"}", Default.class, "t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StrictJson.read("{\"task\":\"BINARY\"}", Default.class, "t"));
        assertTrue(e.getMessage().contains("BINARY"), e.getMessage());
    }

    @Test
    void constantNameSpellingForTheFrozenFormatAndPipelineJson() {
        assertEquals("{\"task\":\"BINARY\"}", StrictJson.writeLine(new Constant(TaskKind.BINARY)));
        assertEquals(new Constant(TaskKind.MULTICLASS), StrictJson.read("{\"task\":\"MULTICLASS\"}", Constant.class, "t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StrictJson.read("{\"task\":\"binary\"}", Constant.class, "t"));
        assertTrue(e.getMessage().contains("binary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StrictJson.read("{\"task\":1}", Constant.class, "t"));
    }

    @Test
    void parseNamesTheAllowedValues() {
        assertEquals(TaskKind.BINARY, TaskKind.parse("binary"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskKind.parse("Binary"));
        assertEquals("task must be one of [binary, multiclass, regression], got 'Binary'", e.getMessage());
        assertTrue(TaskKind.MULTICLASS.isClassification() && !TaskKind.REGRESSION.isClassification());
    }
}

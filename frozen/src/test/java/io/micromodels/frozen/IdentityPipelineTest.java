package io.micromodels.frozen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdentityPipelineTest {
    @Test
    void numbersPassThroughAndControlCharactersAreRefusedAsNotANumber() {
        IdentityPipeline p = IdentityPipeline.of("a", "b");
        double[] f = new double[2];
        p.transform(new String[] {" 1.5 ", "-2"}, f);
        assertArrayEquals(new double[] {1.5, -2.0}, f);
        // a backspace is not blank (isBlank) but trims to nothing: found by PredictEndpointFuzzTest
        for (String cell : new String[] {"\b", "\u0001 \u0002", "1.5f"}) {
            InvalidCellException e = assertThrows(InvalidCellException.class,
                    () -> p.transform(new String[] {"1", cell}, new double[2]), cell);
            assertEquals("b", e.column());
            assertEquals(cell, e.value());
            assertTrue(e.getMessage().contains("is not a number"), e.getMessage());
        }
    }
}

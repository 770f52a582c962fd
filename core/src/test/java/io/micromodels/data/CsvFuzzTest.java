package io.micromodels.data;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of the CSV reader, {@link Table#parse(String, String, char)} (the same
 * {@code CsvParser} as {@link Table#read}). Invariant: any text either parses into a rectangular table (every row as
 * long as the header, line numbers increasing) or is refused with a {@link DataException} whose message names the
 * source; never another exception. The first input byte picks the separator among {@code , ; TAB |}.
 *
 * <p>Seeds and past findings: {@code src/test/resources/io/micromodels/data/CsvFuzzTestInputs/}. Fuzzed by
 * {@code mvn verify} (failsafe execution {@code fuzz-csv}).
 */
class CsvFuzzTest {
    private static final char[] SEPARATORS = {',', ';', '\t', '|'};

    @FuzzTest(maxDuration = "10s")
    void parsesRectangularOrRefuses(FuzzedDataProvider data) {
        char separator = SEPARATORS[data.consumeInt(0, SEPARATORS.length - 1)];
        String text = data.consumeRemainingAsString();
        Table t;
        try {
            t = Table.parse(text, "fuzz.csv", separator);
        } catch (DataException e) {
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().contains("fuzz.csv"), e.getMessage());
            return;
        }
        int width = t.header().size();
        int previous = 1;
        for (int i = 0; i < t.rowCount(); i++) {
            assertEquals(width, t.row(i).length, "row " + i);
            assertTrue(t.line(i) > previous, "line numbers increase");
            previous = t.line(i);
        }
    }
}

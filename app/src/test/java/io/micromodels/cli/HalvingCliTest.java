package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.tune.TuneData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tune --halving}: a run shows its partial trials; bad flags are refused naming the flag; resume keeps it. */
class HalvingCliTest {

    private static TuneCommandTest.Run run(String... args) {
        return TuneCommandTest.run(args);
    }

    @Test
    void halvingRunsShowsPartialTrialsAndResumeRefusesAChangedSetting(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        Path dir = tmp.resolve("study");
        TuneCommandTest.Run first = run("tune", "--data", csv.toString(), "--target", "y", "--trials", "6", "--epochs", "6",
                "--patience", "0", "--generator", "random", "--halving", "--halving-rungs", "2,4", "--population", "4",
                "--out", dir.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("successive halving at epochs [2, 4] keeping 0.5 in 4 population slots"), first.out());
        assertTrue(first.out().contains("partial: masked out at rung 2"), first.out());
        assertTrue(Files.readString(dir.resolve("trials.jsonl")).contains("\"status\":\"PARTIAL\""));
        TuneCommandTest.Run changed = run("tune", "--resume", dir.toString(), "--halving-keep", "0.3");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("halving"), changed.err());
        TuneCommandTest.Run again = run("tune", "--resume", dir.toString(), "--trials", "7");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("successive halving at epochs [2, 4]"), again.out());
    }

    @Test
    void badHalvingFlagsAreRefusedNamingTheFlagRangeAndValue(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 100, 2);
        Path dir = tmp.resolve("study");
        String[] base = {"tune", "--data", csv.toString(), "--target", "y", "--epochs", "50", "--out", dir.toString()};
        assertRefused(base, "--halving-rungs must be increasing epochs in [1, 49] (below --epochs 50), got 10,60",
                "--halving", "--halving-rungs", "10,60");
        assertRefused(base, "--halving-rungs must be increasing epochs in [1, 49] (below --epochs 50), got 20,10",
                "--halving", "--halving-rungs", "20,10");
        assertRefused(base, "--halving-keep must be in (0, 1), got 1.5", "--halving", "--halving-keep", "1.5");
        assertRefused(base, "--halving-keep needs --halving", "--halving-keep", "0.5");
        assertRefused(base, "--halving does not combine with --cv", "--halving", "--cv", "3");
        assertRefused(base, "--spark does not combine with --halving", "--halving", "--spark", "local[2]");
        assertTrue(Files.notExists(dir), "options are checked before anything is written");
    }

    private static void assertRefused(String[] base, String message, String... flags) {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(flags))
                .toArray(String[]::new);
        TuneCommandTest.Run r = run(args);
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }
}

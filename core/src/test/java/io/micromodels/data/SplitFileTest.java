package io.micromodels.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** split.csv: written from a preparation, read back into the identical split, bad files refused with file and line. */
class SplitFileTest {

    /** 40 rows, row 7 a copy of row 3 (a duplicate, so not used). */
    private static byte[] csv() {
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 40; i++) {
            int k = i == 7 ? 3 : i;
            sb.append(k * 0.25).append(',').append(k % 3 == 0 ? "a" : "b").append(',').append(k % 2 == 0 ? "no" : "yes").append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripGivesTheIdenticalSplitInTheSameOrder(@TempDir Path dir) throws IOException {
        PreparedData first = DataPipeline.prepare(csv(), "t.csv", DataOptions.builder("y").seed(9).build());
        Path split = dir.resolve("split.csv");
        SplitFile.write(split, first.raw().splitRows(), false);
        List<String> lines = Files.readAllLines(split);
        assertEquals("row,part", lines.get(0));
        assertEquals(1 + 39, lines.size(), "every used row once: 40 read, 1 duplicate");
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("7,")), "the duplicate row 7 is not listed");

        // another seed would split differently; the file wins
        PreparedData again = DataPipeline.prepare(csv(), "t.csv", DataOptions.builder("y").seed(1).splitFile(split.toString()).build());
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(first.raw().splitRows()[p], again.raw().splitRows()[p]);
        }
        assertEquals(first.train().getFeatures(), again.train().getFeatures());
        assertEquals(first.train().getLabels(), again.train().getLabels());
        assertEquals(first.test().getFeatures(), again.test().getFeatures());
        assertEquals(first.validation().getLabels(), again.validation().getLabels());
    }

    @Test
    void badFilesAreRefusedWithFileAndLine(@TempDir Path dir) throws IOException {
        PreparedData first = DataPipeline.prepare(csv(), "t.csv", DataOptions.of("y"));
        Path good = dir.resolve("split.csv");
        SplitFile.write(good, first.raw().splitRows(), false);
        List<String> lines = Files.readAllLines(good);

        assertEquals(dir.resolve("b1.csv") + ": line 3: unknown part 'dev' (expected train, validation or test)",
                refused(dir, "b1.csv", replace(lines, 2, lines.get(2).replaceFirst(",.*", ",dev"))));
        assertEquals(dir.resolve("b2.csv") + ": line 2: row 40 is not a data row of the input (it has 40 data rows, 0 to 39)",
                refused(dir, "b2.csv", replace(lines, 1, "40,train")));
        String dup = lines.get(1).replaceFirst(",.*", "");
        assertTrue(refused(dir, "b3.csv", replace(lines, 2, dup + ",test")).endsWith(": line 3: row " + dup + " is listed twice (first on line 2)"));
        assertTrue(refused(dir, "b4.csv", replace(lines, 1, "7,train")).contains(": line 2: row 7 is not used (an exact duplicate"));
        List<String> missing = new java.util.ArrayList<>(lines);
        String gone = missing.remove(5).replaceFirst(",.*", "");
        assertTrue(refused(dir, "b5.csv", missing).contains(": row " + gone + " is used but not listed"));
        assertTrue(refused(dir, "b6.csv", replace(lines, 0, "index,part")).contains("b6.csv: line 1: the header must be 'row,part'"));
    }

    private static List<String> replace(List<String> lines, int i, String line) {
        List<String> out = new java.util.ArrayList<>(lines);
        out.set(i, line);
        return out;
    }

    private static String refused(Path dir, String name, List<String> lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, lines);
        return assertThrows(DataException.class, () -> DataPipeline.prepare(csv(), "t.csv",
                DataOptions.builder("y").splitFile(f.toString()).build())).getMessage();
    }
}

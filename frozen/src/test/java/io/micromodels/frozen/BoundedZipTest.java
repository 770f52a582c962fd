package io.micromodels.frozen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedZipTest {
    /** Small bounds so that each one can be crossed with little data. */
    private static final BoundedZip.Limits SMALL = new BoundedZip.Limits(100_000, 3, 50_000, 80_000, 1_000, 10);

    private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void entriesWithinTheBoundsAreReadWhole(@TempDir Path dir) throws IOException {
        byte[] a = random(40_000, 1);
        byte[] b = "{\"x\": 1}".getBytes(StandardCharsets.UTF_8);
        Path f = zip(dir.resolve("ok.zip"), new java.util.LinkedHashMap<>(Map.of("a.bin", a)) {{ put("b.json", b); }});
        Map<String, byte[]> read = BoundedZip.read(f, SMALL);
        assertEquals(List.of("a.bin", "b.json"), List.copyOf(read.keySet()));
        assertArrayEquals(a, read.get("a.bin"));
        assertArrayEquals(b, read.get("b.json"));
    }

    @Test
    void eachBoundIsEnforcedWithOneLineNamingTheFileAndEntry(@TempDir Path dir) throws IOException {
        Path big = zip(dir.resolve("big.zip"), Map.of("a.bin", random(60_000, 2)));
        assertEquals(big + ": entry 'a.bin' unpacks to more than 50000 bytes (a zip bomb?); refusing it",
                assertThrows(BoundedZip.LimitException.class, () -> BoundedZip.read(big, SMALL)).getMessage());

        Path total = zip(dir.resolve("total.zip"), new java.util.TreeMap<>(Map.of("a", random(45_000, 3), "b", random(45_000, 4))));
        assertEquals(total + ": entries unpack to more than 80000 bytes in all (a zip bomb?); refusing it at entry 'b'",
                assertThrows(BoundedZip.LimitException.class, () -> BoundedZip.read(total, SMALL)).getMessage());

        // 20,000 zeros pack to a few dozen bytes: far above a ratio of 10
        Path ratio = zip(dir.resolve("ratio.zip"), Map.of("zeros", new byte[20_000]));
        String m = assertThrows(BoundedZip.LimitException.class, () -> BoundedZip.read(ratio, SMALL)).getMessage();
        assertEquals(true, m.startsWith(ratio + ": entry 'zeros' unpacks more than 10 times its packed size of "), m);
        // below the ratio floor, highly compressible small entries are fine
        Path small = zip(dir.resolve("small.zip"), Map.of("zeros", new byte[900]));
        assertEquals(900, BoundedZip.read(small, SMALL).get("zeros").length);

        Path many = zip(dir.resolve("many.zip"), new java.util.TreeMap<>(Map.of("a", new byte[1], "b", new byte[1],
                "c", new byte[1], "d", new byte[1])));
        assertEquals(many + " has 4 entries; a model zip may have at most 3",
                assertThrows(BoundedZip.LimitException.class, () -> BoundedZip.read(many, SMALL)).getMessage());

        Path folder = zip(dir.resolve("folder.zip"), Map.of("network/", new byte[0]));
        assertEquals(folder + " holds a folder entry 'network/'; a model zip holds files only",
                assertThrows(BoundedZip.LimitException.class, () -> BoundedZip.read(folder, SMALL)).getMessage());

        Path huge = dir.resolve("huge.zip");
        Files.write(huge, random(100_001, 5));
        assertEquals(huge + " is 100001 bytes; a model zip may be at most 100000",
                assertThrows(BoundedZip.LimitException.class, () -> BoundedZip.read(huge, SMALL)).getMessage());
    }

    @Test
    void aFileThatIsNotAZipIsAZipException(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "not a zip");
        ZipException e = assertThrows(ZipException.class, () -> BoundedZip.read(text, BoundedZip.Limits.DEFAULT));
        assertEquals(false, e instanceof BoundedZip.LimitException);
    }

    @Test
    void limitsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BoundedZip.Limits(1, 0, 1, 1, 1, 1));
        assertEquals("maxEntries must be at least 1, got 0", e.getMessage());
    }
}

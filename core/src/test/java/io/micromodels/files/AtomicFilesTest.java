package io.micromodels.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesReplacesOnlyWhenAskedAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.csv");
        AtomicFiles.write(f, false, "one".getBytes(StandardCharsets.UTF_8));
        assertEquals("one", Files.readString(f));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> AtomicFiles.write(f, false, "two".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("one", Files.readString(f));
        AtomicFiles.write(f, true, "three".getBytes(StandardCharsets.UTF_8));
        assertEquals("three", Files.readString(f));
        assertEquals(List.of("a.csv"), names(dir));
    }

    @Test
    void aWriterThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("plot.png");
        Files.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, true, out -> {
            out.write(new byte[33]);
            throw new IOException("killed");
        }));
        assertEquals("killed", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("plot.png"), names(dir));
    }

    @Test
    void staleTemporaryFilesFromAKilledRunDoNotBlock(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("importance.csv");
        // what a run killed between writing and renaming leaves behind
        Files.writeString(dir.resolve(".importance.csv.0123456789abcdef.tmp"), "half");
        Files.writeString(dir.resolve(".importance.csv.tmp"), "half");
        AtomicFiles.write(f, false, "whole".getBytes(StandardCharsets.UTF_8));
        assertEquals("whole", Files.readString(f));
    }

    @Test
    void filesGetTheUmaskPermissionsLikeAnyNewFile(@TempDir Path dir) throws IOException {
        // the reference: a file created the ordinary way (0666 minus the process umask)
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Path f = dir.resolve("preds.csv");
        AtomicFiles.write(f, false, new byte[] {1});
        assertEquals(expected, Files.getPosixFilePermissions(f));
        assertTrue(expected.contains(PosixFilePermission.OWNER_READ) && expected.contains(PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void ofTwoWritersRacingForOneNameWithoutOverwriteExactlyOneWins(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                Path f = dir.resolve("out-" + round + ".csv");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new java.util.ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    byte[] content = ("writer " + w).getBytes(StandardCharsets.UTF_8);
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            AtomicFiles.write(f, false, content);
                            return true;
                        } catch (FileAlreadyExistsException e) {
                            return false;
                        }
                    }));
                }
                go.countDown();
                int wins = 0;
                for (Future<Boolean> r : results) {
                    wins += r.get() ? 1 : 0;
                }
                assertEquals(1, wins, "round " + round);
                assertTrue(Files.readString(f).startsWith("writer "));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

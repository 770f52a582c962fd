package io.micromodels.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest {

    static MachineFacts cpuFacts() {
        return new MachineFacts("2025-01-02T03:04:05+01:00", "test host", "Test CPU, 3 GHz", 2, 8L << 30,
                "Debian", "6.1 amd64", "Test JVM 17", "1", "org.nd4j.linalg.cpu.nativecpu.CpuBackend", "CPU",
                "CPU: Test CPU", 2, 2, 2, "OPENBLAS", "", "", "", "", "", "0.50 0.40 0.30");
    }

    static ResultTable sample() {
        ResultTable t = new ResultTable("train", cpuFacts()).units("iter", "samples");
        t.add(new Result("train", "DL4J", "default", 2, Result.params("width", 32, "batch", 64),
                Measurement.of(5, 1, 3, 2, 4), 64, ""));
        t.add(new Result("train", "PyTorch", "torch 1.13", 1, Result.params("width", 8, "batch", 1024),
                Measurement.of(1000, 3000), 1024, "no dropout, float32"));
        return t;
    }

    @Test
    void csvHasFactsParamsAndStatistics() {
        List<String> lines = sample().toCsv().lines().toList();
        assertEquals(3, lines.size(), "header + one row per measurement");
        String header = lines.get(0);
        assertTrue(header.startsWith("date,host,cpu,logical_cores,memory,"), header);
        assertTrue(header.contains(",suite,implementation,variant,threads,width,batch,median_us,q1_us,q3_us,iqr_us,"
                + "min_us,max_us,n,items_per_op,items_per_s,note,samples_us"), header);
        String row = lines.get(1);
        assertTrue(row.startsWith("2025-01-02T03:04:05+01:00,test host,\"Test CPU, 3 GHz\",2,8.0 GiB,"), row);
        // median 3, q1 2, q3 4, iqr 2, min 1, max 5, n 5, 64 items, 64/3us = 21333333.3/s, whole units above a million
        assertTrue(row.contains(",train,DL4J,default,2,32,64,3,2,4,2,1,5,5,64,21333333,,5;1;3;2;4"), row);
        String row2 = lines.get(2);
        assertTrue(row2.contains(",PyTorch,torch 1.13,1,8,1024,2000,1500,2500,1000,1000,3000,2,1024,512000,"
                + "\"no dropout, float32\",1000;3000"), row2);
    }

    @Test
    void textTableIsAligned() {
        String text = sample().toText();
        List<String> lines = text.lines().toList();
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("implementation  variant     threads  width  batch  median us/iter"), lines.get(0));
        assertTrue(lines.get(1).matches("[- ]+"), "rule line");
        // numbers right-aligned under their header: the width column ends at the same position
        int end = lines.get(0).indexOf("width") + "width".length();
        assertEquals("32", lines.get(2).substring(end - 2, end));
        assertEquals(" 8", lines.get(3).substring(end - 2, end));
    }

    @Test
    void markdownHasFactsResultsSectionsAndHeadline() {
        ResultTable t = sample();
        t.section("Ratios", new TextTable("width", "ratio").row("32", "1.50x"));
        t.headline("best/default speedup@batch64: 1.50");
        t.note("A note.");
        String md = t.toMarkdown(null);
        assertTrue(md.startsWith("# Benchmark `train` — test host, cpu, 2025-01-02T03:04:05+01:00"), md);
        assertTrue(md.contains("**Headline:** `best/default speedup@batch64: 1.50`"));
        assertTrue(md.contains("| cpu | Test CPU, 3 GHz |"));
        assertTrue(md.contains("| gpu | - |"));
        assertTrue(md.contains("| DL4J | default | 2 | 32 | 64 | 3.000 | 2.000 | 1.000 | 5.000 | 21333333 | 5 |  |"), md);
        assertTrue(md.contains("## Ratios\n\n| width | ratio |\n|---:|---:|\n| 32 | 1.50x |"), md);
        assertTrue(md.contains("A note."));
    }

    @Test
    void fileNamesCarryDateHostBackendSuite() {
        assertEquals("2025-01-02-test_host-cpu-train", sample().baseName());
    }

    @Test
    void writeRefusesToOverwriteUnlessForced(@TempDir Path dir) throws Exception {
        ResultTable t = sample();
        List<Path> files = t.write(dir, false);
        assertEquals(List.of(dir.resolve("2025-01-02-test_host-cpu-train.csv"),
                dir.resolve("2025-01-02-test_host-cpu-train.md")), files);
        Files.writeString(files.get(0), "kept");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> t.write(dir, false));
        assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
        assertEquals("kept", Files.readString(files.get(0)), "existing file untouched");

        t.write(dir, true);
        assertTrue(Files.readString(files.get(0)).startsWith("date,host"), "replaced with --force");
    }

    @Test
    void refusalHappensBeforeAnyFileIsWritten(@TempDir Path dir) throws Exception {
        ResultTable t = sample();
        Files.writeString(dir.resolve(t.baseName() + ".md"), "old summary");
        assertThrows(FileAlreadyExistsException.class, () -> t.write(dir, false));
        assertFalse(Files.exists(dir.resolve(t.baseName() + ".csv")), "no CSV written when the .md exists");
    }

    @Test
    void freshDirDoesNotExist(@TempDir Path dir) throws Exception {
        Path a = OutputFiles.freshDir(dir);
        assertFalse(Files.exists(a));
        Files.createDirectories(a);
        Path b = OutputFiles.freshDir(dir);
        assertFalse(Files.exists(b));
        assertTrue(b.getFileName().toString().startsWith(a.getFileName().toString() + "-"));
    }

    @Test
    void plotIsWrittenOnceUnlessForced(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("p.png");
        List<Plots.Series> s = List.of(new Plots.Series("a", new double[] {1, 2, 4}, new double[] {10, 200, 3000}));
        Plots.logLog(png, "t", "x", "y", 2, s, false);
        assertTrue(Files.size(png) > 1000);
        assertThrows(FileAlreadyExistsException.class, () -> Plots.logLog(png, "t", "x", "y", 2, s, false));
        Plots.logLog(png, "t", "x", "y", 2, s, true);
    }
}

package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.tune.TuneData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuneCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void tunesResumesAndSavesTheBest(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        Path dir = tmp.resolve("study");
        Run first = run("tune", "--data", csv.toString(), "--target", "y", "--trials", "3", "--epochs", "3", "--patience", "2",
                "--generator", "random", "--parallel", "2", "--out", dir.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("trial   3/3  auc"), first.out());
        assertTrue(first.out().contains("saved " + dir.resolve("best-model.zip")), first.out());
        assertTrue(Files.isRegularFile(dir.resolve("best-model.zip")));
        assertTrue(Files.readString(dir.resolve("report.html")).contains("Model report: best-model.zip"),
                "tune writes the best model's report");

        Run again = run("tune", "--resume", dir.toString(), "--trials", "4");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming " + dir + " with 3 finished trials"), again.out());
        assertTrue(again.out().contains("trial   4/4"), again.out());
        assertEquals(4, Files.readAllLines(dir.resolve("trials.jsonl")).size());

        Run clash = run("tune", "--resume", dir.toString(), "--seed", "3");
        assertEquals(2, clash.code());
        assertTrue(clash.err().contains("only --trials, --parallel, --batch, --population, --spark, --time and --pick"), clash.err());
        Run badGenerator = run("tune", "--data", csv.toString(), "--target", "y", "--generator", "anneal",
                "--out", tmp.resolve("x").toString());
        assertEquals(2, badGenerator.code());
        assertTrue(badGenerator.err().contains("--generator must be one of [bayes, random, grid, genetic], got 'anneal'"),
                badGenerator.err());
        Run missing = run("tune", "--resume", tmp.resolve("nothing").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    @Test
    void searchesTheEncodingsNamedByNormalizations(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        Path dir = tmp.resolve("study");
        Run r = run("tune", "--data", csv.toString(), "--target", "y", "--trials", "4", "--epochs", "3", "--patience", "2",
                "--generator", "random", "--population", "4", "--normalizations", "standardize, quantile", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(", normalization]"), "the encoding is a coordinate: " + r.out());
        String studyJson = Files.readString(dir.resolve("study.json"));
        assertTrue(studyJson.contains("\"normalizations\" : [ \"STANDARDIZE\", \"QUANTILE\" ]"), studyJson);
        java.util.List<String> lines = Files.readAllLines(dir.resolve("trials.jsonl"));
        assertEquals(4, lines.size());
        for (String line : lines) {
            String enc = line.contains("\"normalization\":\"STANDARDIZE\"") ? "standardize" : "quantile";
            assertTrue(line.contains("\"normalization\":\"" + enc.toUpperCase(java.util.Locale.ROOT) + "\""), line);
            int number = io.micromodels.tune.TrialRecord.fromJson(line).number();
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(String.format(java.util.Locale.ROOT, "trial %3d/4", number))
                    && l.contains(" " + enc + " ")), "trial " + number + "'s line names " + enc + ": " + r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("best: trial ") && (l.endsWith(", standardize")
                || l.endsWith(", quantile"))), r.out());

        Run unknown = run("tune", "--data", csv.toString(), "--target", "y", "--normalizations", "standardize,zscore",
                "--out", tmp.resolve("x").toString());
        assertEquals(2, unknown.code());
        assertEquals("error: --normalizations: each must be one of standardize, min_max, none, quantile, piecewise_linear; "
                + "got 'zscore' in 'standardize,zscore'", unknown.err().strip(), "one line");
        assertTrue(Files.notExists(tmp.resolve("x")));
        Run twice = run("tune", "--data", csv.toString(), "--target", "y", "--normalizations", "ple,piecewise_linear",
                "--out", tmp.resolve("y").toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("--normalizations must not repeat an encoding, got 'ple,piecewise_linear'"), twice.err());
        Run resumed = run("tune", "--resume", dir.toString(), "--normalizations", "quantile");
        assertEquals(2, resumed.code());
        assertTrue(resumed.err().contains("space (and normalizations)"), resumed.err());
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        Path dir = tmp.resolve("study");
        Run zero = run("tune", "--data", csv.toString(), "--target", "y", "--population", "0", "--out", dir.toString());
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--population must be in [1, 4096], got 0"), zero.err());
        assertTrue(Files.notExists(dir), "no study folder, no study.json, no trials.jsonl");
        Run badTarget = run("tune", "--data", csv.toString(), "--target", "nope", "--out", dir.toString());
        assertEquals(2, badTarget.code());
        assertTrue(Files.notExists(dir), "a data error leaves no folder behind: " + badTarget.err());
    }
}

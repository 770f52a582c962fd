package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.cli.CliTest.Run;
import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared data options (issue 14) as a user runs them: train and tune, split.csv, warnings, errors in flags. */
class DataOptionsCliTest {

    /**
     * 120 rows: id (1..120, an ID), x1 and x2 (noisy signal), colour (categorical), leak (the label itself), y yes/no;
     * rows 100..119 repeat rows 0..19 exactly except the id, and the last 4 lines repeat line 2 whole (4 duplicates).
     */
    static Path data(Path dir) throws IOException {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder("id,x1,x2,colour,leak,y\n");
        for (int i = 0; i < 120; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            boolean yes = x1 + 0.5 * x2 + 0.8 * r.nextGaussian() > 0;
            sb.append(i + 1).append(',').append(String.format(java.util.Locale.ROOT, "%.3f,%.3f", x1, x2)).append(',')
                    .append(i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue").append(',').append(yes ? 1 : 0).append(',')
                    .append(yes ? "yes" : "no").append('\n');
        }
        String second = sb.toString().lines().skip(1).findFirst().orElseThrow();
        for (int k = 0; k < 4; k++) {
            sb.append(second).append('\n');
        }
        Path f = dir.resolve("patients.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    static Path spec(Path dir) throws IOException {
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, io.micromodels.spec.Micromodel.classifier(2).input(7)
                .dense(4, io.micromodels.frozen.Activation.RELU).epochs(4).patience(0).seed(5).build().toJson());
        return spec;
    }

    @Test
    void trainReportsDuplicatesAndWarningsAndWritesTheSplitThatSplitFileReuses(@TempDir Path dir) throws IOException {
        Path csv = data(dir);
        Path spec = spec(dir);
        Path a = dir.resolve("a");
        Run first = CliTest.run("train", "--data", csv.toString(), "--target", "y", "--spec", spec.toString(), "--normalization", "standardize", "--out", a.toString());
        assertEquals(0, first.code(), first.err());
        String out = first.out();
        assertTrue(out.contains("duplicates: 4 rows equal in every column to an earlier row were dropped"), out);
        assertTrue(out.contains("--keep-duplicates"), out);
        assertTrue(out.contains("warning: column 'id' looks like an ID"), out);
        assertTrue(out.contains("warning: column 'leak' alone separates the target (single-column ROC AUC 1.000 > 0.98)"), out);
        assertTrue(out.contains("target over the") || out.contains("columns over all 124 rows read"), out);

        List<String> split = Files.readAllLines(a.resolve("split.csv"));
        assertEquals("row,part", split.get(0));
        assertEquals(1 + 120, split.size(), "124 data rows, 4 duplicates: 120 used rows, each once");
        long train = split.stream().filter(l -> l.endsWith(",train")).count();
        long validation = split.stream().filter(l -> l.endsWith(",validation")).count();
        assertEquals(120 - 18 - 18, train, "stratified 70/15/15: round(n_c * 0.15) per class, about 18 each");
        assertEquals(18, validation);
        assertTrue(split.stream().noneMatch(l -> l.matches("12[0-3],.*")), "the duplicate rows 120..123 are not listed");
        assertTrue(Files.readString(a.resolve("data-options.json")).replaceAll("\\s", "").contains("\"keepDuplicates\":false"));

        // another seed, but the split file: the identical split and the identical model
        Path b = dir.resolve("b");
        Run second = CliTest.run("train", "--data", csv.toString(), "--target", "y", "--spec", spec.toString(), "--normalization", "standardize", "--quiet",
                "--split-file", a.resolve("split.csv").toString(), "--out", b.toString());
        assertEquals(0, second.code(), second.err());
        assertEquals(split, Files.readAllLines(b.resolve("split.csv")));
        try (TrainedModel ma = ModelStore.load(a.resolve("model.zip")); TrainedModel mb = ModelStore.load(b.resolve("model.zip"))) {
            assertEquals(ma.network().params(), mb.network().params());
            assertEquals(ma.testMetrics().table(), mb.testMetrics().table());
        }

        // --keep-duplicates keeps the 4 copies: 124 rows used, 124 listed
        Path c = dir.resolve("c");
        Path spec4 = dir.resolve("spec4.json");
        Files.writeString(spec4, io.micromodels.spec.Micromodel.classifier(2).input(5)
                .dense(4, io.micromodels.frozen.Activation.RELU).epochs(2).patience(0).seed(5).build().toJson());
        Run kept = CliTest.run("train", "--data", csv.toString(), "--target", "y", "--drop", "id,leak", "--keep-duplicates",
                "--out", c.toString(), "--quiet", "--no-report", "--spec", spec4.toString(), "--normalization", "standardize");
        assertEquals(0, kept.code(), kept.err());
        assertEquals(1 + 124, Files.readAllLines(c.resolve("split.csv")).size());
    }

    @Test
    void badSplitFilesAndUnknownColumnsAreRefusedInFlags(@TempDir Path dir) throws IOException {
        Path csv = data(dir);
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "row,part\n0,train\n1,holdout\n");
        for (String command : new String[] {"train", "tune"}) {
            Run r = CliTest.run(command, "--data", csv.toString(), "--target", "y", "--split-file", bad.toString(),
                    "--out", dir.resolve(command + "1").toString());
            assertEquals(2, r.code(), r.err());
            assertEquals("error: " + bad + ": line 3: unknown part 'holdout' (expected train, validation or test)", r.err().strip());
            assertFalse(Files.exists(dir.resolve(command + "1")));

            r = CliTest.run(command, "--data", csv.toString(), "--target", "y", "--drop", "nosuch", "--out", dir.resolve(command + "2").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--drop column 'nosuch' not found; available columns: id, x1, x2, colour, leak, y"), r.err());
            assertFalse(r.err().contains("dropColumns"), r.err());

            r = CliTest.run(command, "--data", csv.toString(), "--target", "y", "--drop", "y", "--out", dir.resolve(command + "3").toString());
            assertEquals(2, r.code(), r.err());
            assertEquals("error: --target 'y' is also in --drop", r.err().strip());

            r = CliTest.run(command, "--data", csv.toString(), "--out", dir.resolve(command + "4").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--data needs --target COL"), r.err());
        }
    }

    @Test
    void tuneRecordsTheDataOptionsAndResumeRefusesAChangedSet(@TempDir Path dir) throws IOException {
        Path csv = data(dir);
        Path study = dir.resolve("study");
        Run first = CliTest.run("tune", "--data", csv.toString(), "--target", "y", "--drop", "id,leak", "--trials", "1",
                "--epochs", "2", "--patience", "0", "--generator", "random", "--out", study.toString());
        assertEquals(0, first.code(), first.err());
        String json = Files.readString(study.resolve("study.json")).replaceAll("\\s", "");
        assertTrue(json.contains("\"dropColumns\":[\"id\",\"leak\"]"), json);
        assertEquals(1 + 120, Files.readAllLines(study.resolve("split.csv")).size());
        assertTrue(first.out().contains("columns over all 124 rows read") || first.out().contains("study"), first.out());

        Run changed = CliTest.run("tune", "--resume", study.toString(), "--data", csv.toString(), "--target", "y", "--drop", "id",
                "--trials", "2");
        assertEquals(2, changed.code(), changed.err());
        assertEquals(1, changed.err().strip().lines().count(), changed.err());
        assertTrue(changed.err().contains("--drop was 'id,leak', now 'id'"), changed.err());
        Run dup = CliTest.run("tune", "--resume", study.toString(), "--keep-duplicates", "--trials", "2");
        assertEquals(2, dup.code(), dup.err());
        assertTrue(dup.err().contains("--keep-duplicates was 'false', now 'true'"), dup.err());

        // a new study on another seed reuses the recorded split
        Path again = dir.resolve("again");
        Run reuse = CliTest.run("tune", "--data", csv.toString(), "--target", "y", "--drop", "id,leak", "--trials", "1",
                "--epochs", "2", "--patience", "0", "--generator", "random", "--seed", "7",
                "--split-file", study.resolve("split.csv").toString(), "--out", again.toString());
        assertEquals(0, reuse.code(), reuse.err());
        assertEquals(Files.readAllLines(study.resolve("split.csv")), Files.readAllLines(again.resolve("split.csv")));

        // the help of both commands lists the shared flags
        for (String command : new String[] {"train", "tune"}) {
            String help = CliTest.run(command, "--help").out();
            for (String flag : new String[] {"--target", "--task", "--drop", "--time-column", "--bad-cells", "--keep-duplicates",
                    "--split-file", "--sep", "--date-trend"}) {
                assertTrue(help.contains(flag), command + " --help lacks " + flag + ": " + help);
            }
        }

        // the same flags again are not a change
        Run same = CliTest.run("tune", "--resume", study.toString(), "--data", csv.toString(), "--target", "y", "--drop", "id,leak",
                "--trials", "2");
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("resuming"), same.out());
    }
}

package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.JournalStorage;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TuneData;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tune --spark}: one seeded random search of 8 trials moves between a local run, Spark ({@code local[2]}), a
 * SQLite database on Spark, and back to a local folder run, and ends with the trials of a plain local run of 8.
 */
class SparkTuneTest {

    static TuneCommandTest.Run ok(String... args) {
        TuneCommandTest.Run r = TuneCommandTest.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
        return r;
    }

    @Test
    void aStudyContinuesOnSparkOnADatabaseAndBackWithTheTrialsOfOneLocalRun(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        String[] study = {"--data", csv.toString(), "--target", "y", "--generator", "random", "--seed", "7",
                "--epochs", "2", "--patience", "1", "--parallel", "2"};
        Path straight = tmp.resolve("straight");
        ok(concat(new String[] {"tune", "--trials", "8", "--out", straight.toString()}, study));

        Path a = tmp.resolve("a");
        ok(concat(new String[] {"tune", "--trials", "2", "--out", a.toString()}, study));
        TuneCommandTest.Run onSpark = ok("tune", "--resume", a.toString(), "--trials", "4", "--spark", "local[2]");
        assertTrue(onSpark.out().contains("trials train on Spark local[2]"), onSpark.out());
        assertTrue(onSpark.out().matches("(?s).*\\btrial +3/4 .*trial +4/4 .*|(?s).*\\btrial +4/4 .*trial +3/4 .*"),
                "the leaderboard printed trials 3 and 4 as on a local run:\n" + onSpark.out());

        String db = "jdbc:sqlite:" + tmp.resolve("study.db");
        ok("tune", "import", a.toString(), "--storage", db, "--study", "s");
        ok("tune", "--resume", "--storage", db, "--study", "s", "--trials", "6", "--spark", "local[2]", "--out",
                tmp.resolve("db-out").toString());
        Path b = tmp.resolve("b");
        ok("tune", "export", "--storage", db, "--study", "s", "--out", b.toString());
        TuneCommandTest.Run back = ok("tune", "--resume", b.toString(), "--trials", "8");

        List<TrialRecord> expected = JournalStorage.open(straight).trials().stream().filter(TrialRecord::finished).toList();
        List<TrialRecord> moved = JournalStorage.open(b).trials().stream().filter(TrialRecord::finished).toList();
        assertEquals(IntStream.rangeClosed(1, 8).boxed().toList(), moved.stream().map(TrialRecord::number).toList(),
                "every trial recorded once");
        for (int i = 0; i < 8; i++) {
            TrialRecord e = expected.get(i);
            TrialRecord m = moved.get(i);
            assertArrayEquals(e.point(), m.point(), "trial " + e.number());
            assertEquals(e.spec(), m.spec(), "trial " + e.number());
            assertEquals(e.score(), m.score(), 1e-9 * Math.max(1, Math.abs(e.score())), "trial " + e.number());
        }
        TrialRecord best = moved.stream().filter(TrialRecord::complete)
                .max(java.util.Comparator.comparingDouble(TrialRecord::score)).orElseThrow();
        try (TrainedModel saved = ModelStore.load(b.resolve("best-model.zip"))) {
            assertEquals(best.spec(), saved.spec(), "the best model is the best recorded trial\n" + back.out());
        }
    }

    /**
     * The real command line in its own JVM, as {@code ./micromodels} runs it: its JVM-wide deserialisation filter
     * (SerialFilter) lets Spark's own task and result streams through, and every trial completes on local[2].
     */
    @Test
    void theCommandLineWithItsSerialFilterTrainsTrialsOnSpark(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        Path out = tmp.resolve("run");
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.util.Arrays.asList(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions().trim().split("\\s+")));
        cmd.addAll(List.of("-Xmx768m", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "tune", "--data", csv.toString(), "--target", "y",
                "--trials", "2", "--epochs", "2", "--patience", "1", "--generator", "random", "--spark", "local[2]",
                "--out", out.toString()));
        Path log = tmp.resolve("tune.log");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("OMP_NUM_THREADS", "1");
        Process p = b.start();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String text = java.nio.file.Files.readString(log);
        assertEquals(0, p.exitValue(), text);
        assertTrue(!text.contains("filter status: REJECTED"), text);
        List<TrialRecord> trials = JournalStorage.open(out).trials().stream().filter(TrialRecord::finished).toList();
        assertEquals(2, trials.size(), text);
        assertTrue(trials.stream().allMatch(TrialRecord::complete), text);
    }

    @Test
    void refusesABadMasterAndCrossValidationBeforeWritingAnything(@TempDir Path tmp) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 100, 2);
        Path out = tmp.resolve("never");
        TuneCommandTest.Run bad = TuneCommandTest.run("tune", "--data", csv.toString(), "--target", "y", "--spark", "yarn",
                "--out", out.toString());
        assertTrue(bad.code() != 0, bad.out() + bad.err());
        assertTrue(bad.err().contains("--spark: expected local, local[N], local[*] or spark://host:port, got 'yarn'"), bad.err());
        TuneCommandTest.Run cv = TuneCommandTest.run("tune", "--data", csv.toString(), "--target", "y", "--spark", "local[2]",
                "--cv", "3", "--out", out.toString());
        assertTrue(cv.code() != 0 && cv.err().contains("--spark trains trials without cross-validation"), cv.err());
        TuneCommandTest.Run halving = TuneCommandTest.run("tune", "--data", csv.toString(), "--target", "y", "--spark",
                "local[2]", "--halving", "--out", out.toString());
        assertTrue(halving.code() != 0 && halving.err().contains("--spark does not combine with --halving"), halving.err());
        assertTrue(!java.nio.file.Files.exists(out), "nothing written");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package io.micromodels.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micromodels.io.ModelStore;
import io.micromodels.train.TrainedModel;
import io.micromodels.tune.Storage;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TrialStatus;
import io.micromodels.tune.TuneData;
import io.micromodels.tune.jdbc.JdbcStorage;
import io.micromodels.tune.jdbc.JdbcStudyOptions;
import io.micromodels.tune.jdbc.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code tune} processes (child JVMs) share one database study, as users run workers: on a SQLite file and on
 * a real PostgreSQL server started for the test. Four workers run 40 trials together: 40 distinct numbers and points,
 * each trial recorded once (by the one worker that printed it), and every worker's best model is the best recorded
 * trial. Then one of four workers is killed with SIGKILL in the middle of a trial: the others finish the study, one of
 * them fails the killed trial as lost once its heartbeat is older than the timeout, and {@code --resume} continues
 * the study to a larger target.
 */
class DatabaseTuneTest {
    static final Pattern TRIAL_LINE = Pattern.compile("(?m)^trial +(\\d+)/(\\d+) ");

    @TempDir
    Path tmp;

    @Test
    void fourWorkersShareOneSqliteStudyAndSurviveAKilledWorker() throws Exception {
        scenario("jdbc:sqlite:" + tmp.resolve("study.db"));
    }

    @Test
    void fourWorkersShareOnePostgresStudyAndSurviveAKilledWorker() throws Exception {
        try (PostgresServer server = PostgresServer.startOrSkip()) {
            scenario(server.url());
        }
    }

    void scenario(String url) throws Exception {
        Path csv = TuneData.binaryCsv(tmp, 200, 2);
        // 1: four workers, 40 trials
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(start(worker(csv, url, "shared", 40, 3, 60, tmp.resolve("out-" + i)), tmp.resolve("worker-" + i + ".log")));
        }
        List<String> logs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            logs.add(finish(workers.get(i), tmp.resolve("worker-" + i + ".log")));
        }
        List<TrialRecord> all = trials(url, "shared");
        assertEquals(IntStream.rangeClosed(1, 40).boxed().toList(), all.stream().map(TrialRecord::number).toList());
        assertTrue(all.stream().allMatch(r -> r.finished() && Storage.counts(r)), "every trial finished");
        Set<String> points = new HashSet<>();
        all.forEach(r -> points.add(Arrays.toString(r.point())));
        assertEquals(40, points.size(), "each worker asked with every trial so far, running ones included: no point twice");
        List<Integer> printed = new ArrayList<>();
        for (String log : logs) {
            Matcher m = TRIAL_LINE.matcher(log);
            while (m.find()) {
                printed.add(Integer.parseInt(m.group(1)));
            }
        }
        printed.sort(null);
        assertEquals(IntStream.rangeClosed(1, 40).boxed().toList(), printed, "every trial recorded by exactly one worker");
        assertTrue(logs.stream().filter(l -> l.contains("joining ")).count() >= 1, "workers joined the study one created");
        TrialRecord best = best(all);
        for (int i = 0; i < 4; i++) {
            assertTrue(logs.get(i).contains("best: trial " + best.number() + ","), logs.get(i));
            try (TrainedModel m = ModelStore.load(tmp.resolve("out-" + i).resolve("best-model.zip"))) {
                assertEquals(best.spec(), m.spec(), "worker " + i + "'s best model is the best recorded trial");
            }
        }

        // 2: four workers, one killed with SIGKILL while its trial runs; heartbeat timeout 4 s
        workers.clear();
        for (int i = 0; i < 4; i++) {
            workers.add(start(worker(csv, url, "killed", 12, 10, 4, tmp.resolve("kill-" + i)), tmp.resolve("kill-" + i + ".log")));
        }
        long[] running = waitForRunningTrial(url, "killed", workers.stream().mapToLong(Process::pid).toArray());
        int v = (int) running[1];
        Process victim = workers.get(v);
        int killed = (int) running[0];
        victim.destroyForcibly(); // SIGKILL
        victim.waitFor(60, TimeUnit.SECONDS);
        for (int i = 0; i < 4; i++) {
            if (i != v) {
                finish(workers.get(i), tmp.resolve("kill-" + i + ".log"));
            }
        }
        all = trials(url, "killed");
        TrialRecord lost = all.get(killed - 1);
        assertEquals(TrialStatus.FAILED, lost.status(), lost.toString());
        assertTrue(lost.failure().startsWith(Storage.LOST + "no heartbeat from worker "), lost.failure());
        assertTrue(lost.failure().contains(":" + victim.pid() + ":"), lost.failure());
        Matcher by = Pattern.compile("failed by worker (\\S+)$").matcher(lost.failure());
        assertTrue(by.find(), lost.failure());
        assertFalse(by.group(1).contains(":" + victim.pid() + ":"), "another worker failed it: " + lost.failure());
        assertEquals(12, all.stream().filter(r -> r.finished() && Storage.counts(r)).count(), "the others completed the study");
        assertEquals(IntStream.rangeClosed(1, all.size()).boxed().toList(), all.stream().map(TrialRecord::number).toList());
        assertTrue(all.stream().allMatch(TrialRecord::finished));

        // 3: resume the database study to 14 trials
        Process resume = start(List.of("tune", "--resume", "--storage", url, "--study", "killed", "--trials", "14",
                "--out", tmp.resolve("resumed").toString()), tmp.resolve("resume.log"));
        String log = finish(resume, tmp.resolve("resume.log"));
        assertTrue(log.contains("resuming " + JdbcStudyOptions.of(url, "killed").where() + " with "), log);
        all = trials(url, "killed");
        assertEquals(14, all.stream().filter(r -> r.finished() && Storage.counts(r)).count(), log);
        assertEquals(IntStream.rangeClosed(1, all.size()).boxed().toList(), all.stream().map(TrialRecord::number).toList());
        try (TrainedModel m = ModelStore.load(tmp.resolve("resumed").resolve("best-model.zip"))) {
            assertEquals(best(all).spec(), m.spec());
        }
    }

    static TrialRecord best(List<TrialRecord> all) {
        return all.stream().filter(TrialRecord::complete).max(Comparator.comparingDouble(TrialRecord::score)
                .thenComparing(Comparator.comparingInt(TrialRecord::number).reversed())).orElseThrow();
    }

    static List<String> worker(Path csv, String url, String study, int trials, int epochs, int heartbeat, Path out) {
        return List.of("tune", "--data", csv.toString(), "--target", "y", "--trials", Integer.toString(trials), "--epochs",
                Integer.toString(epochs), "--patience", Integer.toString(epochs), "--generator", "random", "--storage", url,
                "--study", study, "--heartbeat-timeout", Integer.toString(heartbeat), "--out", out.toString());
    }

    static List<TrialRecord> trials(String url, String study) {
        try (JdbcStorage s = JdbcStorage.open(JdbcStudyOptions.of(url, study))) {
            return s.trials();
        }
    }

    /**
     * Polls the database until a worker has a trial running, after its second trial so that it runs mid-study;
     * returns the trial's number and the worker's index in {@code pids}.
     */
    static long[] waitForRunningTrial(String url, String study, long[] pids) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement s = c.prepareStatement("SELECT t.number, t.worker FROM trials t JOIN studies s"
                         + " ON s.id = t.study_id WHERE s.name = ? AND t.state = 'RUNNING' AND t.number > 2 ORDER BY t.number")) {
                s.setString(1, study);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        for (int i = 0; i < pids.length; i++) {
                            if (r.getString(2).contains(":" + pids[i] + ":")) {
                                return new long[] {r.getInt(1), i};
                            }
                        }
                    }
                }
            } catch (java.sql.SQLException notYet) {
                // the study's tables are not there yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no worker ran a trial");
    }

    static Process start(List<String> args, Path log) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("OMP_NUM_THREADS", "1");
        return b.start();
    }

    static String finish(Process p, Path log) throws Exception {
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("a worker did not finish in 10 minutes: " + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}

package io.micromodels.tune.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micromodels.frozen.Activation;
import io.micromodels.spec.Micromodel;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.JournalStorage;
import io.micromodels.tune.Storage;
import io.micromodels.tune.StudyHeader;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TrialStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database storage against SQLite files and a real PostgreSQL server: exact round trips, unique claims from
 * several connections at once (each a worker), the trial target never exceeded, heartbeat and lost trials,
 * migrations, and copies to and from a study folder.
 */
class JdbcStorageTest {
    static final MicromodelSpec SPEC = Micromodel.classifier(2).input(5).dense(8, Activation.TANH).adam(0.01).build();
    static final AtomicInteger NAMES = new AtomicInteger();
    private static PostgresServer postgres;

    @TempDir
    Path tmp;

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    static synchronized String postgresUrl() throws Exception {
        if (postgres == null) {
            postgres = PostgresServer.startOrSkip();
        }
        return postgres.url();
    }

    String sqlite() {
        return "jdbc:sqlite:" + tmp.resolve("study.db");
    }

    static StudyHeader header(String id, int trials) {
        return new StudyHeader(StudyHeader.FORMAT, id, "2026-12-06T09:00:00Z", StudyOptions.forDataset("german_credit")
                .withTrials(trials), "auc", "ab".repeat(32));
    }

    static TrialRecord running(String id, int n) {
        return TrialRecord.running(id + "-" + n, n, new double[] {0.25, 1.0 / 3, n / 1000.0}, SPEC, "auc");
    }

    static TrialRecord complete(TrialRecord r) {
        double[] folds = {0.7 + r.number() / 1000.0, 0.1234567890123, Double.NaN};
        return new TrialRecord(r.id(), r.number(), r.point(), r.spec(), r.seed(), 0.5 + r.number() / 7.0 / 1000.0, "auc", 12, 7,
                0.1 / 3, 0.2 / 3, TrialStatus.COMPLETE, "", folds, Math.PI / 100);
    }

    @Test
    void roundTripsTrialsExactlySqlite() {
        roundTripsTrialsExactly(sqlite());
    }

    @Test
    void roundTripsTrialsExactlyPostgres() throws Exception {
        roundTripsTrialsExactly(postgresUrl());
    }

    void roundTripsTrialsExactly(String url) {
        JdbcStudyOptions o = JdbcStudyOptions.of(url, "round-" + NAMES.incrementAndGet());
        StudyHeader h = header("0badcafe", 5);
        List<TrialRecord> told = new ArrayList<>();
        try (JdbcStorage s = JdbcStorage.create(o, h)) {
            assertEquals(h, s.header());
            TrialRecord a = s.claim(n -> running("0badcafe", n));
            TrialRecord b = s.claim(n -> running("0badcafe", n));
            assertEquals(List.of(1, 2), s.trials().stream().map(TrialRecord::number).toList());
            assertEquals(a, s.trials().get(0), "a running trial as claimed");
            told.add(complete(a));
            s.tell(told.get(0));
            TrialRecord failed = new TrialRecord(b.id(), 2, b.point(), SPEC, b.seed(), Double.NaN, "auc", 3, 0, 0.01, 0.02,
                    TrialStatus.DIVERGED, "a loss became non-finite at epoch 3");
            told.add(failed);
            s.tell(failed);
            // successive halving: a trial masked out at a rung, with halving options recorded in the header
            TrialRecord c = s.claim(n -> running("0badcafe", n));
            TrialRecord partial = new TrialRecord(c.id(), 3, c.point(), SPEC, c.seed(), 0.6125, "auc", 10, 8, 0.05, 0.06,
                    TrialStatus.PARTIAL, "masked out at rung 10 (rank 3 of 4)").withRungScores(new double[] {0.5 + 1.0 / 3, 0.6125});
            told.add(partial);
            s.tell(partial);
            // the encoding of numeric features a trial trained on (schema version 4), kept from claim to outcome
            TrialRecord d = s.claim(n -> TrialRecord.running("0badcafe-" + n, n, new double[] {0.5, 0.75, 0.125}, SPEC, "auc",
                    io.micromodels.data.Normalization.QUANTILE));
            assertEquals(io.micromodels.data.Normalization.QUANTILE, s.trials().get(3).normalization());
            TrialRecord dFailed = d.finish(io.micromodels.tune.TrialOutcome.failed(SPEC, "auc", "boom", 0.5));
            assertEquals(io.micromodels.data.Normalization.QUANTILE, dFailed.normalization());
            told.add(dFailed);
            s.tell(dFailed);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> s.tell(failed));
            assertTrue(twice.getMessage().contains("was not claimed here or was already told"), twice.getMessage());
            s.updateOptions(h.options().withTrials(9).withHalving(new io.micromodels.tune.Halving(List.of(10, 30), 0.25)));
        }
        try (JdbcStorage again = JdbcStorage.open(o)) {
            assertEquals(told, again.trials());
            assertEquals(h.withOptions(h.options().withTrials(9).withHalving(new io.micromodels.tune.Halving(List.of(10, 30),
                    0.25))), again.header());
        }
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class, () -> JdbcStorage.create(o, header("12345678", 5)));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> JdbcStorage.open(JdbcStudyOptions.of(url, "nothing-here")));
        assertTrue(missing.getMessage().endsWith("study 'nothing-here' does not exist"), missing.getMessage());
    }

    @Test
    void workersOnSeparateConnectionsClaimEachNumberOnceAndNeverPastTheTargetSqlite() throws Exception {
        claimsOnce(sqlite());
    }

    @Test
    void workersOnSeparateConnectionsClaimEachNumberOnceAndNeverPastTheTargetPostgres() throws Exception {
        claimsOnce(postgresUrl());
    }

    /** Four workers, each its own connection, claim and tell until the target of 40 is claimed. */
    void claimsOnce(String url) throws Exception {
        JdbcStudyOptions o = JdbcStudyOptions.of(url, "claims-" + NAMES.incrementAndGet());
        StudyHeader h = header("00c1a1e5", 40);
        List<Integer> numbers = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                done.add(pool.submit(() -> {
                    int mine = 0;
                    try (JdbcStorage s = JdbcStorage.createOrJoin(o, h)) {
                        while (true) {
                            Optional<TrialRecord> r = s.claimWithin(40, n -> running("00c1a1e5", n));
                            if (r.isEmpty()) {
                                return mine;
                            }
                            numbers.add(r.get().number());
                            s.tell(complete(r.get()));
                            mine++;
                        }
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            assertEquals(40, total);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(IntStream.rangeClosed(1, 40).boxed().toList(), new TreeSet<>(numbers).stream().toList());
        assertEquals(40, numbers.size(), "no number twice");
        try (JdbcStorage s = JdbcStorage.open(o)) {
            List<TrialRecord> all = s.trials();
            assertEquals(40, all.size());
            assertTrue(all.stream().allMatch(TrialRecord::complete));
            assertEquals(complete(running("00c1a1e5", 17)), all.get(16));
        }
    }

    @Test
    void aTrialWhoseWorkerStoppedBeatingIsFailedAsLostByAnotherSqlite() throws Exception {
        heartbeat(sqlite());
    }

    @Test
    void aTrialWhoseWorkerStoppedBeatingIsFailedAsLostByAnotherPostgres() throws Exception {
        heartbeat(postgresUrl());
    }

    void heartbeat(String url) throws Exception {
        JdbcStudyOptions o = new JdbcStudyOptions(url, "beat-" + NAMES.incrementAndGet(), 1.0);
        StudyHeader h = header("0000beef", 2);
        try (JdbcStorage hung = JdbcStorage.create(o, h); JdbcStorage alive = JdbcStorage.open(o);
             JdbcStorage watcher = JdbcStorage.open(o)) {
            TrialRecord lost = hung.claim(n -> running("0000beef", n));
            hung.stopHeartbeat();
            TrialRecord beating = alive.claimWithin(2, n -> running("0000beef", n)).orElseThrow();
            assertTrue(alive.claimWithin(2, n -> running("0000beef", n)).isEmpty(), "two trials claimed: the target");
            Thread.sleep(2_500);
            List<TrialRecord> all = watcher.trials();
            assertEquals(TrialStatus.FAILED, all.get(0).status());
            assertTrue(all.get(0).failure().startsWith(Storage.LOST + "no heartbeat from worker " + hung.worker()),
                    all.get(0).failure());
            assertTrue(all.get(0).failure().endsWith("failed by worker " + watcher.worker()), all.get(0).failure());
            assertFalse(Storage.counts(all.get(0)));
            assertEquals(TrialStatus.RUNNING, all.get(1).status(), "its worker beats every 0.25 s: not stale after 2.5 s");
            TrialRecord third = alive.claimWithin(2, n -> running("0000beef", n)).orElseThrow();
            assertEquals(3, third.number(), "a lost trial keeps its number and does not count toward the target");
            alive.tell(complete(beating));
            alive.tell(complete(third));
            hung.tell(complete(lost)); // the hung worker comes back: its outcome is recorded after all
            assertEquals(List.of(TrialStatus.COMPLETE, TrialStatus.COMPLETE, TrialStatus.COMPLETE),
                    watcher.trials().stream().map(TrialRecord::status).toList());
            TrialRecord open = alive.claimWithin(5, n -> running("0000beef", n)).orElseThrow();
            alive.close(); // closing with a trial running fails it at once
            TrialRecord closed = watcher.trials().get(open.number() - 1);
            assertEquals(TrialStatus.FAILED, closed.status());
            assertTrue(closed.failure().contains("closed the study while the trial was running"), closed.failure());
        }
    }

    @Test
    void migratesOnceAndRefusesANewerSchema() throws Exception {
        String url = sqlite();
        JdbcStudyOptions o = JdbcStudyOptions.of(url, "m");
        JdbcStorage.create(o, header("00000001", 1)).close();
        JdbcStorage.open(o).close();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT version, description FROM schema_version ORDER BY version")) {
                assertTrue(r.next());
                assertEquals(1, r.getInt(1));
                assertTrue(r.next());
                assertEquals(2, r.getInt(1));
                assertTrue(r.next());
                assertEquals(3, r.getInt(1));
                assertTrue(r.next());
                assertEquals(4, r.getInt(1));
                assertFalse(r.next(), "each migration applied once");
            }
            s.execute("INSERT INTO schema_version (version, applied_at, description) VALUES (99, 'x', 'future')");
        }
        IllegalArgumentException newer = assertThrows(IllegalArgumentException.class, () -> JdbcStorage.open(o));
        assertTrue(newer.getMessage().contains("schema version 99, newer than this micromodels' 4"), newer.getMessage());
    }

    static StudyHeader multiHeader(String id, int trials) {
        StudyHeader h = header(id, trials);
        return h.withOptions(h.options().withObjectives(List.of("auc", "latency", "params")));
    }

    /** A trial of a study with objectives auc, latency, params: complete with every value, or failed with none. */
    static TrialRecord withValues(TrialRecord r, boolean complete) {
        if (!complete) {
            return new TrialRecord(r.id(), r.number(), r.point(), r.spec(), r.seed(), Double.NaN, "auc", 2, 0, 0.01, 0.02,
                    TrialStatus.FAILED, "boom", new double[0], Double.NaN, new double[] {Double.NaN, Double.NaN, Double.NaN});
        }
        return complete(r).withValues(new double[] {complete(r).score(), 812.0625 + r.number() / 3.0, 66});
    }

    @Test
    void roundTripsMultiObjectiveTrialsSqlite() throws Exception {
        roundTripsMultiObjectiveTrials(sqlite());
    }

    @Test
    void roundTripsMultiObjectiveTrialsPostgres() throws Exception {
        roundTripsMultiObjectiveTrials(postgresUrl());
    }

    void roundTripsMultiObjectiveTrials(String url) throws Exception {
        JdbcStudyOptions o = JdbcStudyOptions.of(url, "multi-" + NAMES.incrementAndGet());
        StudyHeader h = multiHeader("0badf00d", 4);
        List<TrialRecord> told = new ArrayList<>();
        try (JdbcStorage s = JdbcStorage.create(o, h)) {
            assertEquals(h, s.header());
            for (int i = 0; i < 3; i++) {
                TrialRecord r = s.claim(n -> running("0badf00d", n));
                assertEquals(0, s.trials().get(i).values().length, "a running trial has no values");
                told.add(withValues(r, i != 1));
                s.tell(told.get(i));
            }
        }
        try (JdbcStorage again = JdbcStorage.open(o)) {
            assertEquals(told, again.trials());
            // the objectives are described in study_objectives, the values at trial_values index k + 1
            JournalStorage back = again.exportJournal(tmp.resolve("back-" + NAMES.incrementAndGet()));
            assertEquals(told, back.trials());
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT o.idx, o.name, o.direction FROM study_objectives o JOIN studies s"
                     + " ON s.id = o.study_id WHERE s.name = '" + o.study() + "' ORDER BY o.idx")) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getInt(1) + " " + r.getString(2) + " " + r.getString(3));
            }
            assertEquals(List.of("0 auc maximize", "1 latency minimize", "2 params minimize"), rows);
        }
    }

    @Test
    void aDatabaseWrittenAtSchemaVersion1IsMigratedAndItsStudyStillLoads() throws Exception {
        // schema-v1-study.sql: `sqlite3 .dump` of a database written by the code before this change (schema version 1):
        // a single-objective study imported from a folder, with a complete and a diverged trial
        String url = sqlite();
        String dump;
        try (java.io.InputStream in = getClass().getResourceAsStream("schema-v1-study.sql")) {
            dump = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String line : dump.split("\n")) {
                if (!line.isBlank()) {
                    st.execute(line);
                }
            }
        }
        JdbcStudyOptions o = JdbcStudyOptions.of(url, "before-objectives");
        try (JdbcStorage s = JdbcStorage.open(o)) {
            assertEquals(List.of(), s.header().options().objectives());
            List<TrialRecord> trials = s.trials();
            assertEquals(2, trials.size());
            assertEquals(0.78125, trials.get(0).score());
            assertEquals(0, trials.get(0).values().length);
            assertEquals(TrialStatus.DIVERGED, trials.get(1).status());
            assertNull(trials.get(0).normalization(), "recorded before encodings were");
            TrialRecord next = s.claim(n -> TrialRecord.running("01d5a7e0-000" + n, n, new double[] {0.5, 0.5}, SPEC, "auc"));
            assertEquals(3, next.number());
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
            assertTrue(r.next());
            assertEquals(4, r.getInt(1), "migrated to the current version on opening");
        }
    }

    @Test
    void copiesAFolderStudyIntoTheDatabaseAndBack() {
        JournalStorage folder = JournalStorage.create(tmp.resolve("folder"), header("0f01de00", 3));
        List<TrialRecord> told = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TrialRecord r = folder.claim(n -> running("0f01de00", n));
            told.add(complete(r));
            folder.tell(told.get(i));
        }
        JdbcStudyOptions o = JdbcStudyOptions.of(sqlite(), "imported");
        try (JdbcStorage db = JdbcStorage.importJournal(JournalStorage.open(tmp.resolve("folder")), o)) {
            assertEquals(told, db.trials());
            assertEquals(folder.header(), db.header());
            TrialRecord next = db.claim(n -> running("0f01de00", n));
            assertEquals(4, next.number(), "numbering continues after the imported trials");
            IllegalStateException busy = assertThrows(IllegalStateException.class, () -> db.exportJournal(tmp.resolve("back")));
            assertTrue(busy.getMessage().contains("has 1 running trials"), busy.getMessage());
            db.tell(complete(next));
            told.add(complete(next));
            JournalStorage back = db.exportJournal(tmp.resolve("back"));
            assertEquals(told, back.trials());
            assertEquals(folder.header(), back.header());
        }
    }
}

package io.micromodels.tune.jdbc;

import io.micromodels.files.AtomicFiles;
import io.micromodels.json.StrictJson;
import io.micromodels.spec.MicromodelSpec;
import io.micromodels.tune.JournalStorage;
import io.micromodels.tune.Storage;
import io.micromodels.tune.StudyHeader;
import io.micromodels.tune.StudyOptions;
import io.micromodels.tune.TrialRecord;
import io.micromodels.tune.TrialStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A study kept in a database through plain JDBC (the {@link Storage} that many workers share, as Optuna's
 * {@code RDBStorage}): SQLite ({@code jdbc:sqlite:study.db}, one machine) or PostgreSQL
 * ({@code jdbc:postgresql://host/db}, many). The tables are {@link Schema}'s, migrated to its version on opening.
 *
 * <p>Any number of processes open the same study and run it together: each claims the next trial number in one
 * transaction (SQLite: {@code BEGIN IMMEDIATE} with a busy timeout; PostgreSQL: the study's row locked
 * {@code FOR UPDATE}; a unique constraint on (study, number) behind both), records the trial as running with its point
 * and spec, and tells its outcome once. While a trial runs its worker beats (updates the trial's {@code heartbeat},
 * every quarter of {@link JdbcStudyOptions#heartbeatSeconds()}); {@link #trials()} fails, as {@link Storage#LOST},
 * any other worker's running trial whose heartbeat is older than the timeout (its process was killed or lost). A
 * worker whose trial was failed as lost and which then finishes it after all records its outcome. Times are the
 * database's clock, so workers on several machines need not agree on theirs.
 *
 * <pre>{@code
 * try (JdbcStorage s = JdbcStorage.open(JdbcStudyOptions.of("jdbc:sqlite:studies.db", "credit"))) {
 *     for (TrialRecord t : s.trials()) System.out.println(t.number() + " " + t.status() + " " + t.score());
 * }
 * }</pre>
 *
 * <p>Thread-safe (one connection, used under this object's lock); close it to stop the heartbeat and release the
 * connection (trials still running here are then failed as lost at once).
 */
public final class JdbcStorage implements Storage, AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final String LOST_SQL = "(state = 'FAILED' AND failure LIKE 'lost: %')";

    private final JdbcStudyOptions options;
    private final Connection c;
    private final long studyKey;
    private final String worker;
    private final String now;
    /** Trials claimed here and not yet told: number to row id. */
    private final Map<Integer, Long> mine = new HashMap<>();
    /** The study's number of objectives (0 for a single-objective study): objectives never change. */
    private int objectives;
    private ScheduledExecutorService beat;
    private volatile SQLException beatFailure;

    private JdbcStorage(JdbcStudyOptions options, Connection c, long studyKey) {
        this.options = options;
        this.c = c;
        this.studyKey = studyKey;
        this.worker = host() + ":" + ProcessHandle.current().pid() + ":" + INSTANCES.incrementAndGet();
        this.now = options.sqlite() ? "CAST((julianday('now') - 2440587.5) * 86400000.0 AS BIGINT)"
                : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    /**
     * Creates a study, or joins it when a study of that name exists (as Optuna's {@code load_if_exists}): several
     * workers started together create it once. The caller compares {@link #header()} with what it wanted.
     *
     * @param options where
     * @param header  the header of the study to create
     * @return the storage
     */
    public static JdbcStorage createOrJoin(JdbcStudyOptions options, StudyHeader header) {
        return connect(options, header, true);
    }

    /**
     * Creates a study.
     *
     * @throws IllegalArgumentException when a study of that name exists
     */
    public static JdbcStorage create(JdbcStudyOptions options, StudyHeader header) {
        JdbcStorage s = connect(options, header, true);
        if (!s.header().id().equals(header.id())) {
            s.close();
            throw new IllegalArgumentException(options.where() + " already exists; resume it or choose another name");
        }
        return s;
    }

    /**
     * Opens an existing study.
     *
     * @throws IllegalArgumentException when the database has no study of that name
     */
    public static JdbcStorage open(JdbcStudyOptions options) {
        return connect(options, null, false);
    }

    private static JdbcStorage connect(JdbcStudyOptions o, StudyHeader header, boolean create) {
        Objects.requireNonNull(o, "options must not be null");
        Properties p = new Properties();
        if (o.sqlite()) {
            p.setProperty("busy_timeout", "60000");
            p.setProperty("transaction_mode", "IMMEDIATE");
            p.setProperty("journal_mode", "WAL");
            // WAL with NORMAL sync: a commit survives the process being killed (the test SIGKILLs workers); only an
            // operating-system crash can lose the last commits. FULL costs an fsync per claim and outcome.
            p.setProperty("synchronous", "NORMAL");
            p.setProperty("foreign_keys", "true");
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection(o.url(), p);
            Schema.migrate(c, o.sqlite(), o.url().replaceAll("\\?.*", ""));
            Long key = find(c, o.study());
            if (key == null && create) {
                key = insertStudy(c, o, header);
            }
            if (key == null) {
                throw new IllegalArgumentException(o.where() + " does not exist");
            }
            JdbcStorage s = new JdbcStorage(o, c, key);
            s.objectives = s.header().options().objectives().size();
            return s;
        } catch (SQLException e) {
            closeQuietly(c);
            String m = "cannot open " + o.where() + ": " + e.getMessage();
            throw new UncheckedIOException(m, new IOException(m, e));
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static Long find(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM studies WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    /** Inserts the study unless another worker did first; returns its row id either way. */
    private static long insertStudy(Connection c, JdbcStudyOptions o, StudyHeader h) throws SQLException {
        Objects.requireNonNull(h, "header must not be null");
        return Transactions.run(c, () -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO studies (name, uid, format, created_at, metric,"
                    + " data_sha256, options) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, o.study());
                s.setString(2, h.id());
                s.setInt(3, h.format());
                s.setString(4, h.createdAt());
                s.setString(5, h.metric());
                s.setString(6, h.dataSha256());
                s.setString(7, StrictJson.write(h.options()));
                s.executeUpdate();
            }
            long key = find(c, o.study());
            List<io.micromodels.tune.SearchObjective> objectives = h.options().searchObjectives();
            if (!objectives.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO study_objectives (study_id, idx, name, direction)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (study_id, idx) DO NOTHING")) {
                    for (int k = 0; k < objectives.size(); k++) {
                        s.setLong(1, key);
                        s.setInt(2, k);
                        s.setString(3, objectives.get(k).name());
                        s.setString(4, objectives.get(k).direction());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO study_attributes (study_id, name, value) VALUES (?, ?, ?)"
                    + " ON CONFLICT (study_id, name) DO NOTHING")) {
                s.setLong(1, key);
                s.setString(2, "created_by");
                s.setString(3, "micromodels storage-jdbc, schema " + Schema.VERSION);
                s.executeUpdate();
            }
            return key;
        });
    }

    /** @return where the study lives */
    public JdbcStudyOptions options() {
        return options;
    }

    /** @return this worker's name in the {@code trials.worker} column: host, process id and a counter */
    public String worker() {
        return worker;
    }

    @Override
    public synchronized StudyHeader header() {
        try (PreparedStatement s = c.prepareStatement("SELECT uid, format, created_at, options, metric, data_sha256 FROM studies"
                + " WHERE id = ?")) {
            s.setLong(1, studyKey);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException(options.where() + " was deleted");
                }
                // through the header's own reader, which knows the options' optional parts
                com.fasterxml.jackson.databind.node.ObjectNode h = StrictJson.mapper().createObjectNode();
                h.put("format", r.getInt(2));
                h.put("id", r.getString(1));
                h.put("createdAt", r.getString(3));
                h.set("options", StrictJson.mapper().readTree(r.getString(4)));
                h.put("metric", r.getString(5));
                h.put("dataSha256", r.getString(6));
                return StudyHeader.fromJson(h.toString(), options.where());
            }
        } catch (SQLException e) {
            throw failure("read the header of", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(options.where() + ": the options are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public synchronized void updateOptions(StudyOptions o) {
        Objects.requireNonNull(o, "options must not be null");
        try (PreparedStatement s = c.prepareStatement("UPDATE studies SET options = ? WHERE id = ?")) {
            s.setString(1, StrictJson.write(o));
            s.setLong(2, studyKey);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("update the options of", e);
        }
    }

    /** Every trial in number order, after failing other workers' running trials whose heartbeat stopped. */
    @Override
    public synchronized List<TrialRecord> trials() {
        try {
            failStale();
            return read();
        } catch (SQLException e) {
            throw failure("read the trials of", e);
        }
    }

    private List<TrialRecord> read() throws SQLException {
        record Row(long key, String uid, int number, TrialStatus state, String spec, long seed, String metric, int epochs,
                   int bestEpoch, double fitSeconds, double seconds, String failure, double scoreSd, String normalization) {
        }
        // trials first: a trial's point is written with its claim and its values with its outcome, in one
        // transaction each, so everything a row read here refers to is already there (later rows are skipped)
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, uid, number, state, spec, seed, metric, epochs, best_epoch,"
                + " fit_seconds, seconds, failure, score_sd, normalization FROM trials WHERE study_id = ? ORDER BY number")) {
            s.setLong(1, studyKey);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getLong(1), r.getString(2), r.getInt(3), TrialStatus.valueOf(r.getString(4)), r.getString(5),
                            r.getLong(6), r.getString(7), r.getInt(8), r.getInt(9), r.getDouble(10), r.getDouble(11),
                            r.getString(12), nullableDouble(r, 13), r.getString(14)));
                }
            }
        }
        Map<Long, List<Double>> points = doubles("SELECT p.trial_id, p.value FROM trial_params p JOIN trials t ON t.id = p.trial_id"
                + " WHERE t.study_id = ? ORDER BY p.trial_id, p.idx");
        Map<Long, List<Double>> scores = doubles("SELECT v.trial_id, v.value FROM trial_values v JOIN trials t ON t.id = v.trial_id"
                + " WHERE t.study_id = ? AND v.idx = 0");
        Map<Long, List<Double>> values = doubles("SELECT v.trial_id, v.value FROM trial_values v JOIN trials t ON t.id = v.trial_id"
                + " WHERE t.study_id = ? AND v.idx > 0 ORDER BY v.trial_id, v.idx");
        Map<Long, List<Double>> folds = doubles("SELECT f.trial_id, f.value FROM trial_fold_scores f JOIN trials t"
                + " ON t.id = f.trial_id WHERE t.study_id = ? ORDER BY f.trial_id, f.fold");
        Map<Long, List<Double>> rungs = doubles("SELECT g.trial_id, g.value FROM trial_rung_scores g JOIN trials t"
                + " ON t.id = g.trial_id WHERE t.study_id = ? ORDER BY g.trial_id, g.rung");
        List<TrialRecord> out = new ArrayList<>(rows.size());
        for (Row w : rows) {
            boolean told = w.state().finished() && !(w.state() == TrialStatus.FAILED && w.failure().startsWith(LOST));
            double score = told && scores.containsKey(w.key()) ? scores.get(w.key()).get(0) : Double.NaN;
            double[] fold = told ? unbox(folds.get(w.key())) : new double[0];
            double[] objective = new double[0];
            if (w.state().finished() && objectives > 0) {
                // a trial failed as lost, or told without values, has none: NaN for each objective, as a failed trial
                List<Double> got = told ? values.get(w.key()) : null;
                objective = new double[objectives];
                java.util.Arrays.fill(objective, Double.NaN);
                if (got != null) {
                    objective = unbox(got);
                }
                if (objective.length != objectives) {
                    throw new IllegalStateException(options.where() + " trial " + w.number() + " has " + objective.length
                            + " objective values, the study " + objectives);
                }
            }
            MicromodelSpec spec = StrictJson.read(w.spec(), MicromodelSpec.class, options.where() + " trial " + w.number() + " spec");
            out.add(new TrialRecord(w.uid(), w.number(), unbox(points.get(w.key())), spec, w.seed(), score, w.metric(),
                    w.epochs(), w.bestEpoch(), w.fitSeconds(), w.seconds(), w.state(), w.failure(), fold, w.scoreSd(),
                    objective, told ? unbox(rungs.get(w.key())) : new double[0], normalization(w.normalization(), w.number())));
        }
        return out;
    }

    /** A trial's encoding of numeric features as stored (NULL: recorded before encodings were, or by an older version). */
    private io.micromodels.data.Normalization normalization(String stored, int number) {
        if (stored == null) {
            return null;
        }
        try {
            return io.micromodels.data.Normalization.valueOf(stored);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(options.where() + " trial " + number + " has normalization '" + stored
                    + "', not one of " + java.util.Arrays.toString(io.micromodels.data.Normalization.values()), e);
        }
    }

    private Map<Long, List<Double>> doubles(String sql) throws SQLException {
        Map<Long, List<Double>> m = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, studyKey);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    m.computeIfAbsent(r.getLong(1), k -> new ArrayList<>()).add(nullableDouble(r, 2));
                }
            }
        }
        return m;
    }

    private static double nullableDouble(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? Double.NaN : v;
    }

    private static double[] unbox(List<Double> values) {
        if (values == null) {
            return new double[0];
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    @Override
    public TrialRecord claim(IntFunction<TrialRecord> running) {
        return claimWithin(Integer.MAX_VALUE, running).orElseThrow();
    }

    /** Counts, compares with the limit, takes the next number and inserts the running trial, in one transaction. */
    @Override
    public synchronized Optional<TrialRecord> claimWithin(int limit, IntFunction<TrialRecord> running) {
        Objects.requireNonNull(running, "running must not be null");
        TrialRecord r;
        long key;
        try {
            c.setAutoCommit(false); // SQLite: BEGIN IMMEDIATE, the database's write lock until commit
            try {
                if (!options.sqlite()) {
                    try (PreparedStatement s = c.prepareStatement("SELECT id FROM studies WHERE id = ? FOR UPDATE")) {
                        s.setLong(1, studyKey);
                        s.executeQuery().close();
                    }
                }
                long counting = single("SELECT COUNT(*) FROM trials WHERE study_id = ? AND NOT " + LOST_SQL);
                if (counting >= limit) {
                    c.rollback();
                    return Optional.empty();
                }
                int number = (int) single("SELECT COALESCE(MAX(number), 0) + 1 FROM trials WHERE study_id = ?");
                r = Objects.requireNonNull(running.apply(number), "running record");
                if (r.number() != number || r.status() != TrialStatus.RUNNING) {
                    throw new IllegalArgumentException("claimed trial " + number + " must be RUNNING with that number, got "
                            + r.status() + " number " + r.number());
                }
                key = insertTrial(r, worker);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("claim a trial of", e);
        }
        mine.put(r.number(), key);
        startBeating();
        return Optional.of(r);
    }

    private long single(String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, studyKey);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Inserts a trial (running or finished) with its point, values and folds; returns its row id. */
    private long insertTrial(TrialRecord r, String by) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO trials (study_id, number, uid, state, spec, seed, metric,"
                + " epochs, best_epoch, fit_seconds, seconds, failure, score_sd, worker, normalization, heartbeat, started_at,"
                + " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + now + ", " + now + ", "
                + (r.finished() ? now : "NULL") + ")")) {
            s.setLong(1, studyKey);
            s.setInt(2, r.number());
            s.setString(3, r.id());
            s.setString(4, r.status().name());
            s.setString(5, StrictJson.write(r.spec()));
            s.setLong(6, r.seed());
            s.setString(7, r.metric());
            s.setInt(8, r.epochs());
            s.setInt(9, r.bestEpoch());
            s.setDouble(10, r.fitSeconds());
            s.setDouble(11, r.seconds());
            s.setString(12, r.failure());
            setNullable(s, 13, r.scoreSd());
            s.setString(14, by);
            s.setString(15, r.normalization() == null ? null : r.normalization().name());
            s.executeUpdate();
        }
        long key;
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM trials WHERE study_id = ? AND number = ?")) {
            s.setLong(1, studyKey);
            s.setInt(2, r.number());
            try (ResultSet q = s.executeQuery()) {
                q.next();
                key = q.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO trial_params (trial_id, idx, value) VALUES (?, ?, ?)")) {
            double[] p = r.point();
            for (int i = 0; i < p.length; i++) {
                s.setLong(1, key);
                s.setInt(2, i);
                s.setDouble(3, p[i]);
                s.addBatch();
            }
            if (p.length > 0) {
                s.executeBatch();
            }
        }
        if (r.finished()) {
            insertOutcome(key, r);
        }
        return key;
    }

    private void insertOutcome(long key, TrialRecord r) throws SQLException {
        for (String table : List.of("trial_values", "trial_fold_scores", "trial_rung_scores")) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE trial_id = ?")) {
                s.setLong(1, key);
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO trial_values (trial_id, idx, value) VALUES (?, 0, ?)")) {
            s.setLong(1, key);
            setNullable(s, 2, r.score());
            s.executeUpdate();
        }
        double[] v = r.values();
        if (v.length > 0) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO trial_values (trial_id, idx, value) VALUES (?, ?, ?)")) {
                for (int k = 0; k < v.length; k++) {
                    s.setLong(1, key);
                    s.setInt(2, k + 1);
                    setNullable(s, 3, v[k]);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        double[] g = r.rungScores();
        if (g.length > 0) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO trial_rung_scores (trial_id, rung, value) VALUES (?, ?, ?)")) {
                for (int i = 0; i < g.length; i++) {
                    s.setLong(1, key);
                    s.setInt(2, i);
                    setNullable(s, 3, g[i]);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
        double[] f = r.foldScores();
        if (f.length > 0) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO trial_fold_scores (trial_id, fold, value) VALUES (?, ?, ?)")) {
                for (int i = 0; i < f.length; i++) {
                    s.setLong(1, key);
                    s.setInt(2, i);
                    setNullable(s, 3, f[i]);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    private static void setNullable(PreparedStatement s, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            s.setNull(i, Types.DOUBLE);
        } else {
            s.setDouble(i, v);
        }
    }

    @Override
    public synchronized void tell(TrialRecord finished) {
        Objects.requireNonNull(finished, "finished must not be null");
        Long key = mine.get(finished.number());
        if (key == null) {
            throw new IllegalStateException("trial " + finished.number() + " was not claimed here or was already told; a trial"
                    + " is told once, by the worker that claimed it");
        }
        if (!finished.finished()) {
            throw new IllegalArgumentException("trial " + finished.number() + " must be told finished, got " + finished.status());
        }
        try {
            c.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement s = c.prepareStatement("UPDATE trials SET state = ?, spec = ?, metric = ?, epochs = ?,"
                        + " best_epoch = ?, fit_seconds = ?, seconds = ?, failure = ?, score_sd = ?, heartbeat = " + now
                        + ", finished_at = " + now + " WHERE id = ? AND uid = ? AND worker = ? AND (state = 'RUNNING' OR "
                        + LOST_SQL + ")")) {
                    s.setString(1, finished.status().name());
                    s.setString(2, StrictJson.write(finished.spec()));
                    s.setString(3, finished.metric());
                    s.setInt(4, finished.epochs());
                    s.setInt(5, finished.bestEpoch());
                    s.setDouble(6, finished.fitSeconds());
                    s.setDouble(7, finished.seconds());
                    s.setString(8, finished.failure());
                    setNullable(s, 9, finished.scoreSd());
                    s.setLong(10, key);
                    s.setString(11, finished.id());
                    s.setString(12, worker);
                    updated = s.executeUpdate();
                }
                if (updated != 1) {
                    throw new IllegalStateException("trial " + finished.number() + " (id " + finished.id() + ") is not running"
                            + " in " + options.where() + " under this worker; it was told already");
                }
                insertOutcome(key, finished);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("record trial " + finished.number() + " of", e);
        }
        mine.remove(finished.number());
    }

    /** Fails other workers' running trials whose heartbeat is older than the timeout. */
    private void failStale() throws SQLException {
        long timeoutMs = Math.round(options.heartbeatSeconds() * 1000);
        Map<Long, String> stale = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, worker, " + now + " - heartbeat FROM trials WHERE study_id = ?"
                + " AND state = 'RUNNING' AND worker <> ? AND heartbeat < " + now + " - ?")) {
            s.setLong(1, studyKey);
            s.setString(2, worker);
            s.setLong(3, timeoutMs);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    stale.put(r.getLong(1), String.format(Locale.ROOT, "%sno heartbeat from worker %s for %.1f s (timeout %.1f s):"
                            + " its process stopped; failed by worker %s", LOST, r.getString(2), r.getLong(3) / 1000.0,
                            options.heartbeatSeconds(), worker));
                }
            }
        }
        for (Map.Entry<Long, String> e : stale.entrySet()) {
            failLost(e.getKey(), e.getValue(), timeoutMs);
        }
    }

    /** Fails one running trial as lost (if it is still running and stale, when timeoutMs >= 0); one transaction. */
    private void failLost(long key, String failure, long timeoutMs) throws SQLException {
        Transactions.run(c, () -> {
            int updated;
            try (PreparedStatement s = c.prepareStatement("UPDATE trials SET state = 'FAILED', failure = ?, finished_at = " + now
                    + " WHERE id = ? AND state = 'RUNNING'" + (timeoutMs >= 0 ? " AND heartbeat < " + now + " - ?" : ""))) {
                s.setString(1, failure);
                s.setLong(2, key);
                if (timeoutMs >= 0) {
                    s.setLong(3, timeoutMs);
                }
                updated = s.executeUpdate();
            }
            if (updated == 1) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO trial_attributes (trial_id, name, value) VALUES (?, ?, ?)")) {
                    s.setLong(1, key);
                    s.setString(2, "failed_by");
                    s.setString(3, worker);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    private void startBeating() {
        if (beat != null) {
            return;
        }
        beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "micromodels-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.round(options.heartbeatSeconds() * 250));
        beat.scheduleAtFixedRate(this::beatOnce, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops beating without closing, as a worker that hangs would (for tests). */
    synchronized void stopHeartbeat() {
        if (beat != null) {
            beat.shutdownNow();
        }
    }

    /** Updates the heartbeat of the trials running here (never throws: a failed beat is retried at the next). */
    private synchronized void beatOnce() {
        if (mine.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE trials SET heartbeat = " + now + " WHERE study_id = ? AND worker = ?"
                + " AND state = 'RUNNING'")) {
            s.setLong(1, studyKey);
            s.setString(2, worker);
            s.executeUpdate();
            beatFailure = null;
        } catch (SQLException e) {
            beatFailure = e;
        } catch (RuntimeException e) {
            beatFailure = new SQLException(e);
        }
    }

    /**
     * Copies a folder study into a new database study: header and every finished trial as recorded (numbers, points,
     * scores, folds, timings), in one transaction; the study attribute {@code imported_from} names the folder.
     *
     * @param folder  the journal to copy (it is only read)
     * @param options where the new study goes (its name must be free)
     * @return the new study's storage
     */
    public static JdbcStorage importJournal(JournalStorage folder, JdbcStudyOptions options) {
        List<TrialRecord> trials = folder.trials().stream().filter(TrialRecord::finished).toList();
        JdbcStorage s = create(options, folder.header());
        try {
            synchronized (s) {
                s.c.setAutoCommit(false);
                try {
                    for (TrialRecord r : trials) {
                        s.insertTrial(r, "import");
                    }
                    try (PreparedStatement p = s.c.prepareStatement("INSERT INTO study_attributes (study_id, name, value)"
                            + " VALUES (?, ?, ?)")) {
                        p.setLong(1, s.studyKey);
                        p.setString(2, "imported_from");
                        p.setString(3, folder.dir().toAbsolutePath().toString());
                        p.executeUpdate();
                    }
                    s.c.commit();
                } catch (SQLException | RuntimeException e) {
                    s.c.rollback();
                    throw e;
                } finally {
                    s.c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            s.close();
            throw s.failure("import " + folder.dir() + " into", e);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * Copies this study into a new folder study ({@code study.json}, {@code trials.jsonl} with every trial in number
     * order), refusing while trials are running (their outcome would be missing from the copy).
     *
     * @param dir the new study folder (must not hold a study)
     * @return the folder study, opened from disk again
     * @throws IllegalStateException when trials are running
     */
    public JournalStorage exportJournal(Path dir) {
        List<TrialRecord> all = trials();
        long running = all.stream().filter(r -> !r.finished()).count();
        if (running > 0) {
            throw new IllegalStateException(options.where() + " has " + running + " running trials; export it when they"
                    + " finish (or, if their workers stopped, after the heartbeat timeout of " + options.heartbeatSeconds()
                    + " s)");
        }
        JournalStorage.create(dir, header());
        StringBuilder lines = new StringBuilder();
        for (TrialRecord r : all) {
            lines.append(r.toJsonLine()).append('\n');
        }
        Path file = dir.resolve(JournalStorage.TRIALS_FILE);
        try {
            AtomicFiles.write(file, true, lines.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return JournalStorage.open(dir);
    }

    /** Stops the heartbeat, fails the trials still running here as lost, and closes the connection. */
    @Override
    public synchronized void close() {
        if (beat != null) {
            beat.shutdownNow();
        }
        try {
            if (!c.isClosed()) {
                for (long key : List.copyOf(mine.values())) {
                    failLost(key, LOST + "worker " + worker + " closed the study while the trial was running", -1);
                }
            }
        } catch (SQLException ignored) {
            // the connection is closed next; other workers fail these trials after the heartbeat timeout
        } finally {
            mine.clear();
            closeQuietly(c);
        }
    }

    private UncheckedIOException failure(String what, SQLException e) {
        String m = "cannot " + what + " " + options.where() + ": " + e.getMessage();
        return new UncheckedIOException(m, new IOException(m, e));
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing to do
            }
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

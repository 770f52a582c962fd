package io.micromodels.tune.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * The database schema of studies and its migrations, keyed by version: {@code schema_version} holds one row per
 * migration applied; opening a database applies the missing ones in order, each in its own transaction, and refuses a
 * database whose version is newer than this code's. Tables:
 * <ul>
 *   <li>{@code studies}: name (unique), the header (id, format, creation time, metric, data SHA-256, options JSON);</li>
 *   <li>{@code study_attributes}: name/value pairs (who created it, where it was imported from);</li>
 *   <li>{@code trials}: number (unique in a study), trial id, state, spec JSON, seed, epochs, timings, failure, the
 *       folds' standard deviation (NULL when NaN), the claiming worker, its heartbeat and start/finish times (milliseconds of the database's clock);</li>
 *   <li>{@code trial_params}: the point, one row per coordinate of the unit cube;</li>
 *   <li>{@code trial_values}: the score at index 0 and, in a multi-objective study, objective {@code k}'s value at
 *       index {@code k + 1} (NULL when NaN);</li>
 *   <li>{@code study_objectives} (version 2): a multi-objective study's objectives, index {@code k}, name and direction
 *       ({@code maximize} or {@code minimize}); no rows for a single-objective study;</li>
 *   <li>{@code trial_fold_scores}: per-fold scores under cross-validation;</li>
 *   <li>{@code trial_rung_scores}: with successive halving, the validation score at each rung a trial reached (version
 *       3, which also lets {@code trials.state} be {@code PARTIAL});</li>
 *   <li>{@code trial_attributes}: name/value pairs (which worker failed a lost trial);</li>
 *   <li>{@code trials.normalization} (version 4): the encoding of numeric features the trial trained on (the enum's
 *       name; NULL for trials recorded before).</li>
 * </ul>
 */
final class Schema {
    /** The version this code writes and reads. */
    static final int VERSION = 4;

    private Schema() {
    }

    /** One migration: the statements taking the schema from {@code version - 1} to {@code version}. */
    record Migration(int version, String description, List<String> statements) {
    }

    /** Every migration, in version order ({@code %ID%} is the dialect's auto-numbered primary key). */
    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "studies, trials, points, values, folds, attributes",
            List.of(
                    "CREATE TABLE studies (id %ID%, name TEXT NOT NULL UNIQUE, uid TEXT NOT NULL, format INTEGER NOT NULL,"
                            + " created_at TEXT NOT NULL, metric TEXT NOT NULL, data_sha256 TEXT NOT NULL, options TEXT NOT NULL)",
                    "CREATE TABLE study_attributes (study_id BIGINT NOT NULL REFERENCES studies(id), name TEXT NOT NULL,"
                            + " value TEXT NOT NULL, PRIMARY KEY (study_id, name))",
                    "CREATE TABLE trials (id %ID%, study_id BIGINT NOT NULL REFERENCES studies(id), number INTEGER NOT NULL,"
                            + " uid TEXT NOT NULL, state TEXT NOT NULL, spec TEXT NOT NULL, seed BIGINT NOT NULL,"
                            + " metric TEXT NOT NULL, epochs INTEGER NOT NULL, best_epoch INTEGER NOT NULL,"
                            + " fit_seconds DOUBLE PRECISION NOT NULL, seconds DOUBLE PRECISION NOT NULL, failure TEXT NOT NULL,"
                            + " score_sd DOUBLE PRECISION,"
                            + " worker TEXT NOT NULL, heartbeat BIGINT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT,"
                            + " UNIQUE (study_id, number), UNIQUE (study_id, uid))",
                    "CREATE INDEX trials_state ON trials (study_id, state)",
                    "CREATE TABLE trial_params (trial_id BIGINT NOT NULL REFERENCES trials(id), idx INTEGER NOT NULL,"
                            + " value DOUBLE PRECISION NOT NULL, PRIMARY KEY (trial_id, idx))",
                    "CREATE TABLE trial_values (trial_id BIGINT NOT NULL REFERENCES trials(id), idx INTEGER NOT NULL,"
                            + " value DOUBLE PRECISION, PRIMARY KEY (trial_id, idx))",
                    "CREATE TABLE trial_fold_scores (trial_id BIGINT NOT NULL REFERENCES trials(id), fold INTEGER NOT NULL,"
                            + " value DOUBLE PRECISION, PRIMARY KEY (trial_id, fold))",
                    "CREATE TABLE trial_attributes (trial_id BIGINT NOT NULL REFERENCES trials(id), name TEXT NOT NULL,"
                            + " value TEXT NOT NULL, PRIMARY KEY (trial_id, name))")),
            new Migration(2, "objectives of multi-objective studies", List.of(
                    "CREATE TABLE study_objectives (study_id BIGINT NOT NULL REFERENCES studies(id), idx INTEGER NOT NULL,"
                            + " name TEXT NOT NULL, direction TEXT NOT NULL, PRIMARY KEY (study_id, idx))")),
            // version 3 also marks the trial state PARTIAL: an older micromodels refuses the database instead of failing
            // on a state it does not know
            new Migration(3, "successive halving: rung scores, PARTIAL trials", List.of(
                    "CREATE TABLE trial_rung_scores (trial_id BIGINT NOT NULL REFERENCES trials(id), rung INTEGER NOT NULL,"
                            + " value DOUBLE PRECISION, PRIMARY KEY (trial_id, rung))")),
            // NULL for trials recorded before (their study's data options' encoding)
            new Migration(4, "the encoding of numeric features each trial trained on", List.of(
                    "ALTER TABLE trials ADD COLUMN normalization TEXT")));

    /**
     * Brings the database to {@link #VERSION}, applying the missing migrations (several workers opening a new database
     * at once apply each migration once: SQLite's write transaction or PostgreSQL's advisory lock serialises them).
     *
     * @param c      a connection with auto-commit on
     * @param sqlite whether the database is SQLite (else PostgreSQL)
     * @param where  the database, for messages
     */
    static void migrate(Connection c, boolean sqlite, String where) throws SQLException {
        Transactions.run(c, () -> {
            try (Statement s = c.createStatement()) {
                if (!sqlite) {
                    s.execute("SELECT pg_advisory_xact_lock(7243118411)");
                }
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL,"
                        + " description TEXT NOT NULL)");
                int current;
                try (ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                    r.next();
                    current = r.getInt(1);
                }
                if (current > VERSION) {
                    throw new IllegalArgumentException(where + " has schema version " + current + ", newer than this micromodels' "
                            + VERSION + "; use a newer micromodels");
                }
                for (Migration m : MIGRATIONS) {
                    if (m.version() <= current) {
                        continue;
                    }
                    for (String sql : m.statements()) {
                        s.execute(sql.replace("%ID%", sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"));
                    }
                    try (var p = c.prepareStatement("INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)")) {
                        p.setInt(1, m.version());
                        p.setString(2, Instant.now().toString());
                        p.setString(3, m.description());
                        p.executeUpdate();
                    }
                }
            }
            return null;
        });
    }
}

package io.micromodels.tune.jdbc;

import java.util.Locale;

/**
 * Where a database study lives and how its workers watch each other: immutable and validated.
 *
 * @param url              the JDBC URL: {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST[:PORT]/DB}
 *                         (user and password as URL parameters, {@code ?user=U&password=P})
 * @param study            the study's name in that database: 1 to 200 characters, no control characters
 * @param heartbeatSeconds a running trial whose worker has not beaten for this long is failed as lost by any other
 *                         worker, in {@code [1, 86400]}; workers beat every quarter of it
 */
public record JdbcStudyOptions(String url, String study, double heartbeatSeconds) {
    /** Default heartbeat timeout, seconds. */
    public static final double DEFAULT_HEARTBEAT_SECONDS = 60;

    /** Validates the fields; messages name the field, what is allowed and the value. */
    public JdbcStudyOptions {
        if (url == null || !(url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("storage must be a JDBC URL jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB, got "
                    + (url == null ? "null" : "'" + url + "'"));
        }
        if (url.equals("jdbc:sqlite:") || url.startsWith("jdbc:sqlite::memory") || url.equals("jdbc:sqlite:file::memory:")) {
            throw new IllegalArgumentException("storage jdbc:sqlite: needs a file (an in-memory database is not shared), got '"
                    + url + "'");
        }
        if (study == null || study.isEmpty() || study.length() > 200 || study.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("study must be a name of 1 to 200 characters without control characters, got "
                    + (study == null ? "null" : "'" + study + "'"));
        }
        if (!(heartbeatSeconds >= 1 && heartbeatSeconds <= 86_400)) {
            throw new IllegalArgumentException("heartbeatSeconds must be in [1, 86400], got " + heartbeatSeconds);
        }
    }

    /** @return the options with the default heartbeat timeout */
    public static JdbcStudyOptions of(String url, String study) {
        return new JdbcStudyOptions(url, study, DEFAULT_HEARTBEAT_SECONDS);
    }

    /** @return whether the URL names a SQLite database */
    public boolean sqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** @return the URL without its parameters (no password), for messages */
    public String where() {
        int q = url.indexOf('?');
        return (q < 0 ? url : url.substring(0, q)) + " study '" + study + "'";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (heartbeat %.1f s)", where(), heartbeatSeconds);
    }
}

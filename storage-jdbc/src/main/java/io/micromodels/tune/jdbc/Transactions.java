package io.micromodels.tune.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** One transaction on a connection whose auto-commit is on: commit when the work returns, roll back when it throws. */
final class Transactions {
    private Transactions() {
    }

    /** Work done inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on {@code c} (on SQLite, BEGIN IMMEDIATE: the connection's transaction
     * mode), commits and returns its value; on any exception rolls back and rethrows it. Auto-commit is on again after.
     */
    static <T> T run(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T value = work.run();
            c.commit();
            return value;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}

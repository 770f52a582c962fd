/**
 * Studies kept in a database through plain JDBC ({@link io.micromodels.tune.jdbc.JdbcStorage}): SQLite for one
 * machine, PostgreSQL for many, so that any number of {@code tune} processes share one study.
 */
package io.micromodels.tune.jdbc;

/**
 * The database: the connection pool, the jOOQ context over it and dedicated connections for LISTEN
 * and session locks ({@link io.rowstream.db.Database}); the embedded PostgreSQL a node starts when
 * no database is configured ({@link io.rowstream.db.EmbeddedDatabase}); the schema's migrations and
 * repeatable SQL files ({@link io.rowstream.db.Migrations}); session advisory locks
 * ({@link io.rowstream.db.AdvisoryLock}) and the one registry of their keys
 * ({@link io.rowstream.db.AdvisoryLocks}); LISTEN/NOTIFY ({@link io.rowstream.db.Notifications},
 * {@link io.rowstream.db.NotificationListener}); the names of the segment storage tables and the
 * retry of a read that finds one dropped ({@link io.rowstream.db.StorageTable}); and the
 * translation of SQLStates into broker errors
 * ({@link io.rowstream.db.SqlErrors}), done once here for every door. The jOOQ classes generated
 * from the migrated schema live in {@code io.rowstream.db.schema} ({@code src/main/jooq}).
 *
 * <p>May use: {@code error} ({@code BrokerError}, {@code BrokerException},
 * {@code BrokerFailures}). Used by every package that keeps rows; with the stores, the only package
 * that may use jOOQ or JDBC.
 */
package io.rowstream.db;

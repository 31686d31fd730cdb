package io.rowstream.db;

import java.sql.SQLException;
import org.jooq.Name;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The table of one segment storage, {@code rowstream_chunks.s<storage_id>}, a partition of
 * {@code chunk}, made by {@code create_chunk_storage} ({@code sql/R__segment_functions.sql}).
 * Queries that know their storage address it by name rather than through {@code chunk}:
 * PostgreSQL then plans over one table, and does not route through a partition descriptor that a
 * concurrent {@code DETACH ... CONCURRENTLY} can leave stale.
 */
public final class StorageTable {
  /**
   * How often a read is tried when a table it addresses is gone. Maintenance drops a storage's
   * table in the transaction that deletes (or, for compaction, replaces) its segment, so a statement
   * whose snapshot still sees the segment can find the table dropped, SQLSTATE 42P01. Tried again,
   * the statement takes a new snapshot, which sees the new log start or the new storage; a second
   * drop under the same read needs a second maintenance pass.
   * See {@link #readRetryingDrops}.
   */
  public static final int READ_ATTEMPTS = 3;

  private static final String UNDEFINED_TABLE = "42P01";

  private StorageTable() {}

  /** A read that addresses storage tables by name. */
  @FunctionalInterface
  public interface Read<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code read}, again while it fails because a table it addressed was dropped meanwhile, at
   * most {@link #READ_ATTEMPTS} times; each run takes a new snapshot. Any other failure, and the
   * last one, propagate as they are.
   */
  public static <T, E extends Exception> T readRetryingDrops(Read<T, E> read) throws E {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.run();
      } catch (Exception e) {
        if (!UNDEFINED_TABLE.equals(sqlState(e)) || attempt == READ_ATTEMPTS) {
          throw e; // precisely E, or unchecked
        }
      }
    }
  }

  private static String sqlState(Exception e) {
    return e instanceof SQLException sql
        ? sql.getSQLState()
        : e instanceof DataAccessException dae ? dae.sqlState() : null;
  }

  /** The name of storage {@code storageId}'s table, for the stores that address it. */
  public static Name of(long storageId) {
    return DSL.name("rowstream_chunks", "s" + storageId);
  }
}

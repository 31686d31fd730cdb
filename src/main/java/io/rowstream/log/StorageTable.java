package io.rowstream.log;

import org.jooq.Name;
import org.jooq.impl.DSL;

/**
 * The table of one segment storage, {@code rowstream_chunks.s<storage_id>}, a partition of
 * {@code chunk} (migration V15). Queries that know their storage address it by name rather than
 * through {@code chunk}: PostgreSQL then plans over one table, and does not route through a
 * partition descriptor that a concurrent {@code DETACH ... CONCURRENTLY} can leave stale.
 */
public final class StorageTable {
  /**
   * How often a read is tried when a table it addresses is gone. Maintenance drops a storage's
   * table in the transaction that deletes (or, for compaction, replaces) its segment, so a statement
   * whose snapshot still sees the segment can find the table dropped, SQLSTATE 42P01
   * ({@link #isDropped}). Tried again, the statement takes a new snapshot, which sees the new log
   * start or the new storage; a second drop under the same read needs a second maintenance pass.
   */
  public static final int READ_ATTEMPTS = 3;
  private static final String UNDEFINED_TABLE = "42P01";

  private StorageTable() {}

  /** Whether a failed statement addressed a storage table that maintenance has dropped meanwhile. */
  public static boolean isDropped(String sqlState) {
    return UNDEFINED_TABLE.equals(sqlState);
  }

  public static Name of(long storageId) {
    return DSL.name("rowstream_chunks", "s" + storageId);
  }
}

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
  private StorageTable() {}

  public static Name of(long storageId) {
    return DSL.name("rowstream_chunks", "s" + storageId);
  }
}

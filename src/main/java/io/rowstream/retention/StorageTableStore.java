package io.rowstream.retention;

import io.rowstream.db.StorageTable;
import io.rowstream.db.Tx;
import java.time.Duration;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The DDL of segment storage tables ({@code rowstream_chunks.s<storage_id>}, see
 * {@link StorageTable}) as {@link StorageDropper} runs it on its session: where a table stands
 * toward {@code chunk} (from {@code pg_inherits}), detaching it (concurrently, or finishing a detach
 * left pending), attaching it back, dropping it, and the session's lock timeout. A statement that
 * gave up waiting for a lock (SQLSTATE 55P03) returns false; any other failure propagates.
 *
 * <p>Run in autocommit: {@code DETACH PARTITION ... CONCURRENTLY} cannot run inside a
 * transaction block.
 */
final class StorageTableStore {
  /** PostgreSQL's lock_not_available: a statement gave up waiting for a lock (lock_timeout). */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  /** Where a storage's table stands toward {@code chunk}. */
  enum Attachment {
    /** A partition of {@code chunk}. */
    ATTACHED,
    /** Still listed as a partition, but a {@code DETACH ... CONCURRENTLY} was cut short. */
    DETACH_PENDING,
    /** Not a partition of {@code chunk} (any more): detached, or no such table. */
    NOT_ATTACHED
  }

  private final DSLContext dsl;

  StorageTableStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** How long each next statement on this session waits for a lock before it fails. */
  void setLockTimeout(Duration timeout) {
    dsl.execute("set lock_timeout = '" + timeout.toMillis() + "ms'");
  }

  /** Gives the session its own lock timeout back (the one it was opened with). */
  void resetLockTimeout() {
    dsl.execute("reset lock_timeout");
  }

  /** Where the storage's table stands toward {@code chunk}. */
  Attachment attachment(long storage) {
    return dsl.resultQuery(
            "select i.inhdetachpending from pg_inherits i"
                + " where i.inhrelid = to_regclass({0}) and i.inhparent = 'rowstream.chunk'::regclass",
            DSL.val(table(storage)))
        .fetchOptional(r -> r.get(0, Boolean.class))
        .map(pending -> pending ? Attachment.DETACH_PENDING : Attachment.ATTACHED)
        .orElse(Attachment.NOT_ATTACHED);
  }

  /**
   * Detaches the table with {@code DETACH PARTITION CONCURRENTLY}, which takes only SHARE UPDATE
   * EXCLUSIVE on {@code chunk} and waits for the queries that read it through {@code chunk}; false
   * when it gave up waiting for a lock.
   */
  boolean detachConcurrently(long storage) {
    return unlessLockTimeout(
        "alter table rowstream.chunk detach partition " + table(storage) + " concurrently");
  }

  /** Finishes a detach that was cut short ({@code FINALIZE}); false when it gave up waiting for a lock. */
  boolean finishDetach(long storage) {
    return unlessLockTimeout(
        "alter table rowstream.chunk detach partition " + table(storage) + " finalize");
  }

  /**
   * Attaches the table back to {@code chunk} as the partition of its storage id (its CHECK
   * constraint proves the bound, so the attach does not scan it); false when it gave up waiting
   * for a lock.
   */
  boolean attach(long storage) {
    return unlessLockTimeout("alter table rowstream.chunk attach partition " + table(storage)
        + " for values in (" + storage + ")");
  }

  /** Drops the table if it exists; false when it gave up waiting for a lock. */
  boolean dropIfExists(long storage) {
    return unlessLockTimeout("drop table if exists " + table(storage));
  }

  /** Runs a DDL statement; false when it gave up waiting for a lock. */
  private boolean unlessLockTimeout(String ddl) {
    try {
      dsl.execute(ddl);
      return true;
    } catch (DataAccessException e) {
      if (LOCK_NOT_AVAILABLE.equals(e.sqlState())) {
        return false;
      }
      throw e;
    }
  }

  /** {@code "rowstream_chunks"."s<id>"}, quoted. */
  private static String table(long storage) {
    return StorageTable.of(storage).toString();
  }
}

package io.rowstream.retention;

import io.rowstream.db.AdvisoryLock;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.log.StorageTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes segment storages out of {@code chunk} and gives their space back to the file system:
 * detaches each table with {@code DETACH PARTITION CONCURRENTLY} (which takes only SHARE UPDATE
 * EXCLUSIVE on {@code chunk} and waits for the queries that read it through {@code chunk}), then
 * drops it. No row is deleted, so nothing is left for vacuum.
 *
 * <p>Retention detaches the tables of the segments it is about to delete while the segments still
 * point to them ({@link #detach}; a detached table stays readable by name, as appends and fetches
 * address it), then drops them in the transaction that deletes the segments
 * ({@link SegmentStore#deleteSegmentsBefore}). Storages no segment points to any more (replaced by
 * compaction, of a deleted topic, or left by a pass cut short) go through {@link #dropUnreferenced};
 * a detached table a segment still points to goes back into {@code chunk} ({@link #reattachReferenced}).
 * A statement whose snapshot still sees a segment may find its table gone (SQLSTATE 42P01); readers
 * retry with a new snapshot, which sees the new log start ({@code log.StorageTable}).
 *
 * <p>Each step can be cut short (a node dying, a lock timeout) and is taken up again by the next
 * call: a detach left pending is finished with {@code FINALIZE}, a detached table is dropped, and
 * the storage row goes last. A storage is worked on by one session at a time (an advisory lock
 * per storage), so several nodes may call this at once.
 */
public final class StorageDropper {
  private static final Logger LOG = LoggerFactory.getLogger(StorageDropper.class);
  /** At most this many storages per call, so that one call stays short. */
  static final int BATCH = 100;
  /** How long a detach or drop waits for a lock before it gives up until the next pass. */
  static final String LOCK_TIMEOUT = "1s";

  private final DataSource dataSource;
  private final SegmentStore segments;

  StorageDropper(DataSource dataSource, SegmentStore segments) {
    this.dataSource = dataSource;
    this.segments = segments;
  }

  /**
   * Detaches the given storages' tables from {@code chunk}, without dropping them; returns those
   * no longer attached (detached now or before, or gone). A storage another session is working
   * on, or whose detach timed out waiting for a lock, is left out, to be tried again next pass.
   */
  Set<Long> detach(Collection<Long> storages) {
    Set<Long> detached = new HashSet<>();
    if (storages.isEmpty()) {
      return detached;
    }
    try {
      inSession(c -> {
        for (long storage : storages) {
          if (!lock(storage).tryLock(c)) {
            continue; // another session is on it
          }
          try {
            if (detach(c, storage)) {
              detached.add(storage);
            }
          } finally {
            lock(storage).unlock(c);
          }
        }
        return null;
      });
    } catch (SQLException e) {
      LOG.warn("detaching segment storage failed error={}", e.getMessage());
    }
    return detached;
  }

  /**
   * Attaches back to {@code chunk} up to {@link #BATCH} tables that retention detached and then did
   * not drop, because a segment still points to them: its delete failed, or the topic's retention
   * was raised before the next pass. Appends and fetches read such a table by name all along; this
   * makes {@code chunk}, and SQL over it, whole again. The table's CHECK constraint proves the
   * partition bound, so the attach does not scan it. Returns how many were attached.
   */
  int reattachReferenced() {
    List<Long> storages = segments.detachedReferencedStorages(BATCH);
    if (storages.isEmpty()) {
      return 0;
    }
    try {
      return inSession(c -> {
        int attached = 0;
        for (long storage : storages) {
          if (!lock(storage).tryLock(c)) {
            continue; // another session is on it
          }
          String table = table(storage);
          try (Statement s = c.createStatement()) {
            if (attachment(c, table) == null) { // checked again under the storage's lock
              s.execute("alter table rowstream.chunk attach partition " + table + " for values in ("
                  + storage + ")");
              LOG.info("segment storage attached again storageId={}", storage);
              attached++;
            }
          } catch (SQLException e) {
            busy(e, storage);
          } finally {
            lock(storage).unlock(c);
          }
        }
        return attached;
      });
    } catch (SQLException e) {
      LOG.warn("attaching segment storage failed error={}", e.getMessage());
      return 0;
    }
  }

  /** Drops up to {@link #BATCH} unreferenced storages; returns how many went. */
  public int dropUnreferenced() {
    List<Long> storages = segments.unreferencedStorages(BATCH);
    if (storages.isEmpty()) {
      return 0;
    }
    try {
      return inSession(c -> {
        int dropped = 0;
        for (long storage : storages) {
          if (drop(c, storage)) {
            dropped++;
          }
        }
        return dropped;
      });
    } catch (SQLException e) {
      LOG.warn("dropping segment storage failed error={}", e.getMessage());
      return 0;
    }
  }

  /**
   * Runs {@code work} on a pooled connection in autocommit (DETACH ... CONCURRENTLY cannot run
   * inside a transaction block) with {@link #LOCK_TIMEOUT}, reset before the connection goes back.
   */
  private <T> T inSession(SessionWork<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("set lock_timeout = '" + LOCK_TIMEOUT + "'");
      }
      try {
        return work.run(c);
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("reset lock_timeout");
        }
      }
    }
  }

  @FunctionalInterface
  private interface SessionWork<T> {
    T run(Connection c) throws SQLException;
  }

  private boolean drop(Connection c, long storage) throws SQLException {
    if (!lock(storage).tryLock(c)) {
      return false; // another node is on it
    }
    try {
      if (!detach(c, storage)) {
        return false;
      }
      try (Statement s = c.createStatement()) {
        s.execute("drop table if exists " + table(storage));
      } catch (SQLException e) {
        return busy(e, storage);
      }
      segments.forgetStorages(List.of(storage));
      LOG.info("segment storage dropped storageId={}", storage);
      return true;
    } finally {
      lock(storage).unlock(c);
    }
  }

  /**
   * Detaches one storage's table from {@code chunk} unless it is not attached (any more): finishes
   * a detach left pending, else detaches concurrently. Whether the table is now out of {@code chunk}.
   */
  private static boolean detach(Connection c, long storage) throws SQLException {
    String table = table(storage);
    Boolean detachPending = attachment(c, table);
    if (detachPending == null) {
      return true;
    }
    long startedNs = System.nanoTime();
    try (Statement s = c.createStatement()) {
      s.execute("alter table rowstream.chunk detach partition " + table
          + (detachPending ? " finalize" : " concurrently"));
    } catch (SQLException e) {
      return busy(e, storage);
    }
    LOG.debug(
        "segment storage detached storageId={} ms={}",
        storage,
        (System.nanoTime() - startedNs) / 1_000_000);
    return true;
  }

  /** False for a lock timeout (the storage is tried again next pass); rethrows anything else. */
  private static boolean busy(SQLException e, long storage) throws SQLException {
    if ("55P03".equals(e.getSQLState())) {
      LOG.info(
          "segment storage busy, trying it later storageId={} error={}", storage, e.getMessage());
      return false;
    }
    throw e;
  }

  private static String table(long storage) {
    return StorageTable.of(storage).toString(); // "rowstream_chunks"."s<id>"
  }

  /** Null when the table is not a partition of chunk (any more); else whether a detach of it is pending. */
  private static Boolean attachment(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select i.inhdetachpending from pg_inherits i "
        + "where i.inhrelid = to_regclass(?) and i.inhparent = 'rowstream.chunk'::regclass")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBoolean(1) : null;
      }
    }
  }

  private static AdvisoryLock lock(long storage) {
    return AdvisoryLocks.storage(storage);
  }
}

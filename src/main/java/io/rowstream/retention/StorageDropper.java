package io.rowstream.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the space of storages no segment points to back to the file system: detaches each table
 * from {@code chunk} with {@code DETACH PARTITION CONCURRENTLY} (which takes only SHARE UPDATE
 * EXCLUSIVE on {@code chunk} and waits for queries that may still read it), then drops it. No row
 * is deleted, so nothing is left for vacuum.
 *
 * <p>Each step can be cut short (a node dying, a lock timeout) and is taken up again by the next
 * call: a detach left pending is finished with {@code FINALIZE}, a detached table is dropped, and
 * the storage row goes last. A storage is worked on by one session at a time (an advisory lock
 * per storage), so several nodes may call this at once.
 */
public final class StorageDropper {
  private static final Logger LOG = LoggerFactory.getLogger(StorageDropper.class);
  /** First key of the per-storage advisory locks ("rsst" in ASCII); the second is the storage id. */
  static final int STORAGE_LOCK_CLASS = 0x7273_7374;
  /** At most this many storages per call, so that one call stays short. */
  static final int BATCH = 100;

  private final DataSource dataSource;
  private final SegmentStore segments;
  private final String lockTimeout;

  StorageDropper(DataSource dataSource, SegmentStore segments, String lockTimeout) {
    this.dataSource = dataSource;
    this.segments = segments;
    this.lockTimeout = lockTimeout;
  }

  /** Drops up to {@link #BATCH} unreferenced storages; returns how many went. */
  public int dropUnreferenced() {
    List<Long> storages = segments.unreferencedStorages(BATCH);
    if (storages.isEmpty()) {
      return 0;
    }
    int dropped = 0;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);  // DETACH ... CONCURRENTLY cannot run inside a transaction block
      try (Statement s = c.createStatement()) {
        s.execute("set lock_timeout = '" + lockTimeout + "'");
      }
      try {
        for (long storage : storages) {
          if (drop(c, storage)) {
            dropped++;
          }
        }
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("reset lock_timeout");
        }
      }
    } catch (SQLException e) {
      LOG.warn("dropping segment storage failed error={}", e.getMessage());
    }
    return dropped;
  }

  private boolean drop(Connection c, long storage) throws SQLException {
    if (!lock(c, "pg_try_advisory_lock", storage)) {
      return false;  // another node is on it
    }
    String table = "rowstream_chunks.s" + storage;
    try {
      Boolean detachPending = attachment(c, table);
      try (Statement s = c.createStatement()) {
        if (detachPending != null) {
          s.execute("alter table rowstream.chunk detach partition " + table
              + (detachPending ? " finalize" : " concurrently"));
        }
        s.execute("drop table if exists " + table);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "delete from rowstream.chunk_storage cs where storage_id = ? "
              + "and not exists (select 1 from rowstream.segment s where s.storage_id = cs.storage_id)")) {
        ps.setLong(1, storage);
        ps.executeUpdate();
      }
      LOG.info("segment storage dropped storageId={}", storage);
      return true;
    } catch (SQLException e) {
      if ("55P03".equals(e.getSQLState())) {
        LOG.info("segment storage busy, dropping it later storageId={} error={}", storage, e.getMessage());
        return false;
      }
      throw e;
    } finally {
      lock(c, "pg_advisory_unlock", storage);
    }
  }

  /** Null when the table is not a partition of chunk (any more); else whether a detach of it is pending. */
  private static Boolean attachment(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "select i.inhdetachpending from pg_inherits i "
            + "where i.inhrelid = to_regclass(?) and i.inhparent = 'rowstream.chunk'::regclass")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBoolean(1) : null;
      }
    }
  }

  private static boolean lock(Connection c, String function, long storage) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select " + function + "(?, ?)")) {
      ps.setInt(1, STORAGE_LOCK_CLASS);
      ps.setInt(2, (int) storage);  // ids past 2^31 share locks with smaller ones: a skipped turn at worst
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}

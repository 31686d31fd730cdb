package io.rowstream.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A PostgreSQL session advisory lock, keyed by one 64-bit number or by a class and an object
 * (two 32-bit numbers, as {@code pg_locks} shows them with {@code objsubid} 2). It is held by the
 * connection it was taken on until unlocked there, or until that connection ends: a node that dies
 * loses its locks with its sessions.
 */
public final class AdvisoryLock {
  /** Whether the key is a class and an object; else {@link #first} is the whole 64-bit key. */
  private final boolean pair;

  private final long first;
  private final int second;

  private AdvisoryLock(boolean pair, long first, int second) {
    this.pair = pair;
    this.first = first;
    this.second = second;
  }

  /** The lock of one 64-bit key; every key is one of {@link AdvisoryLocks}'. */
  static AdvisoryLock of(long key) {
    return new AdvisoryLock(false, key, 0);
  }

  /** The lock of an object within a class of locks; every class is one of {@link AdvisoryLocks}'. */
  static AdvisoryLock of(int lockClass, int object) {
    return new AdvisoryLock(true, lockClass, object);
  }

  /** Takes the lock on {@code session} if no other session holds it; whether it is now held. */
  public boolean tryLock(Connection session) throws SQLException {
    return call(session, "pg_try_advisory_lock");
  }

  /** Releases the lock taken on {@code session}; false when that session did not hold it. */
  public boolean unlock(Connection session) throws SQLException {
    return call(session, "pg_advisory_unlock");
  }

  private boolean call(Connection session, String function) throws SQLException {
    try (PreparedStatement ps =
        session.prepareStatement("select " + function + (pair ? "(?, ?)" : "(?)"))) {
      if (pair) {
        ps.setInt(1, (int) first);
        ps.setInt(2, second);
      } else {
        ps.setLong(1, first);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}

package io.rowstream.db;

import java.util.Optional;
import java.util.function.Function;
import org.jooq.exception.DataAccessException;

/**
 * Work that one node at a time may run: it runs on a {@link Session} borrowed from the pool while
 * that session holds a session advisory lock, released when the work ends (or by PostgreSQL when
 * the connection dies, so a node that dies mid-work stops no one). For maintenance passes whose
 * loops cannot take JDBC's checked exceptions: a database failure surfaces as jOOQ's unchecked
 * {@link DataAccessException}, as {@link Session} reports it.
 */
public final class LockedSession {
  private LockedSession() {}

  /** {@code work}'s result on a pooled session holding {@code lock}; empty when another session holds it. */
  public static <T> Optional<T> run(
      Database database, AdvisoryLock lock, Function<Session, T> work) {
    try (Session session = Session.pooled(database)) {
      return session.whileLocked(lock, () -> work.apply(session));
    }
  }
}

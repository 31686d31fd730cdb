package io.rowstream.db;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.sql.SQLException;
import java.util.Optional;
import org.jooq.exception.DataAccessException;

/** Translates PostgreSQL SQLStates into what they mean for the broker. */
public final class SqlErrors {
  public static final String UNIQUE_VIOLATION = "23505";
  /** Raised by append_chunks (sql/R__log_functions.sql) when the node's leader epoch is stale. */
  public static final String STALE_LEADER_EPOCH = "RSE01";

  private static final String TOO_MANY_CONNECTIONS = "53300";
  private static final String DEADLOCK_DETECTED = "40P01";

  private SqlErrors() {}

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether PostgreSQL ended the transaction as the victim of a deadlock (40P01), anywhere in the
   * causes: it rolled back whole, so the same work may run again at once.
   */
  public static boolean isDeadlock(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if ((c instanceof SQLException s && DEADLOCK_DETECTED.equals(s.getSQLState()))
          || (c instanceof DataAccessException d && DEADLOCK_DETECTED.equals(d.sqlState()))) {
        return true;
      }
    }
    return false;
  }

  public static boolean isUniqueViolation(DataAccessException e) {
    return UNIQUE_VIOLATION.equals(e.sqlState());
  }

  /**
   * A database failure a client may retry (connection lost, serialization failure, deadlock, lock
   * or statement timeout, server shutting down, too many connections); one a retry cannot cure (out
   * of memory or shared memory, disk full, a configured or program limit exceeded: SQLSTATE classes
   * 53 and 54) as {@link BrokerError#DATABASE_RESOURCE_EXHAUSTED}; else an internal error. The
   * message never carries the database's (which names SQL and objects); the cause does, for the log.
   */
  public static BrokerException translate(DataAccessException e) {
    return translate(e.sqlState(), e);
  }

  /**
   * As {@link #translate(DataAccessException)} for a jOOQ failure that escaped the stores' own
   * translation; empty for any other failure. The doors receive it as {@link io.rowstream.error.BrokerFailures}.
   */
  public static Optional<BrokerException> translateEscaped(Throwable failure) {
    return failure instanceof DataAccessException e ? Optional.of(translate(e)) : Optional.empty();
  }

  /** As {@link #translate(DataAccessException)}, for plain JDBC. */
  public static BrokerException translate(SQLException e) {
    return translate(e.getSQLState(), e);
  }

  private static BrokerException translate(String state, Exception e) {
    if (STALE_LEADER_EPOCH.equals(state)) {
      return new BrokerException(
          BrokerError.FENCED_LEADER_EPOCH,
          "Leadership of the partition moved while appending; nothing was written, retry.",
          e);
    }
    if (isExhausted(state)) {
      return new BrokerException(
          BrokerError.DATABASE_RESOURCE_EXHAUSTED,
          "The database ran out of a resource for this request (memory, shared memory, disk or a"
              + " configured limit); retrying the same request will not help: ask for less, or"
              + " ask the operator to raise the limit.",
          e);
    }
    return isTransient(state) || hasCause(e, java.sql.SQLTransientException.class)
        ? new BrokerException(BrokerError.RETRIABLE, "Database unavailable, retry.", e)
        : new BrokerException(BrokerError.INTERNAL, "Database error.", e);
  }

  /**
   * Failures that pass: connection exceptions (08), transaction rollbacks such as serialization
   * failures and deadlocks (40), operator intervention such as shutdown or a statement timeout
   * (57), a lock not available (55P03) and too many connections (53300).
   */
  private static boolean isTransient(String state) {
    return state != null
        && (state.startsWith("08")
            || state.startsWith("40")
            || state.startsWith("57")
            || state.equals("55P03")
            || state.equals(TOO_MANY_CONNECTIONS));
  }

  /** Insufficient resources (53, but too many connections) and program limits exceeded (54). */
  private static boolean isExhausted(String state) {
    return state != null
        && ((state.startsWith("53") && !state.equals(TOO_MANY_CONNECTIONS))
            || state.startsWith("54"));
  }
}

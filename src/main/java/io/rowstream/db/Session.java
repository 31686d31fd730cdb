package io.rowstream.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * One database session that outlives a transaction: a connection held by a node for session
 * advisory locks (the node lock, the controller's, log maintenance's, the group reaper's) and
 * for the statements that must run on the session holding them. Services and loops hold this
 * instead of a {@link Connection}; stores run the SQL through the {@link Tx} it hands out. A
 * failure surfaces as jOOQ's {@link DataAccessException}, unchecked as in {@link Transactions}, so
 * that its callers need not name JDBC.
 */
public final class Session implements AutoCloseable {
  private final Connection connection;

  private Session(Connection connection) {
    this.connection = connection;
  }

  /** A session on its own connection, outside the pool (it may outlive any pooled transaction). */
  public static Session dedicated(Database database, String purpose) {
    try {
      return new Session(database.openDedicatedConnection(purpose));
    } catch (SQLException e) {
      throw failure("opening a dedicated connection", e);
    }
  }

  /** A session on a connection borrowed from the pool for a while; closing it gives it back. */
  public static Session pooled(Database database) {
    try {
      return new Session(database.dataSource().getConnection());
    } catch (SQLException e) {
      throw failure("borrowing a pooled connection", e);
    }
  }

  /** Takes the lock for this session if it is free; true when held (also when held already). */
  public boolean tryLock(AdvisoryLock lock) {
    try {
      return lock.tryLock(connection);
    } catch (SQLException e) {
      throw failure("taking an advisory lock", e);
    }
  }

  /** Releases the lock if this session holds it; true when it did. */
  public boolean unlock(AdvisoryLock lock) {
    try {
      return lock.unlock(connection);
    } catch (SQLException e) {
      throw failure("releasing an advisory lock", e);
    }
  }

  /**
   * {@code work}'s result while this session holds {@code lock}, released when the work ends;
   * empty, without running it, when another session holds the lock.
   */
  public <T> Optional<T> whileLocked(AdvisoryLock lock, Supplier<T> work) {
    if (!tryLock(lock)) {
      return Optional.empty();
    }
    try {
      return Optional.of(work.get());
    } finally {
      unlock(lock);
    }
  }

  /** Statements on this session, each committing on its own (autocommit). */
  public Tx autocommit() {
    return Tx.of(DSL.using(connection, SQLDialect.POSTGRES));
  }

  /** Runs {@code work} in one transaction on this session; rolled back if it throws. */
  public <T> T result(Function<Tx, T> work) {
    return DSL.using(connection, SQLDialect.POSTGRES)
        .transactionResult(c -> work.apply(Tx.of(c.dsl())));
  }

  /** Whether the session was closed (its connection closed by us or found broken by the driver). */
  public boolean isClosed() {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static DataAccessException failure(String doing, SQLException e) {
    return new DataAccessException(doing + " failed: " + e.getMessage(), e); // sqlState() reads e's
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // the connection is gone either way
    }
  }
}

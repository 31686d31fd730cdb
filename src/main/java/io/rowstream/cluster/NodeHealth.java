package io.rowstream.cluster;

import io.rowstream.db.Database;
import io.rowstream.db.Migrations;
import io.rowstream.logging.LogText;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether this node can serve: the database answers on a pool connection and its schema is current. */
public final class NodeHealth {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);

  /** What a readiness check found. */
  public enum Readiness {
    READY,
    DATABASE_UNREACHABLE,
    MIGRATIONS_PENDING
  }

  private final Database database;

  public NodeHealth(Database database) {
    this.database = database;
  }

  /** Checks the database (a valid pool connection within 2 s), then the migrations. */
  public Readiness readiness() {
    try (Connection c = database.dataSource().getConnection()) {
      if (!c.isValid(2)) {
        throw new SQLException("connection not valid");
      }
    } catch (SQLException e) {
      LOG.warn("readiness check: database unreachable error={}", LogText.of(e.getMessage()));
      return Readiness.DATABASE_UNREACHABLE;
    }
    return Migrations.upToDate(database.dataSource())
        ? Readiness.READY
        : Readiness.MIGRATIONS_PENDING;
  }
}

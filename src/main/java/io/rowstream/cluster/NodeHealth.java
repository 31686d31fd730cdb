package io.rowstream.cluster;

import io.rowstream.db.Database;
import io.rowstream.db.Migrations;
import io.rowstream.logging.LogText;
import java.util.Optional;
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
    Optional<String> unreachable = database.unreachable(2);
    if (unreachable.isPresent()) {
      LOG.warn("readiness check: database unreachable error={}", LogText.of(unreachable.get()));
      return Readiness.DATABASE_UNREACHABLE;
    }
    return Migrations.upToDate(database) ? Readiness.READY : Readiness.MIGRATIONS_PENDING;
  }
}

package io.rowstream.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rowstream.LogText;
import io.rowstream.db.Database;
import io.rowstream.db.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /status/live} (the process answers) and {@code /status/ready} (database up, schema current). */
final class StatusRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(StatusRoutes.class);
  private final Database database;

  StatusRoutes(Database database) {
    this.database = database;
  }

  void register(RoutesConfig routes) {
    routes.get("/status/live", ctx -> ctx.json(Json.object().put("status", "live")));
    routes.get("/status/ready", this::ready);
  }

  private void ready(Context ctx) {
    try (Connection c = database.dataSource().getConnection()) {
      if (!c.isValid(2)) {
        throw new SQLException("connection not valid");
      }
    } catch (SQLException e) {
      LOG.warn("readiness check: database unreachable error={}", LogText.of(e.getMessage()));
      ErrorResponses.answer(ctx, HttpError.NOT_READY.answer(), "Database unreachable.");
      return;
    }
    if (!Migrations.upToDate(database.dataSource())) {
      ErrorResponses.answer(ctx, HttpError.NOT_READY.answer(), "Schema migrations are pending.");
      return;
    }
    ctx.json(Json.object().put("status", "ready").put("database", "reachable").put("migrations", "applied"));
  }
}

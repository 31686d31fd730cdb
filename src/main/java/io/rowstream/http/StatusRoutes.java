package io.rowstream.http;

import io.javalin.http.Context;
import io.rowstream.cluster.NodeHealth;

/** {@code /status/live} (the process answers) and {@code /status/ready} (database up, schema current). */
final class StatusRoutes {
  private final NodeHealth health;

  StatusRoutes(NodeHealth health) {
    this.health = health;
  }

  void register(AuthorizedRoutes routes) {
    routes.get(
        "/status/live", Rule.anyPrincipal(), ctx -> ctx.json(Json.object().put("status", "live")));
    routes.get("/status/ready", Rule.anyPrincipal(), this::ready);
  }

  private void ready(Context ctx) {
    switch (health.readiness()) {
      case DATABASE_UNREACHABLE ->
        ErrorResponses.answer(ctx, HttpError.NOT_READY.answer(), "Database unreachable.");
      case MIGRATIONS_PENDING ->
        ErrorResponses.answer(ctx, HttpError.NOT_READY.answer(), "Schema migrations are pending.");
      case READY ->
        ctx.json(Json.object()
            .put("status", "ready")
            .put("database", "reachable")
            .put("migrations", "applied"));
    }
  }
}

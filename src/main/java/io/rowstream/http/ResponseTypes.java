package io.rowstream.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Refuses, with 406 / 406, a request whose {@code Accept} no representation of its route satisfies,
 * before the route runs (so nothing is written). v3 routes answer {@code application/json}; v2 routes
 * the REST Proxy's v2 types and plain JSON. Routes that serve records choose their embedded format
 * from the header themselves ({@link RecordsWriter#acceptedFormat}); node-internal, status, metrics
 * and console routes have one fixed type and are not negotiated.
 */
final class ResponseTypes {
  static final List<String> V3 = List.of("application/json");
  static final List<String> V2 =
      List.of(EmbeddedFormat.V2_JSON, "application/vnd.kafka+json", "application/json");

  private ResponseTypes() {}

  static void register(RoutesConfig routes) {
    // Only once a route matched: an unknown path stays 404 whatever its Accept.
    routes.beforeMatched(ResponseTypes::check);
  }

  private static void check(Context ctx) {
    if (ctx.method() == HandlerType.OPTIONS) {
      return;
    }
    List<String> offered = offered(ctx.path(), ctx.method());
    if (offered.isEmpty()) {
      return;
    }
    String accept = ctx.header("Accept");
    if (AcceptHeader.parse(accept).preferred(offered).isEmpty()) {
      throw notAcceptable(accept, offered);
    }
  }

  /** The types a route answers, or none when the route negotiates for itself or is not negotiated. */
  private static List<String> offered(String path, HandlerType method) {
    if (path.startsWith("/v3/")) {
      return V3;
    }
    if (path.startsWith("/internal/")
        || path.startsWith("/status/")
        || path.equals("/metrics")
        || ConsoleRoutes.isConsole(path)
        || (method != HandlerType.POST && path.endsWith("/records"))) {
      return List.of();
    }
    return V2;
  }

  static HttpStatusException notAcceptable(String accept, List<String> offered) {
    return new HttpStatusException(
        HttpError.NOT_ACCEPTABLE,
        "Not acceptable: '" + accept + "'; this route answers " + String.join(", ", offered) + ".");
  }
}

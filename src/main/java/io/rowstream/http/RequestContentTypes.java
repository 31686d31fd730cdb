package io.rowstream.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses, with 415 / 415, a state-changing request whose body is not of a media type its route
 * reads. A web page can make a browser send a form, {@code multipart/form-data}, {@code text/plain}
 * or an untyped body to any address without asking it first (a CORS "simple" request); a JSON
 * type needs the browser's preflight, which this node never grants. So v3 routes take
 * {@code application/json}, v2 routes {@code application/json} or {@code application/vnd.kafka.*}
 * (whose embedded format the route checks), and the node-to-node route its binary body.
 */
final class RequestContentTypes {
  private static final Set<HandlerType> STATE_CHANGING =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  private RequestContentTypes() {}

  static void register(RoutesConfig routes) {
    routes.before(RequestContentTypes::check);
  }

  private static void check(Context ctx) {
    if (!STATE_CHANGING.contains(ctx.method())) {
      return;
    }
    String header = ctx.header("Content-Type");
    if (header == null) {
      if (hasBody(ctx)) {
        throw new HttpStatusException(415, 415, "A request body needs a Content-Type: " + accepted(ctx.path()) + ".");
      }
      return;
    }
    String type = mediaType(header);
    if (!accepts(ctx.path(), type)) {
      throw new HttpStatusException(415, 415, "Unsupported Content-Type '" + type + "': this route takes "
          + accepted(ctx.path()) + ".");
    }
  }

  private static boolean hasBody(Context ctx) {
    return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
  }

  /** {@code Application/JSON; charset=utf-8} → {@code application/json}. */
  private static String mediaType(String header) {
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  private static boolean accepts(String path, String type) {
    if (path.startsWith("/v3/")) {
      return type.equals("application/json");
    }
    if (path.startsWith("/internal/")) {
      return type.equals("application/octet-stream");
    }
    return type.equals("application/json") || type.startsWith("application/vnd.kafka.")
        || type.equals("application/vnd.kafka+json");
  }

  private static String accepted(String path) {
    if (path.startsWith("/v3/")) {
      return "application/json";
    }
    if (path.startsWith("/internal/")) {
      return "application/octet-stream";
    }
    return "application/vnd.kafka.v2+json (or an embedded format such as application/vnd.kafka.binary.v2+json) "
        + "or application/json";
  }
}

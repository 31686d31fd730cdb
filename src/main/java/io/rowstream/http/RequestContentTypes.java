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

  /** The media types a family of routes reads, and how a refusal names them. */
  private enum Family {
    V3("application/json") {
      @Override
      boolean accepts(String type) {
        return type.equals("application/json");
      }
    },
    NODE("application/octet-stream") {
      @Override
      boolean accepts(String type) {
        return type.equals("application/octet-stream");
      }
    },
    /** REST Proxy v2 consumers; v1 consumers (a v1 media type) are not served. */
    CONSUMERS(
        "application/vnd.kafka.v2+json (or an embedded format such as application/vnd.kafka.binary.v2+json) "
            + "or application/json; REST Proxy v1 consumers are not served") {
      @Override
      boolean accepts(String type) {
        return type.equals("application/json")
            || KafkaMediaType.parse(type)
                .filter(KafkaMediaType::isV2OrUnversioned)
                .isPresent();
      }
    },
    V2(
        "application/vnd.kafka.v2+json (or an embedded format such as application/vnd.kafka.binary.v2+json) "
            + "or application/json") {
      @Override
      boolean accepts(String type) {
        return type.equals("application/json")
            || type.startsWith("application/vnd.kafka.")
            || type.equals("application/vnd.kafka+json");
      }
    };

    private final String described;

    Family(String described) {
      this.described = described;
    }

    abstract boolean accepts(String type);

    static Family of(String path) {
      return path.startsWith("/v3/")
          ? V3
          : path.startsWith("/internal/") ? NODE : path.startsWith("/consumers/") ? CONSUMERS : V2;
    }
  }

  private RequestContentTypes() {}

  static void register(RoutesConfig routes) {
    routes.before(RequestContentTypes::check);
  }

  private static void check(Context ctx) {
    if (!STATE_CHANGING.contains(ctx.method())) {
      return;
    }
    Family family = Family.of(ctx.path());
    String header = ctx.header("Content-Type");
    if (header == null) {
      if (hasBody(ctx)) {
        throw new HttpStatusException(
            HttpError.UNSUPPORTED_MEDIA_TYPE,
            "A request body needs a Content-Type: " + family.described + ".");
      }
      return;
    }
    String type = mediaType(header);
    if (!family.accepts(type)) {
      throw new HttpStatusException(
          HttpError.UNSUPPORTED_MEDIA_TYPE,
          "Unsupported Content-Type '" + type + "': this route takes " + family.described + ".");
    }
  }

  private static boolean hasBody(Context ctx) {
    return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
  }

  /** {@code Application/JSON; charset=utf-8} → {@code application/json}. */
  static String mediaType(String header) {
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }
}

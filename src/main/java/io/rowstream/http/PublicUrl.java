package io.rowstream.http;

import io.javalin.http.Context;
import java.util.Optional;

/** The base URL clients reach this node at, for links in responses ({@code base_uri}, v3 {@code self}). */
final class PublicUrl {
  private PublicUrl() {}

  /** The configured advertised URL, else the scheme and host of the request being answered; no trailing slash. */
  static String base(Context ctx, Optional<String> advertisedUrl) {
    return advertisedUrl.orElseGet(() -> ctx.scheme() + "://" + ctx.host()).replaceAll("/+$", "");
  }
}

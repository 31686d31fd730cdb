package io.rowstream.http;

import io.javalin.http.Context;
import io.rowstream.config.NodeConfig;
import java.util.Optional;

/** The base URL clients reach this node at, for links in responses ({@code base_uri}, v3 {@code self}). */
final class PublicUrl {
  private PublicUrl() {}

  /**
   * The configured advertised URL, else the address and port this connection reached the node on
   * ({@code localhost} for loopback), with the listener's scheme; no trailing slash. Never the
   * request's {@code Host}, which a client (or a page that rebound a DNS name) chooses.
   */
  static String base(Context ctx, Optional<String> advertisedUrl) {
    return advertisedUrl
        .orElseGet(() -> ctx.scheme() + "://" + host(ctx.req().getLocalAddr()) + ":"
            + ctx.req().getLocalPort())
        .replaceAll("/+$", "");
  }

  /** The connection's local IP address as a URL host. */
  private static String host(String localAddress) {
    if (NodeConfig.isLoopback(localAddress)) {
      return "localhost";
    }
    return localAddress.contains(":") && !localAddress.startsWith("[")
        ? "[" + localAddress + "]"
        : localAddress;
  }
}

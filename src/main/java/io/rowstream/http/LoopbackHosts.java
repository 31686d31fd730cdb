package io.rowstream.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rowstream.config.NodeConfig;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * On a node that listens on loopback with authentication off, refuses (403 / 40301) a request whose
 * {@code Host} is not a loopback name or the advertised host: a web page whose DNS name was rebound
 * to 127.0.0.1 reaches the node from the operator's browser, but still names its own host.
 */
final class LoopbackHosts {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private final Set<String> allowed;

  private LoopbackHosts(Set<String> allowed) {
    this.allowed = allowed;
  }

  /** Installs the check when the node binds loopback without authentication; otherwise nothing. */
  static void register(
      RoutesConfig routes, String bindHost, boolean authEnabled, Optional<String> advertisedUrl) {
    if (authEnabled || !NodeConfig.isLoopback(bindHost)) {
      return;
    }
    Set<String> names = new java.util.HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]", "::1"));
    advertisedUrl
        .map(url -> URI.create(url).getHost())
        .map(h -> h.toLowerCase(Locale.ROOT))
        .ifPresent(names::add);
    LoopbackHosts hosts = new LoopbackHosts(Set.copyOf(names));
    routes.before(hosts::check);
  }

  private void check(Context ctx) {
    String host = hostName(ctx.header("Host"));
    if (!allowed.contains(host) && !IPV4_LOOPBACK.matcher(host).matches()) {
      throw new HttpStatusException(
          HttpError.FORBIDDEN,
          "Host '" + host + "' is not a name of this node: a node "
              + "listening on loopback without authentication answers only localhost and its advertised host.");
    }
  }

  /** {@code Example.com:8082} → {@code example.com}; {@code [::1]:8082} → {@code [::1]}. */
  private static String hostName(String header) {
    if (header == null) {
      return "";
    }
    String h = header.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? h : h.substring(0, close + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}

package io.rowstream.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import io.rowstream.security.CertificatePrincipals;
import io.rowstream.security.Principal;
import io.rowstream.security.Security;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication and authorization at the HTTP edge. A before-handler finds the principal of every
 * request (HTTP Basic, a bearer API key, or a verified client certificate) and refuses the others
 * with 401 / 40101; a before-matched handler applies the rule declared with the matched route
 * ({@link AuthorizedRoutes}), refusing with 403 / 40301 before the route does anything. Every route
 * must have a rule: a node with an unruled route does not start. Listings filter themselves with
 * {@link Access#permits}. A HEAD request runs the GET route of its path, so it is authorized by
 * that route's rule.
 */
final class AccessControl {
  static final Set<String> PUBLIC_PATHS = Set.of("/status/live", "/status/ready");
  private static final String REALM =
      "Basic realm=\"rowstream\", charset=\"UTF-8\", Bearer realm=\"rowstream\"";
  /** The one route a node may call, and only a node. */
  private static final String NODE_ROUTE = "POST " + ForwardRoutes.PATH;

  private final Security security;
  private final CertificatePrincipals certificates;
  private final RouteRules rules;
  private InternalRouter router;

  AccessControl(Security security, CertificatePrincipals certificates, RouteRules rules) {
    this.security = security;
    this.certificates = certificates;
    this.rules = rules;
  }

  /** Installs the handlers. */
  void register(RoutesConfig routes) {
    routes.before(this::authenticate);
    routes.beforeMatched(this::authorize);
  }

  /**
   * Takes the app's routes: fails unless every one has a rule, so that none is left open by
   * mistake, and finds the GET route of a HEAD request among them.
   */
  void useRoutes(InternalRouter routes) {
    rules.requireEveryRoute(routes);
    this.router = routes;
  }

  /** Paths open to anyone: the status probes, and the console's own files ({@link ConsoleRoutes}). */
  static boolean isPublic(String path) {
    return PUBLIC_PATHS.contains(path) || ConsoleRoutes.isConsole(path);
  }

  private void authenticate(Context ctx) {
    if (!security.enabled() || isPublic(ctx.path())) {
      return;
    }
    Principal principal = principal(ctx)
        .orElseThrow(() -> new HttpStatusException(
                HttpError.UNAUTHENTICATED,
                "Authentication required: HTTP Basic, a bearer API key, or a client certificate.")
            .withHeader("WWW-Authenticate", REALM));
    ctx.attribute(Access.ATTRIBUTE, new Access(principal, security.authorizer(), ctx.ip()));
  }

  private Optional<Principal> principal(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null) {
      int space = header.indexOf(' ');
      String scheme = space < 0 ? header : header.substring(0, space);
      String value = space < 0 ? "" : header.substring(space + 1).trim();
      if (scheme.equalsIgnoreCase("Basic")) {
        return basic(value, ctx.ip());
      }
      if (scheme.equalsIgnoreCase("Bearer")) {
        return security.node(value).or(() -> security.authenticator().bearer(value));
      }
      return Optional.empty();
    }
    // A client certificate the TLS handshake verified against the trust store (mTLS), its subject
    // mapped by ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES.
    if (ctx.req().getAttribute("jakarta.servlet.request.X509Certificate")
            instanceof X509Certificate[] chain
        && chain.length > 0) {
      return certificates.principal(chain[0].getSubjectX500Principal());
    }
    return Optional.empty();
  }

  private Optional<Principal> basic(String encoded, String clientAddress) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    return colon <= 0
        ? Optional.empty()
        : security
            .authenticator()
            .password(decoded.substring(0, colon), decoded.substring(colon + 1), clientAddress);
  }

  private void authorize(Context ctx) {
    if (!security.enabled() || isPublic(ctx.path())) {
      return;
    }
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    if (endpoint == null && HandlerType.HEAD.equals(ctx.method())) {
      ParsedEndpoint get = router.findFirstHttpHandlerEntry(HandlerType.GET, ctx.path());
      if (get != null) {
        endpoint = get.endpoint;
        ctx.attribute(Rule.HEAD_PARAMS, get.extractPathParams(ctx.path()));
      }
    }
    if (endpoint == null) {
      return;
    }
    Rule rule = rules.of(endpoint);
    Access access = Access.of(ctx);
    if (access.principal().isNode() && !NODE_ROUTE.equals(RouteRules.key(endpoint))) {
      throw new HttpStatusException(
          HttpError.FORBIDDEN,
          "Not authorized: the cluster's node identity may only forward "
              + "appends between nodes.");
    }
    rule.check(ctx, access);
  }
}

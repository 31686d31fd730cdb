package io.rowstream.http;

import io.javalin.http.Context;
import io.rowstream.security.Acl;
import io.rowstream.security.Acl.ResourceType;
import java.util.Map;

/**
 * What a route asks of its caller, declared with the route ({@link AuthorizedRoutes}) and checked by
 * {@link AccessControl} before the route runs, with the one authorizer: an operation on the cluster,
 * on the topic or group its path names, or only being authenticated. A resource that only the
 * request body names is checked where the body is parsed, by the service the route calls; the
 * route's rule then says so ({@link #inService}).
 */
@FunctionalInterface
interface Rule {
  /** The path parameters of the GET route a HEAD request runs, which Javalin matches only later. */
  String HEAD_PARAMS = "rowstream.headPathParams";

  /** Refuses the request (403 / 40301) unless the caller may do what the route does. */
  void check(Context ctx, Access access);

  /** Any authenticated principal (but a node, which may only forward appends). */
  static Rule anyPrincipal() {
    return (ctx, access) -> {};
  }

  /**
   * Any authenticated principal at the edge; the service the route calls checks {@code what}
   * (resources named in the body) where it reads them, as it does for every door.
   */
  static Rule inService(String what) {
    return new InService(what);
  }

  /** Nothing to check at the edge: the service checks {@code what} where it reads the body. */
  record InService(String what) implements Rule {
    @Override
    public void check(Context ctx, Access access) {}
  }

  /** {@code op} on the cluster. */
  static Rule cluster(Acl.Operation op) {
    return (ctx, access) -> access.require(op, ResourceType.CLUSTER, Acl.CLUSTER_NAME);
  }

  /** {@code op} on the topic of the path parameter {@code {t}}. */
  static Rule topic(Acl.Operation op) {
    return (ctx, access) -> access.require(op, ResourceType.TOPIC, pathParam(ctx, "t"));
  }

  /** {@code op} on the group of the path parameter {@code {g}}. */
  static Rule group(Acl.Operation op) {
    return (ctx, access) -> access.require(op, ResourceType.GROUP, pathParam(ctx, "g"));
  }

  /** Only the cluster's nodes (no user, not even a super user). */
  static Rule nodeOnly() {
    return (ctx, access) -> {
      if (!access.principal().isNode()) {
        throw new HttpStatusException(
            HttpError.FORBIDDEN,
            "Not authorized: " + access.principal()
                + " may not call a node-to-node route; only the cluster's nodes may.");
      }
    };
  }

  /** This rule, then {@code next}. */
  default Rule and(Rule next) {
    return (ctx, access) -> {
      check(ctx, access);
      next.check(ctx, access);
    };
  }

  /** A path parameter of the route being authorized (for HEAD: of the GET route it runs). */
  private static String pathParam(Context ctx, String name) {
    Map<String, String> head = ctx.attribute(HEAD_PARAMS);
    return head != null ? head.get(name) : ctx.pathParam(name);
  }
}

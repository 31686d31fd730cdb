package io.rowstream.http;

import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import java.util.HashMap;
import java.util.Map;

/**
 * The rule of every route, as the routes declare them ({@link AuthorizedRoutes}). A route without
 * one is a bug that would leave it open: the node refuses to start ({@link #requireEveryRoute}).
 */
final class RouteRules {
  private final Map<String, Rule> rules = new HashMap<>();

  /** Takes the rule of a route as it is declared; refuses a second rule for one route. */
  void declare(HandlerType method, String path, Rule rule) {
    String methodAndPath = method.name() + " " + path;
    if (rules.put(methodAndPath, rule) != null) {
      throw new IllegalStateException("two rules for " + methodAndPath + " indicates a bug");
    }
  }

  /** Fails unless every route of the app has a rule, so that none is left open by mistake. */
  void requireEveryRoute(InternalRouter routes) {
    for (ParsedEndpoint e : routes.allHttpHandlers()) {
      if (e.endpoint.method.isHttpMethod()) {
        of(e.endpoint);
      }
    }
  }

  /** The rule of a route. */
  Rule of(Endpoint endpoint) {
    Rule rule = rules.get(key(endpoint));
    if (rule == null) {
      throw new IllegalStateException(
          "route " + key(endpoint) + " has no access rule, which indicates a bug");
    }
    return rule;
  }

  static String key(Endpoint endpoint) {
    return endpoint.method.name() + " " + endpoint.path;
  }
}

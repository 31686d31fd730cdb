package io.rowstream.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * Where routes are declared: each with the {@link Rule} it needs, which {@link AccessControl}
 * applies before the route runs. A route registered past this (straight on Javalin's routes) has no
 * rule, and the node refuses to start.
 */
final class AuthorizedRoutes {
  private final RoutesConfig routes;
  private final RouteRules rules;

  AuthorizedRoutes(RoutesConfig routes, RouteRules rules) {
    this.routes = routes;
    this.rules = rules;
  }

  void get(String path, Rule rule, Handler handler) {
    add(HandlerType.GET, path, rule, handler);
  }

  void post(String path, Rule rule, Handler handler) {
    add(HandlerType.POST, path, rule, handler);
  }

  void put(String path, Rule rule, Handler handler) {
    add(HandlerType.PUT, path, rule, handler);
  }

  void patch(String path, Rule rule, Handler handler) {
    add(HandlerType.PATCH, path, rule, handler);
  }

  void delete(String path, Rule rule, Handler handler) {
    add(HandlerType.DELETE, path, rule, handler);
  }

  private void add(HandlerType method, String path, Rule rule, Handler handler) {
    rules.declare(method, path, rule);
    routes.addHttpHandler(method, path, handler);
  }
}

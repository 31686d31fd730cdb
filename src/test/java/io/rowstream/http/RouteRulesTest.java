package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.READ;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import org.junit.jupiter.api.Test;

/**
 * Routes declare their rule where they are registered; a route registered without one keeps the
 * node from starting ({@link HttpApp#create} checks every route so before the node listens).
 */
class RouteRulesTest {
  @Test
  void a_route_registered_without_a_rule_makes_the_node_refuse_to_start() {
    RouteRules rules = new RouteRules();
    Javalin javalin = Javalin.create(app -> {
      AuthorizedRoutes routes = new AuthorizedRoutes(app.routes, rules);
      routes.get("/topics/{t}", Rule.topic(READ), ctx -> ctx.result("ruled"));
      app.routes.post("/topics/{t}/unruled", ctx -> ctx.result("open by mistake"));
    });
    assertThatThrownBy(() -> rules.requireEveryRoute(javalin.unsafe.internalRouter))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("POST /topics/{t}/unruled has no access rule");
  }

  @Test
  void routes_that_all_declare_a_rule_pass_the_startup_check() {
    RouteRules rules = new RouteRules();
    Javalin javalin = Javalin.create(app -> {
      AuthorizedRoutes routes = new AuthorizedRoutes(app.routes, rules);
      routes.get("/topics/{t}", Rule.topic(READ), ctx -> ctx.result("ruled"));
      routes.delete("/consumers/{g}", Rule.group(READ), ctx -> ctx.status(204));
    });
    assertThatCode(() -> rules.requireEveryRoute(javalin.unsafe.internalRouter))
        .doesNotThrowAnyException();
  }

  @Test
  void a_route_declared_twice_is_a_bug() {
    RouteRules rules = new RouteRules();
    rules.declare(HandlerType.GET, "/topics/{t}", Rule.topic(READ));
    assertThatThrownBy(() -> rules.declare(HandlerType.GET, "/topics/{t}", Rule.anyPrincipal()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two rules for GET /topics/{t}");
  }
}

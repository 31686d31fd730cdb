package io.rowstream.support;

import io.rowstream.config.OpsConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Nodes with authentication on, for tests of who may call what: the super user {@code admin}
 * (password {@code admin-pw}), users made on demand, and ACLs granted over HTTP.
 */
public record SecuredCluster(TestBroker broker, TestHttp admin, String base)
    implements AutoCloseable {
  /** {@code nodes} nodes on a fresh database, authentication on. */
  public static SecuredCluster start(String purpose, int nodes) {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("admin-pw"),
        false,
        Duration.ofSeconds(5));
    TestBroker broker = TestBroker.start(purpose, c -> c.withOps(c.ops().withAuth(auth)));
    for (int i = 1; i < nodes; i++) {
      broker.startNode();
    }
    TestHttp admin = broker.http().as("admin", "admin-pw");
    return new SecuredCluster(broker, admin, "/v3/clusters/" + admin.clusterId());
  }

  /** A new user {@code name} (password {@code name-pw}) and a client that signs in as it. */
  public TestHttp user(String name) {
    expect201(admin.post(
        base + "/users",
        "application/json",
        TestHttp.json(Map.of("name", name, "password", name + "-pw"))));
    return broker.http().as(name, name + "-pw");
  }

  /** Allows {@code principal} the operation on the literal resource. */
  public void allow(String resourceType, String resourceName, String principal, String operation) {
    expect201(admin.post(
        base + "/acls",
        "application/json",
        TestHttp.json(Map.of(
            "resource_type",
            resourceType,
            "resource_name",
            resourceName,
            "pattern_type",
            "LITERAL",
            "principal",
            principal,
            "operation",
            operation,
            "permission",
            "ALLOW"))));
  }

  private static void expect201(TestHttp.Response r) {
    if (r.status() != 201) {
      throw new AssertionError("expected 201, got " + r.status() + ": " + r.body());
    }
  }

  @Override
  public void close() {
    broker.close();
  }
}

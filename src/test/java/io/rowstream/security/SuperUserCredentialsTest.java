package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ALTER on the cluster manages users and API keys, but only a super user may act on a super
 * user's credentials: otherwise cluster ALTER would be a way to become one.
 */
class SuperUserCredentialsTest {
  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp operator;
  private static String base;

  @BeforeAll
  static void start() {
    // User:root is a super user with no Basic password yet (it might sign in with a certificate).
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin", "User:root"),
        Optional.of("admin"),
        Optional.of("admin-pw"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start("super_user_credentials", c -> c.withOps(c.ops().withAuth(auth)));
    admin = broker.http().as("admin", "admin-pw");
    base = "/v3/clusters/" + admin.clusterId();
    admin
        .post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "operator", "password", "operator-pw")))
        .expectStatus(201);
    admin
        .post(
            base + "/acls",
            "application/json",
            TestHttp.json(Map.of(
                "resource_type",
                "CLUSTER",
                "resource_name",
                "kafka-cluster",
                "pattern_type",
                "LITERAL",
                "principal",
                "User:operator",
                "operation",
                "ALTER",
                "permission",
                "ALLOW")))
        .expectStatus(201);
    operator = broker.http().as("operator", "operator-pw");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_cluster_alter_user_cannot_mint_an_api_key_for_a_super_user() {
    for (String superUser : new String[] {"admin", "root"}) {
      TestHttp.assertError(
          operator.post(
              base + "/api-keys",
              "application/json",
              TestHttp.json(Map.of("principal", superUser))),
          403,
          40301);
    }
    assertThat(broker.queryLong(
            "select count(*) from auth_api_key where principal in ('admin', 'root')"))
        .isZero();
  }

  @Test
  void a_cluster_alter_user_cannot_set_a_super_users_password() {
    TestHttp.assertError(
        operator.post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "admin", "password", "taken-over"))),
        403,
        40301);
    TestHttp.assertError(
        operator.post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "root", "password", "taken-over"))),
        403,
        40301);
    TestHttp.assertError(broker.http().as("admin", "taken-over").get("/brokers"), 401, 40101);
    assertThat(admin.get("/brokers").status()).isEqualTo(200);
    assertThat(broker.queryLong("select count(*) from auth_user where name = 'root'"))
        .isZero();
  }

  @Test
  void a_cluster_alter_user_cannot_delete_a_super_user_or_its_keys() {
    String keyId = admin
        .post(
            base + "/api-keys",
            "application/json",
            TestHttp.json(Map.of("principal", "admin", "description", "admin's own")))
        .expectStatus(201)
        .json()
        .get("key_id")
        .asText();

    TestHttp.assertError(operator.delete(base + "/api-keys/" + keyId), 403, 40301);
    TestHttp.assertError(operator.delete(base + "/users/admin"), 403, 40301);

    assertThat(broker.queryLong("select count(*) from auth_api_key where key_id = '" + keyId + "'"))
        .isOne();
    assertThat(broker.queryLong("select count(*) from auth_user where name = 'admin'"))
        .isOne();
    assertThat(admin.delete(base + "/api-keys/" + keyId).status()).isEqualTo(204);
  }

  @Test
  void a_cluster_alter_user_still_manages_ordinary_users_and_their_keys() {
    operator
        .post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "carol", "password", "carol-pw")))
        .expectStatus(201);
    String keyId = operator
        .post(base + "/api-keys", "application/json", TestHttp.json(Map.of("principal", "carol")))
        .expectStatus(201)
        .json()
        .get("key_id")
        .asText();
    assertThat(operator.delete(base + "/api-keys/" + keyId).status()).isEqualTo(204);
    assertThat(operator.delete(base + "/users/carol").status()).isEqualTo(204);
  }

  @Test
  void a_super_user_may_act_on_super_user_credentials() {
    String token = admin
        .post(base + "/api-keys", "application/json", TestHttp.json(Map.of("principal", "root")))
        .expectStatus(201)
        .json()
        .get("token")
        .asText();
    assertThat(
            broker.http().withAuthorization("Bearer " + token).get("/brokers").status())
        .isEqualTo(200);
    admin
        .post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "root", "password", "root-pw")))
        .expectStatus(201);
    assertThat(broker.http().as("root", "root-pw").get(base + "/users").status())
        .isEqualTo(200);
    assertThat(admin.delete(base + "/users/root").status()).isEqualTo(204);
  }
}

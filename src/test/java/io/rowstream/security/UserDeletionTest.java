package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.Await;
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
 * Deleting a user revokes its API keys with it: at once on the node that deleted it, and on every
 * other node once the credentials it has cached are older than the cache TTL.
 */
class UserDeletionTest {
  private static final Duration CACHE_TTL = Duration.ofSeconds(1);
  private static TestBroker broker;
  private static TestHttp admin;
  private static String base;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("admin-pw"),
        false,
        CACHE_TTL);
    broker = TestBroker.start("user_deletion", c -> c.withOps(c.ops().withAuth(auth)));
    broker.startNode();
    admin = broker.http(0).as("admin", "admin-pw");
    base = "/v3/clusters/" + admin.clusterId();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void deleting_a_user_revokes_its_api_keys_at_once_here_and_within_the_cache_ttl_on_other_nodes() {
    admin
        .post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "dora", "password", "dora-pw")))
        .expectStatus(201);
    String token = admin
        .post(base + "/api-keys", "application/json", TestHttp.json(Map.of("principal", "dora")))
        .expectStatus(201)
        .json()
        .get("token")
        .asText();
    TestHttp keyOnThisNode = broker.http(0).withAuthorization("Bearer " + token);
    TestHttp keyOnOtherNode = broker.http(1).withAuthorization("Bearer " + token);
    TestHttp passwordOnOtherNode = broker.http(1).as("dora", "dora-pw");
    // Both nodes have verified (and cached) dora's credentials.
    assertThat(keyOnThisNode.get("/brokers").status()).isEqualTo(200);
    assertThat(keyOnOtherNode.get("/brokers").status()).isEqualTo(200);
    assertThat(passwordOnOtherNode.get("/brokers").status()).isEqualTo(200);

    assertThat(admin.delete(base + "/users/dora").status()).isEqualTo(204);

    assertThat(broker.queryLong("select count(*) from auth_api_key where principal = 'dora'"))
        .isZero();
    TestHttp.assertError(keyOnThisNode.get("/brokers"), 401, 40101);
    Await.until(
        "the other node refuses dora's key and password",
        CACHE_TTL.plusSeconds(2),
        () -> keyOnOtherNode.get("/brokers").status() == 401
            && passwordOnOtherNode.get("/brokers").status() == 401);
  }

  @Test
  void deleting_a_user_leaves_the_keys_of_other_principals() {
    admin
        .post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "erin", "password", "erin-pw")))
        .expectStatus(201);
    admin
        .post(base + "/api-keys", "application/json", TestHttp.json(Map.of("principal", "erin")))
        .expectStatus(201);
    String other = admin
        .post(
            base + "/api-keys",
            "application/json",
            TestHttp.json(Map.of("principal", "erin-batch")))
        .expectStatus(201)
        .json()
        .get("token")
        .asText();

    assertThat(admin.delete(base + "/users/erin").status()).isEqualTo(204);

    assertThat(broker.queryLong("select count(*) from auth_api_key where principal = 'erin'"))
        .isZero();
    assertThat(
            broker.http(1).withAuthorization("Bearer " + other).get("/brokers").status())
        .isEqualTo(200);
  }
}

package io.rowstream.produce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With authentication on, an idempotent producer id belongs to the principal that created it:
 * another principal, even one allowed to write the topic, can neither produce with it nor bump
 * (fence) its epoch. Ids are random, not a sequence.
 */
class ProducerOwnershipTest {
  private static TestBroker broker;
  private static TestHttp alice;
  private static TestHttp bob;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("s3cret-admin"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start("producer_owner", c -> c.withOps(c.ops().withAuth(auth)));
    TestHttp admin = broker.http().as("admin", "s3cret-admin");
    admin.createTopic("orders", 1);
    String v3 = "/v3/clusters/" + admin.clusterId();
    for (String user : List.of("alice", "bob")) {
      assertThat(admin
              .post(
                  v3 + "/users",
                  "application/json",
                  TestHttp.json(Map.of("name", user, "password", user + "-pw")))
              .status())
          .isIn(200, 201);
      assertThat(admin
              .post(
                  v3 + "/acls",
                  "application/json",
                  TestHttp.json(Map.of(
                      "resource_type",
                      "TOPIC",
                      "resource_name",
                      "orders",
                      "pattern_type",
                      "LITERAL",
                      "principal",
                      "User:" + user,
                      "operation",
                      "WRITE",
                      "permission",
                      "ALLOW")))
              .status())
          .isIn(200, 201);
    }
    alice = broker.http().as("alice", "alice-pw");
    bob = broker.http().as("bob", "bob-pw");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void bob_cannot_produce_with_alices_producer_id() {
    long id = init(alice, "{}").get("producer_id").asLong();
    assertThat(send(alice, id, 0, 0, "a").status()).isEqualTo(200);
    long end = end();

    TestHttp.assertError(send(bob, id, 0, 1, "forged"), 403, 40301);

    assertThat(end()).isEqualTo(end);
    assertThat(send(alice, id, 0, 1, "b").status()).isEqualTo(200);
  }

  @Test
  void bob_cannot_bump_the_epoch_of_alices_producer() {
    long id = init(alice, "{}").get("producer_id").asLong();

    TestHttp.assertError(
        bob.post("/producers", TestHttp.V2, "{\"producer_id\":" + id + ",\"producer_epoch\":0}"),
        403,
        40301);

    assertThat(broker.queryLong("select producer_epoch from producer where producer_id = " + id))
        .isZero();
    assertThat(send(alice, id, 0, 0, "still mine").status()).isEqualTo(200);
    assertThat(init(alice, "{\"producer_id\":" + id + ",\"producer_epoch\":0}")
            .get("producer_epoch")
            .asInt())
        .isEqualTo(1);
  }

  @Test
  void producer_ids_are_not_consecutive() {
    long first = init(bob, "{}").get("producer_id").asLong();
    long second = init(bob, "{}").get("producer_id").asLong();

    assertThat(first).isNotNegative();
    assertThat(second).isNotNegative();
    assertThat(Math.abs(second - first)).isGreaterThan(1_000_000L);
  }

  private static JsonNode init(TestHttp who, String body) {
    var r = who.post("/producers", TestHttp.V2, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static TestHttp.Response send(
      TestHttp who, long id, int epoch, int sequence, String value) {
    return who.post(
        "/topics/orders/partitions/0?producer_id=" + id + "&producer_epoch=" + epoch + "&sequence="
            + sequence,
        TestHttp.JSON,
        TestHttp.json(Map.of("records", List.of(Map.of("value", value)))));
  }

  private static long end() {
    return broker.queryLong("select log_end_offset from topic_partition");
  }
}

package io.rowstream.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A topic's replication factor is refused as Kafka refuses it: larger than the live brokers (lease
 * current), or below 1 other than -1 (the default). Over real HTTP, nothing written on a refusal.
 */
class ReplicationFactorTest {
  static TestBroker broker;
  static TestHttp http;
  static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("replication_factor");
    http = broker.http();
    topics = "/v3/clusters/" + broker.node(0).services().clusterId() + "/topics";
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_factor_larger_than_the_live_brokers_is_refused_as_kafka_refuses_it() {
    var r = create("too-many", 3, false);

    TestHttp.assertError(r, 400, 40002);
    assertThat(r.json().get("message").asText())
        .isEqualTo("Replication factor: 3 larger than available brokers: 1.");
    assertThat(broker.queryLong("select count(*) from topic where name = 'too-many'"))
        .isZero();
  }

  @Test
  void validate_only_refuses_it_too() {
    var r = create("too-many-checked", 2, true);
    TestHttp.assertError(r, 400, 40002);
    assertThat(r.json().get("message").asText())
        .isEqualTo("Replication factor: 2 larger than available brokers: 1.");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -2, -100})
  void a_factor_below_one_other_than_minus_one_is_refused(int factor) {
    var r = create("below-one", factor, false);
    TestHttp.assertError(r, 400, 40002);
    assertThat(r.json().get("message").asText())
        .isEqualTo("Replication factor must be larger than 0, or -1 to use the default value.");
    assertThat(broker.queryLong("select count(*) from topic where name = 'below-one'"))
        .isZero();
  }

  @Test
  void minus_one_takes_the_default_factor() {
    var r = create("defaulted", -1, false);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("replication_factor").asInt()).isEqualTo(1);
  }

  @Test
  void a_factor_up_to_the_live_brokers_is_accepted_and_one_past_them_refused() {
    int second = broker.startNode();
    try {
      var two = create("two-copies", 2, false);
      assertThat(two.status()).as(two.body()).isEqualTo(201);
      assertThat(
              http.get(topics + "/two-copies").json().get("replication_factor").asInt())
          .isEqualTo(2);
      TestHttp.assertError(create("three-copies", 3, false), 400, 40002);
    } finally {
      broker.stopNode(second);
    }
    // A node that resigned its lease is not live: back to one available broker.
    var r = create("two-again", 2, false);
    TestHttp.assertError(r, 400, 40002);
    assertThat(r.json().get("message").asText())
        .isEqualTo("Replication factor: 2 larger than available brokers: 1.");
  }

  private static TestHttp.Response create(String name, int factor, boolean validateOnly) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic_name", name);
    body.put("replication_factor", factor);
    if (validateOnly) {
      body.put("validate_only", true);
    }
    return http.post(topics, "application/json", TestHttp.json(body));
  }
}

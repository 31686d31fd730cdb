package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a caller sees of topics it may not describe, through group inspection (v3), a consumer
 * instance's subscription and offsets (v2), and a topic's configs (v2): nothing, and an answer
 * indistinguishable from the one for a topic that does not exist.
 */
class TopicVisibilityTest {
  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp carol;
  private static String base;
  private static String groups;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("admin-pw"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start("topic_visibility", c -> c.withOps(c.ops().withAuth(auth)));
    admin = broker.http().as("admin", "admin-pw");
    base = "/v3/clusters/" + admin.clusterId();
    groups = base + "/consumer-groups";
    ok(
        admin.post(
            base + "/users",
            "application/json",
            TestHttp.json(Map.of("name", "carol", "password", "carol-pw"))),
        201);
    carol = broker.http().as("carol", "carol-pw");
    for (String topic : List.of("visible", "hidden")) {
      admin.createTopic(topic, 1);
      ok(
          admin.post(
              "/topics/" + topic,
              TestHttp.BINARY,
              "{\"records\":[{\"value\":\"YQ==\"},{\"value\":\"Yg==\"},{\"value\":\"Yw==\"}]}"),
          200);
    }
    acl("GROUP", "shared", "User:carol", "READ");
    acl("GROUP", "carols", "User:carol", "READ");
    acl("TOPIC", "visible", "User:carol", "READ");

    // The admin's member of "shared" reads both topics; the lag of "hidden" is the larger one.
    String member = "/consumers/shared/instances/a";
    ok(
        admin.post(
            "/consumers/shared",
            TestHttp.V2,
            "{\"name\":\"a\",\"format\":\"binary\",\"auto.commit.enable\":\"false\"}"),
        200);
    ok(
        admin.post(member + "/subscription", TestHttp.V2, "{\"topics\":[\"visible\",\"hidden\"]}"),
        204);
    ok(
        admin.post(
            member + "/offsets",
            TestHttp.V2,
            "{\"offsets\":[{\"topic\":\"visible\",\"partition\":0,"
                + "\"offset\":1},{\"topic\":\"hidden\",\"partition\":0,\"offset\":0}]}"),
        200);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Response ok(Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return r;
  }

  private static void acl(String type, String name, String principal, String op) {
    ok(
        admin.post(
            base + "/acls",
            "application/json",
            TestHttp.json(Map.of(
                "resource_type",
                type,
                "resource_name",
                name,
                "pattern_type",
                "LITERAL",
                "principal",
                principal,
                "operation",
                op,
                "permission",
                "ALLOW"))),
        201);
  }

  /** The call about topic "hidden" is answered 404 as the same call about "nothere", which does not exist. */
  private static void answeredAsMissing(Function<String, Response> call) {
    Response hidden = call.apply("hidden");
    Response missing = call.apply("nothere");
    assertThat(missing.status()).as(missing.body()).isEqualTo(404);
    assertThat(hidden.status()).as(hidden.body()).isEqualTo(404);
    assertThat(hidden.body().replace("hidden", "nothere")).isEqualTo(missing.body());
  }

  @Test
  void group_inspection_shows_no_topic_the_caller_may_not_describe() {
    JsonNode consumers = ok(carol.get(groups + "/shared/consumers"), 200).json().get("data");
    assertThat(consumers).hasSize(1);
    assertThat(consumers.toString()).contains("visible").doesNotContain("hidden");
    assertThat(admin.get(groups + "/shared/consumers").body()).contains("visible", "hidden");

    String consumer =
        groups + "/shared/consumers/" + consumers.get(0).get("consumer_id").asText();
    assertThat(ok(carol.get(consumer), 200).body()).contains("visible").doesNotContain("hidden");
    JsonNode assignments = ok(carol.get(consumer + "/assignments"), 200).json().get("data");
    assertThat(assignments)
        .extracting(a -> a.get("topic_name").asText())
        .containsExactly("visible");

    JsonNode lags = ok(carol.get(groups + "/shared/lags"), 200).json().get("data");
    assertThat(lags).extracting(l -> l.get("topic_name").asText()).containsExactly("visible");
    assertThat(admin.get(groups + "/shared/lags").json().get("data")).hasSize(2);

    JsonNode summary = ok(carol.get(groups + "/shared/lag-summary"), 200).json();
    assertThat(summary.toString()).doesNotContain("hidden");
    assertThat(summary.get("max_lag_topic_name").asText()).isEqualTo("visible");
    assertThat(summary.get("total_lag").asLong()).isEqualTo(1);
    assertThat(admin
            .get(groups + "/shared/lag-summary")
            .json()
            .get("max_lag_topic_name")
            .asText())
        .isEqualTo("hidden");
  }

  @Test
  void
      the_lag_of_a_topic_the_caller_may_not_describe_is_answered_as_for_a_topic_that_does_not_exist() {
    assertThat(ok(carol.get(groups + "/shared/lags/visible/partitions/0"), 200)
            .json()
            .get("lag")
            .asLong())
        .isEqualTo(1);
    assertThat(ok(admin.get(groups + "/shared/lags/hidden/partitions/0"), 200)
            .json()
            .get("lag")
            .asLong())
        .isEqualTo(2);
    answeredAsMissing(topic -> carol.get(groups + "/shared/lags/" + topic + "/partitions/0"));
  }

  @Test
  void a_subscription_and_its_offsets_show_no_topic_the_caller_may_no_longer_describe() {
    String member = "/consumers/carols/instances/c";
    acl("TOPIC", "hidden", "User:carol", "READ");
    ok(
        carol.post(
            "/consumers/carols",
            TestHttp.V2,
            "{\"name\":\"c\",\"format\":\"binary\",\"auto.commit.enable\":\"false\"}"),
        200);
    ok(
        carol.post(member + "/subscription", TestHttp.V2, "{\"topics\":[\"visible\",\"hidden\"]}"),
        204);
    ok(
        carol.post(
            member + "/offsets",
            TestHttp.V2,
            "{\"offsets\":[{\"topic\":\"visible\",\"partition\":0,"
                + "\"offset\":0},{\"topic\":\"hidden\",\"partition\":0,\"offset\":0}]}"),
        200);
    assertThat(carol.get(member + "/subscription").body()).contains("hidden");

    ok(
        admin.method(
            "DELETE",
            base + "/acls?principal=User:carol&resource_type=TOPIC&resource_name=hidden"
                + "&pattern_type=ANY&operation=ANY&permission=ANY",
            null,
            null),
        200);

    JsonNode subscription = ok(carol.get(member + "/subscription"), 200).json();
    assertThat(subscription.get("topics")).extracting(JsonNode::asText).containsExactly("visible");
    JsonNode offsets = ok(carol.get(member + "/offsets"), 200).json().get("offsets");
    assertThat(offsets).extracting(o -> o.get("topic").asText()).containsExactly("visible");
    for (String instance : List.of(member, "/consumers/carols/instances/nobody")) {
      answeredAsMissing(topic -> carol.method(
          "GET",
          instance + "/offsets",
          TestHttp.V2,
          "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}"));
    }
  }

  @Test
  void topic_metadata_shows_configs_only_to_who_may_describe_them() {
    JsonNode topic = ok(carol.get("/topics/visible"), 200).json();
    assertThat(topic.get("name").asText()).isEqualTo("visible");
    assertThat(topic.get("partitions")).hasSize(1);
    assertThat(topic.get("configs").isObject()).isTrue();
    assertThat(topic.get("configs").size()).isZero();
    TestHttp.assertError(carol.get(base + "/topics/visible/configs"), 403, 40301);

    assertThat(ok(admin.get("/topics/visible"), 200).json().get("configs").get("retention.ms"))
        .isNotNull();
    acl("TOPIC", "visible", "User:carol", "DESCRIBE_CONFIGS");
    assertThat(ok(carol.get("/topics/visible"), 200).json().get("configs").get("retention.ms"))
        .isNotNull();
  }
}

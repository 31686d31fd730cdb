package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v3/clusters/{cid}/consumer-groups/{g}/offsets:reset} over HTTP: each strategy, the
 * dry run that stores nothing, and the refusal (nothing written) while the group has a live member,
 * from the HTTP door or the Kafka door.
 */
class GroupOffsetResetV3Test {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_reset", 1_000);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();

  private String reset(String group) {
    return "/v3/clusters/" + http.clusterId() + "/consumer-groups/" + group + "/offsets:reset";
  }

  private TestHttp.Response post(String group, Map<String, Object> body) {
    return http.post(reset(group), "application/json", TestHttp.json(body));
  }

  /** A group that committed offset 3 in each of the topic's partitions of 5 records, then left. */
  private void committedAndLeft(String group, String topic, int partitions) {
    calls.filledTopic(topic, partitions, "r", 5);
    String member = calls.member(http, group, "m", Map.of("auto.commit.enable", "false"));
    List<Map<String, Object>> offsets = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      offsets.add(Map.of("topic", topic, "partition", p, "offset", 2));
    }
    GroupCalls.post204(
        http, member + "/assignments", GroupCalls.partitions(topic, range(partitions)));
    var commit =
        http.post(member + "/offsets", TestHttp.V2, TestHttp.json(Map.of("offsets", offsets)));
    assertThat(commit.status()).as(commit.body()).isEqualTo(200);
    assertThat(http.delete(member).status()).isEqualTo(204);
    assertThat(calls.committed(group, topic, 0)).isEqualTo(3);
  }

  private static int[] range(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  private static List<String> offsets(JsonNode answer) {
    List<String> out = new ArrayList<>();
    answer
        .get("data")
        .forEach(o -> out.add(o.get("topic_name").asText() + "-"
            + o.get("partition_id").asInt() + "@" + o.get("offset").asLong()));
    return out;
  }

  private long lag(String group) {
    return http.get(
            "/v3/clusters/" + http.clusterId() + "/consumer-groups/" + group + "/lag-summary")
        .json()
        .get("total_lag")
        .asLong();
  }

  @Test
  void a_dry_run_shows_the_plan_and_stores_nothing_then_a_reset_to_earliest_stores_it() {
    committedAndLeft("g-early", "early", 2);
    String before = calls.groupState("g-early");

    var dry = post("g-early", Map.of("strategy", "earliest", "dry_run", true));
    assertThat(dry.status()).as(dry.body()).isEqualTo(200);
    assertThat(dry.json().get("kind").asText()).isEqualTo("KafkaConsumerGroupOffsetResetList");
    assertThat(offsets(dry.json())).containsExactly("early-0@0", "early-1@0");
    assertThat(calls.groupState("g-early")).as("a dry run writes nothing").isEqualTo(before);
    assertThat(lag("g-early")).isEqualTo(4);

    var done = post("g-early", Map.of("strategy", "earliest"));
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(offsets(done.json())).containsExactly("early-0@0", "early-1@0");
    assertThat(calls.committed("g-early", "early", 0)).isZero();
    assertThat(calls.committed("g-early", "early", 1)).isZero();
    assertThat(lag("g-early")).isEqualTo(10);
  }

  @Test
  void latest_time_and_explicit_offsets_resolve_per_partition() {
    committedAndLeft("g-other", "other", 2);
    assertThat(offsets(
            post("g-other", Map.of("strategy", "latest")).expectStatus(200).json()))
        .containsExactly("other-0@5", "other-1@5");
    assertThat(lag("g-other")).isZero();

    broker.http().createTopic("timed", 1);
    Map<String, Long> at = new LinkedHashMap<>();
    at.put("a", 1_000L);
    at.put("b", 2_000L);
    at.put("c", 3_000L);
    calls.produceAt("timed", 0, at);
    var timed =
        post("g-other", Map.of("strategy", "timestamp", "timestamp", 2_000, "topic_name", "timed"));
    assertThat(offsets(timed.expectStatus(200).json()))
        .as("only the topic named, though the group never committed in it")
        .containsExactly("timed-0@1");
    assertThat(offsets(post(
                "g-other",
                Map.of("strategy", "timestamp", "timestamp", 9_000, "topic_name", "timed"))
            .expectStatus(200)
            .json()))
        .as("no record at or after the time: the log end, as kafka-consumer-groups does")
        .containsExactly("timed-0@3");

    var explicit = post(
        "g-other",
        Map.of(
            "strategy",
            "offsets",
            "offsets",
            List.of(Map.of("topic_name", "other", "partition_id", 1, "offset", 2))));
    assertThat(offsets(explicit.expectStatus(200).json())).containsExactly("other-1@2");
    assertThat(calls.committed("g-other", "other", 1)).isEqualTo(2);
    assertThat(calls.committed("g-other", "other", 0)).isEqualTo(5);
  }

  @Test
  void a_reset_is_refused_and_writes_nothing_while_an_http_member_is_live() {
    committedAndLeft("g-live", "live", 1);
    calls.joined(http, "g-live", "still-here", Map.of("auto.commit.enable", "false"), "live");
    String before = calls.groupState("g-live");

    for (boolean dryRun : new boolean[] {true, false}) {
      var refused = post("g-live", Map.of("strategy", "earliest", "dry_run", dryRun));
      TestHttp.assertError(refused, 409, 409);
      assertThat(refused.json().get("message").asText())
          .contains("g-live", "live consumer instance");
    }
    assertThat(calls.groupState("g-live")).isEqualTo(before);
    assertThat(calls.committed("g-live", "live", 0)).isEqualTo(3);
  }

  @Test
  void a_reset_is_refused_while_a_kafka_client_is_a_member_of_the_group() {
    committedAndLeft("g-kafka", "kafkaed", 1);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(
        broker.kafkaBootstrap(), Map.of(ConsumerConfig.GROUP_ID_CONFIG, "g-kafka"))) {
      consumer.subscribe(List.of("kafkaed"));
      Await.until("the Kafka client is assigned its partition", Duration.ofSeconds(60), () -> {
        consumer.poll(Duration.ofMillis(100));
        return !consumer.assignment().isEmpty();
      });
      String before = calls.groupState("g-kafka");
      TestHttp.assertError(post("g-kafka", Map.of("strategy", "latest")), 409, 409);
      assertThat(calls.groupState("g-kafka")).isEqualTo(before);
    }
  }

  @Test
  void unknown_groups_topics_bad_bodies_and_offsets_out_of_range_are_refused() {
    committedAndLeft("g-bad", "bad", 1);
    TestHttp.assertError(post("no-such-group", Map.of("strategy", "earliest")), 404, 404);
    TestHttp.assertError(
        post("g-bad", Map.of("strategy", "earliest", "topic_name", "no-such-topic")), 404, 40403);
    TestHttp.assertError(post("g-bad", Map.of("strategy", "sideways")), 400, 40002);
    TestHttp.assertError(post("g-bad", Map.of("strategy", "timestamp")), 400, 40002);
    TestHttp.assertError(post("g-bad", Map.of("strategy", "offsets")), 400, 40002);
    var tooFar = post(
        "g-bad",
        Map.of(
            "strategy",
            "offsets",
            "offsets",
            List.of(Map.of("topic_name", "bad", "partition_id", 0, "offset", 6))));
    TestHttp.assertError(tooFar, 400, 40002);
    assertThat(tooFar.json().get("message").asText()).contains("[0, 5]");
    assertThat(calls.committed("g-bad", "bad", 0)).isEqualTo(3);
  }
}

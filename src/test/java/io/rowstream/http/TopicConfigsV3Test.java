package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import io.rowstream.support.TopicRows;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** v3 topic configs over real HTTP: listing every known config, one config, and configs:alter. */
class TopicConfigsV3Test {
  /** Kafka 4.x's topic configs (LogConfig's, less the internal ones), sorted. */
  static final List<String> KNOWN = List.of(
      "cleanup.policy",
      "compression.gzip.level",
      "compression.lz4.level",
      "compression.type",
      "compression.zstd.level",
      "delete.retention.ms",
      "file.delete.delay.ms",
      "flush.messages",
      "flush.ms",
      "follower.replication.throttled.replicas",
      "index.interval.bytes",
      "leader.replication.throttled.replicas",
      "local.retention.bytes",
      "local.retention.ms",
      "max.compaction.lag.ms",
      "max.message.bytes",
      "message.downconversion.enable",
      "message.timestamp.after.max.ms",
      "message.timestamp.before.max.ms",
      "message.timestamp.type",
      "min.cleanable.dirty.ratio",
      "min.compaction.lag.ms",
      "min.insync.replicas",
      "preallocate",
      "remote.log.copy.disable",
      "remote.log.delete.on.disable",
      "remote.storage.enable",
      "retention.bytes",
      "retention.ms",
      "segment.bytes",
      "segment.index.bytes",
      "segment.jitter.ms",
      "segment.ms",
      "unclean.leader.election.enable");

  static TestBroker broker;
  static TestHttp http;
  static String cid;
  static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("topic_configs_v3");
    http = broker.http();
    cid = broker.node(0).services().clusterId();
    topics = "/v3/clusters/" + cid + "/topics";
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void configs_list_every_known_config_sorted_with_defaults_marked() {
    http.createTopic("plain", 1);

    var r = http.get(topics + "/plain/configs");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode list = r.json();
    assertThat(list.get("kind").asText()).isEqualTo("KafkaTopicConfigList");
    assertThat(list.get("metadata").get("self").asText())
        .isEqualTo(http.baseUrl() + topics + "/plain/configs");
    assertThat(list.get("data").valueStream().map(c -> c.get("name").asText()))
        .containsExactlyElementsOf(KNOWN);
    JsonNode retention = config(list, "retention.ms");
    assertThat(retention.get("kind").asText()).isEqualTo("KafkaTopicConfig");
    assertThat(retention.get("metadata").get("self").asText())
        .isEqualTo(http.baseUrl() + topics + "/plain/configs/retention.ms");
    assertThat(retention.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + cid + "/topic=plain/config=retention.ms");
    assertThat(retention.get("cluster_id").asText()).isEqualTo(cid);
    assertThat(retention.get("topic_name").asText()).isEqualTo("plain");
    assertThat(retention.get("value").asText()).isEqualTo("604800000");
    assertThat(retention.get("is_default").asBoolean()).isTrue();
    assertThat(retention.get("is_read_only").asBoolean()).isFalse();
    assertThat(retention.get("is_sensitive").asBoolean()).isFalse();
    assertThat(retention.get("source").asText()).isEqualTo("DEFAULT_CONFIG");
    assertThat(retention.get("synonyms").toString())
        .isEqualTo(
            "[{\"name\":\"log.retention.hours\",\"value\":\"168\",\"source\":\"DEFAULT_CONFIG\"}]");
  }

  @Test
  void a_config_given_at_creation_is_a_dynamic_topic_config() {
    http.post(
        topics,
        "application/json",
        TestHttp.json(Map.of(
            "topic_name",
            "compacted",
            "configs",
            List.of(Map.of("name", "cleanup.policy", "value", "compact")))));

    var r = http.get(topics + "/compacted/configs/cleanup.policy");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("value").asText()).isEqualTo("compact");
    assertThat(r.json().get("is_default").asBoolean()).isFalse();
    assertThat(r.json().get("source").asText()).isEqualTo("DYNAMIC_TOPIC_CONFIG");
    assertThat(r.json().get("synonyms").findValuesAsText("source"))
        .containsExactly("DYNAMIC_TOPIC_CONFIG", "DEFAULT_CONFIG");
    assertThat(r.json().get("synonyms").findValuesAsText("name"))
        .containsExactly("cleanup.policy", "log.cleanup.policy");
  }

  @Test
  void alter_sets_and_deletes_overrides_and_configs_show_which_are_default() {
    http.createTopic("altered", 1);
    var set = alter(
        "altered",
        List.of(
            Map.of("name", "retention.ms", "value", "1000", "operation", "SET"),
            Map.of("name", "max.message.bytes", "value", "2048")));
    assertThat(set.status()).as(set.body()).isEqualTo(204);

    JsonNode afterSet = http.get(topics + "/altered/configs").json();
    assertThat(config(afterSet, "retention.ms").get("value").asText()).isEqualTo("1000");
    assertThat(config(afterSet, "retention.ms").get("is_default").asBoolean()).isFalse();
    assertThat(config(afterSet, "max.message.bytes").get("source").asText())
        .isEqualTo("DYNAMIC_TOPIC_CONFIG");
    assertThat(config(afterSet, "segment.ms").get("is_default").asBoolean()).isTrue();

    var delete = alter("altered", List.of(Map.of("name", "retention.ms", "operation", "DELETE")));
    assertThat(delete.status()).as(delete.body()).isEqualTo(204);

    JsonNode afterDelete = http.get(topics + "/altered/configs").json();
    assertThat(config(afterDelete, "retention.ms").get("value").asText()).isEqualTo("604800000");
    assertThat(config(afterDelete, "retention.ms").get("is_default").asBoolean())
        .isTrue();
    assertThat(config(afterDelete, "retention.ms").get("source").asText())
        .isEqualTo("DEFAULT_CONFIG");
    assertThat(config(afterDelete, "max.message.bytes").get("value").asText()).isEqualTo("2048");
    assertThat(http.get("/topics/altered")
            .json()
            .get("configs")
            .get("max.message.bytes")
            .asText())
        .isEqualTo("2048");
  }

  @Test
  void alter_with_validate_only_answers_204_and_writes_nothing() {
    http.createTopic("dry-run", 1);
    String before = TopicRows.snapshot(broker);
    var r = http.post(
        topics + "/dry-run/configs:alter",
        "application/json",
        TestHttp.json(Map.of(
            "data",
            List.of(Map.of("name", "retention.ms", "value", "1000")),
            "validate_only",
            true)));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(TopicRows.snapshot(broker)).isEqualTo(before);
  }

  @Test
  void alter_refuses_unknown_names_bad_values_and_duplicates_with_40002_and_writes_nothing() {
    http.createTopic("strict", 1);
    refused(
        () -> alter("strict", List.of(Map.of("name", "no.such.config", "value", "1"))), 400, 40002);
    refused(
        () -> alter("strict", List.of(Map.of("name", "no.such.config", "operation", "DELETE"))),
        400,
        40002);
    refused(
        () -> alter(
            "strict",
            List.of(
                Map.of("name", "retention.ms", "value", "1000"),
                Map.of("name", "segment.bytes", "value", "12"))),
        400,
        40002);
    refused(
        () -> alter(
            "strict",
            List.of(
                Map.of("name", "retention.ms", "value", "1000"),
                Map.of("name", "retention.ms", "operation", "DELETE"))),
        400,
        40002);
    refused(
        () -> alter(
            "strict", List.of(Map.of("name", "retention.ms", "value", "1", "operation", "APPEND"))),
        400,
        400);
    refused(() -> alter("strict", List.of(Map.of("name", "retention.ms"))), 400, 40002);
  }

  @Test
  void alter_refuses_a_body_without_data_or_with_malformed_json_with_400() {
    http.createTopic("bodies", 1);
    refused(() -> http.post(topics + "/bodies/configs:alter", "application/json", "{}"), 400, 400);
    refused(
        () -> http.post(topics + "/bodies/configs:alter", "application/json", "{\"data\":["),
        400,
        400);
  }

  @Test
  void unknown_topics_and_unknown_config_names_are_404() {
    assertThat(http.get(topics + "/ghost/configs").errorCode()).isEqualTo(40403);
    assertThat(http.get(topics + "/ghost/configs/retention.ms").errorCode()).isEqualTo(40403);
    refused(
        () -> alter("ghost", List.of(Map.of("name", "retention.ms", "value", "1000"))), 404, 40403);

    http.createTopic("known", 1);
    var r = http.get(topics + "/known/configs/compression.typo");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.errorCode()).isEqualTo(404);
  }

  private static Response alter(String topic, List<Map<String, String>> data) {
    return http.post(
        topics + "/" + topic + "/configs:alter",
        "application/json",
        TestHttp.json(Map.of("data", data)));
  }

  private static void refused(
      java.util.function.Supplier<Response> request, int status, int errorCode) {
    TopicRows.assertRefusedWithoutWrites(broker, request, status, errorCode);
  }

  /** The entry of that name in a v3 config list. */
  static JsonNode config(JsonNode list, String name) {
    for (JsonNode c : list.get("data")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no config " + name + " in " + list);
  }
}

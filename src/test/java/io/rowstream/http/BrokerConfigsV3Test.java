package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import io.rowstream.topic.TopicCache;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster-wide defaults of topic configs (Kafka's dynamic default broker configs) over real HTTP on
 * two nodes: they decide how segments roll for topics that do not override them, on every node;
 * a topic override still wins; DELETE restores the built-in default; bad changes write nothing.
 */
class BrokerConfigsV3Test {
  /** Kafka's broker configs that set the defaults of topic configs (ServerTopicConfigSynonyms), sorted. */
  static final List<String> KNOWN = List.of(
      "auto.create.topics.enable",
      "compression.gzip.level",
      "compression.lz4.level",
      "compression.type",
      "compression.zstd.level",
      "log.cleaner.delete.retention.ms",
      "log.cleaner.max.compaction.lag.ms",
      "log.cleaner.min.cleanable.ratio",
      "log.cleaner.min.compaction.lag.ms",
      "log.cleanup.policy",
      "log.flush.interval.messages",
      "log.flush.interval.ms",
      "log.flush.scheduler.interval.ms",
      "log.index.interval.bytes",
      "log.index.size.max.bytes",
      "log.local.retention.bytes",
      "log.local.retention.ms",
      "log.message.downconversion.enable",
      "log.message.timestamp.after.max.ms",
      "log.message.timestamp.before.max.ms",
      "log.message.timestamp.type",
      "log.preallocate",
      "log.retention.bytes",
      "log.retention.hours",
      "log.retention.minutes",
      "log.retention.ms",
      "log.roll.hours",
      "log.roll.jitter.hours",
      "log.roll.jitter.ms",
      "log.roll.ms",
      "log.segment.bytes",
      "log.segment.delete.delay.ms",
      "message.max.bytes",
      "min.insync.replicas",
      "unclean.leader.election.enable");
  /** Kafka's smallest log.segment.bytes, 1 MiB. */
  static final String SMALL_SEGMENT = "1048576";
  /** A 600,000-byte value: with its batch header one chunk is well over half of a 1 MiB segment. */
  static final String RECORD = TestHttp.json(Map.of(
      "records", List.of(Map.of("value", Base64.getEncoder().encodeToString(new byte[600_000])))));

  static final String FINGERPRINT =
      "select coalesce(string_agg(name || '=' || value || '@' || updated_at, ',' "
          + "order by name), '') from cluster_config";

  static TestBroker broker;
  static TestHttp http;
  static String cid;
  static String configs;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("broker_configs_v3");
    broker.startNode();
    http = broker.http(0);
    cid = http.clusterId();
    configs = "/v3/clusters/" + cid + "/broker-configs";
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @AfterEach
  void back_to_built_in_defaults() {
    List<Map<String, String>> all =
        KNOWN.stream().map(n -> Map.of("name", n, "operation", "DELETE")).toList();
    assertThat(alter(all).status()).isEqualTo(204);
    assertThat(broker.queryLong("select count(*) from cluster_config")).isZero();
  }

  @Test
  void a_small_log_segment_bytes_rolls_the_segments_of_a_topic_that_does_not_set_segment_bytes() {
    assertThat(set("log.segment.bytes", SMALL_SEGMENT).status()).isEqualTo(204);
    http.createTopic("small-by-default", 1);

    produce(http, "small-by-default", 0, 5);

    assertThat(segments("small-by-default")).isEqualTo(5);
    assertThat(broker.queryLong(
            "select max(s.size_bytes) from segment s join topic t using (topic_id) "
                + "where t.name = 'small-by-default'"))
        .isLessThanOrEqualTo(1024 * 1024);
    JsonNode config = http.get(
            "/v3/clusters/" + cid + "/topics/small-by-default/configs/segment.bytes")
        .json();
    assertThat(config.get("value").asText()).isEqualTo(SMALL_SEGMENT);
    assertThat(config.get("is_default").asBoolean()).isFalse();
    assertThat(config.get("source").asText()).isEqualTo("DYNAMIC_DEFAULT_BROKER_CONFIG");
    assertThat(config.get("synonyms").toString())
        .isEqualTo(
            "["
                + "{\"name\":\"log.segment.bytes\",\"value\":\"1048576\",\"source\":\"DYNAMIC_DEFAULT_BROKER_CONFIG\"},"
                + "{\"name\":\"log.segment.bytes\",\"value\":\"1073741824\",\"source\":\"DEFAULT_CONFIG\"}]");
  }

  @Test
  void a_topic_override_wins_over_the_cluster_default() {
    assertThat(set("log.segment.bytes", SMALL_SEGMENT).status()).isEqualTo(204);
    http.post(
        "/v3/clusters/" + cid + "/topics",
        "application/json",
        TestHttp.json(Map.of(
            "topic_name",
            "own-size",
            "configs",
            List.of(Map.of("name", "segment.bytes", "value", "1073741824")))));

    produce(http, "own-size", 0, 5);

    assertThat(segments("own-size")).isEqualTo(1);
    JsonNode config = http.get("/v3/clusters/" + cid + "/topics/own-size/configs/segment.bytes")
        .json();
    assertThat(config.get("value").asText()).isEqualTo("1073741824");
    assertThat(config.get("source").asText()).isEqualTo("DYNAMIC_TOPIC_CONFIG");
    assertThat(config.get("synonyms").findValuesAsText("source"))
        .containsExactly("DYNAMIC_TOPIC_CONFIG", "DYNAMIC_DEFAULT_BROKER_CONFIG", "DEFAULT_CONFIG");
  }

  @Test
  void delete_restores_the_built_in_default() {
    http.createTopic("restored", 1);
    assertThat(set("log.segment.bytes", SMALL_SEGMENT).status()).isEqualTo(204);
    produce(http, "restored", 0, 3);
    assertThat(segments("restored")).isEqualTo(3);

    assertThat(http.delete(configs + "/log.segment.bytes").status()).isEqualTo(204);
    assertThat(broker.node(0).services().topicCache().require("restored").segmentBytes())
        .as("at once on the node that served the change")
        .isEqualTo(1073741824L);
    // The partition's leader may be the other node, which appends with its own view of the topic.
    awaitSegmentBytes(1, "restored", 1073741824L);
    produce(http, "restored", 0, 3);

    assertThat(segments("restored"))
        .as("the active segment grows past 1 MiB again")
        .isEqualTo(3);
    JsonNode config = http.get(configs + "/log.segment.bytes").json();
    assertThat(config.get("value").asText()).isEqualTo("1073741824");
    assertThat(config.get("is_default").asBoolean()).isTrue();
    assertThat(config.get("source").asText()).isEqualTo("DEFAULT_CONFIG");
    assertThat(http.delete(configs + "/log.segment.bytes").status())
        .as("deleting an unset default")
        .isEqualTo(204);
  }

  @Test
  void
      a_default_set_through_one_node_reaches_a_topic_produced_through_another_within_the_cache_age() {
    TestHttp other = broker.http(1);
    http.createTopic("across", 2);
    int otherNodeId = broker.node(1).services().nodeId();
    long partition = broker.queryLong(
        "select coalesce(min(partition_id) filter (where leader_node_id = " + otherNodeId
            + "), 0) from topic_partition p join topic t using (topic_id) where t.name = 'across'");
    produce(
        other,
        "across",
        (int) partition,
        1); // node 1 now caches the topic with the built-in defaults

    assertThat(set("log.segment.bytes", SMALL_SEGMENT).status()).isEqualTo(204);
    awaitSegmentBytes(1, "across", 1024 * 1024);
    produce(other, "across", (int) partition, 3);

    assertThat(broker.queryLong("select count(*) from segment s join topic t using (topic_id) "
            + "where t.name = 'across' and s.partition_id = " + partition))
        .as("one chunk per segment")
        .isEqualTo(4);
  }

  @Test
  void the_listing_shows_every_broker_config_and_which_are_set() {
    var r = alter(List.of(
        Map.of("name", "log.retention.ms", "value", "3600000"),
        Map.of("name", "log.cleanup.policy", "value", "compact", "operation", "SET")));
    assertThat(r.status()).as(r.body()).isEqualTo(204);

    JsonNode list = http.get(configs).json();

    assertThat(list.get("kind").asText()).isEqualTo("KafkaClusterConfigList");
    assertThat(list.get("metadata").get("self").asText()).isEqualTo(http.baseUrl() + configs);
    assertThat(list.get("data").valueStream().map(c -> c.get("name").asText()))
        .containsExactlyElementsOf(KNOWN);
    JsonNode retention = TopicConfigsV3Test.config(list, "log.retention.ms");
    assertThat(retention.get("kind").asText()).isEqualTo("KafkaClusterConfig");
    assertThat(retention.get("metadata").get("self").asText())
        .isEqualTo(http.baseUrl() + configs + "/log.retention.ms");
    assertThat(retention.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + cid + "/broker-config=log.retention.ms");
    assertThat(retention.get("cluster_id").asText()).isEqualTo(cid);
    assertThat(retention.get("config_type").asText()).isEqualTo("BROKER");
    assertThat(retention.get("value").asText()).isEqualTo("3600000");
    assertThat(retention.get("is_default").asBoolean()).isFalse();
    assertThat(retention.get("is_read_only").asBoolean()).isFalse();
    assertThat(retention.get("is_sensitive").asBoolean()).isFalse();
    assertThat(retention.get("source").asText()).isEqualTo("DYNAMIC_DEFAULT_BROKER_CONFIG");
    JsonNode roll = TopicConfigsV3Test.config(list, "log.roll.ms");
    assertThat(roll.get("value").isNull())
        .as("Kafka's log.roll.ms has no default: log.roll.hours has")
        .isTrue();
    assertThat(roll.get("synonyms").toString())
        .isEqualTo(
            "[{\"name\":\"log.roll.hours\",\"value\":\"168\",\"source\":\"DEFAULT_CONFIG\"}]");
    assertThat(roll.get("source").asText()).isEqualTo("DEFAULT_CONFIG");
    assertThat(roll.get("is_default").asBoolean()).isTrue();
    assertThat(broker.queryText(
            "select string_agg(name || '=' || value, ',' order by name) from cluster_config"))
        .isEqualTo("log.cleanup.policy=compact,log.retention.ms=3600000");
    http.createTopic("compacted-by-default", 1);
    assertThat(http.get("/topics/compacted-by-default")
            .json()
            .get("configs")
            .get("cleanup.policy")
            .asText())
        .as("v2 shows the effective configs")
        .isEqualTo("compact");

    var mixed = alter(List.of(
        Map.of("name", "log.retention.ms", "operation", "DELETE"),
        Map.of("name", "message.max.bytes", "value", "2048")));
    assertThat(mixed.status()).as(mixed.body()).isEqualTo(204);
    assertThat(broker.queryText(
            "select string_agg(name || '=' || value, ',' order by name) from cluster_config"))
        .isEqualTo("log.cleanup.policy=compact,message.max.bytes=2048");
  }

  @Test
  void unknown_names_and_bad_values_are_refused_with_40002_and_nothing_is_written() {
    assertThat(set("log.retention.ms", "1000").status()).isEqualTo(204);
    refused(() -> set("no.such.config", "1"));
    refused(
        () -> set("segment.bytes", "1048576")); // the topic config's name, not the broker config's
    refused(() -> set("log.segment.bytes", "12"));
    refused(() -> set("log.cleanup.policy", "sometimes"));
    refused(() -> http.method("PUT", configs + "/log.segment.bytes", "application/json", "{}"));
    refused(() -> http.delete(configs + "/no.such.config"));
    refused(() -> alter(List.of(
        Map.of("name", "log.roll.ms", "value", "1000"),
        Map.of("name", "log.segment.bytes", "value", "12"))));
    refused(() -> alter(List.of(
        Map.of("name", "log.retention.ms", "operation", "DELETE"),
        Map.of("name", "no.such.config", "value", "1"))));
    refused(() -> alter(List.of(
        Map.of("name", "log.roll.ms", "value", "1000"),
        Map.of("name", "log.roll.ms", "operation", "DELETE"))));
    String beforeNoData = broker.queryText(FINGERPRINT);
    TestHttp.assertError(http.post(configs + ":alter", "application/json", "{}"), 400, 400);
    assertThat(broker.queryText(FINGERPRINT)).isEqualTo(beforeNoData);

    String before = broker.queryText(FINGERPRINT);
    var dryRun = http.post(
        configs + ":alter",
        "application/json",
        TestHttp.json(Map.of(
            "data",
            List.of(Map.of("name", "log.roll.ms", "value", "1000")),
            "validate_only",
            true)));
    assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(204);
    assertThat(broker.queryText(FINGERPRINT)).isEqualTo(before);

    Response unknown = http.get(configs + "/no.such.config");
    TestHttp.assertError(unknown, 404, 404);
    TestHttp.assertError(http.get("/v3/clusters/other/broker-configs"), 404, 404);
  }

  @Test
  void rows_written_by_hand_that_the_broker_would_refuse_are_ignored() throws Exception {
    try (var c = broker.sql();
        var st = c.createStatement()) {
      st.execute("insert into cluster_config (name, value) values ('log.segment.bytes', 'small'), "
          + "('log.no.such.config', 'zstd'), ('message.max.bytes', ' 2000000 ')");
    }
    http.createTopic("hand-written", 1);

    produce(http, "hand-written", 0, 3);

    assertThat(segments("hand-written")).isEqualTo(1);
    JsonNode list = http.get(configs).json();
    assertThat(list.get("data").valueStream().map(n -> n.get("name").asText()))
        .containsExactlyElementsOf(KNOWN);
    assertThat(
            TopicConfigsV3Test.config(list, "log.segment.bytes").get("source").asText())
        .isEqualTo("DEFAULT_CONFIG");
    assertThat(TopicConfigsV3Test.config(list, "message.max.bytes").get("value").asText())
        .isEqualTo("2000000");
    try (var c = broker.sql();
        var st = c.createStatement()) {
      st.execute("delete from cluster_config where name = 'log.no.such.config'");
    }
  }

  /** Waits, at most a little longer than the topic cache's age, until the node resolves the topic's segment.bytes so. */
  private static void awaitSegmentBytes(int node, String topic, long expected) {
    TopicCache cache = broker.node(node).services().topicCache();
    Await.until(
        "node " + node + " resolves segment.bytes of " + topic + " to " + expected,
        TopicCache.MAX_AGE.plusSeconds(2),
        () -> cache.require(topic).segmentBytes() == expected);
  }

  private static Response set(String name, String value) {
    return http.method(
        "PUT", configs + "/" + name, "application/json", TestHttp.json(Map.of("value", value)));
  }

  private static Response alter(List<Map<String, String>> data) {
    return http.post(configs + ":alter", "application/json", TestHttp.json(Map.of("data", data)));
  }

  private static void refused(Supplier<Response> request) {
    String before = broker.queryText(FINGERPRINT);
    TestHttp.assertError(request.get(), 400, 40002);
    assertThat(broker.queryText(FINGERPRINT))
        .as("cluster_config after a refused request")
        .isEqualTo(before);
  }

  private static void produce(TestHttp node, String topic, int partition, int requests) {
    for (int i = 0; i < requests; i++) {
      Response r =
          node.post("/topics/" + topic + "/partitions/" + partition, TestHttp.BINARY, RECORD);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
  }

  private static long segments(String topic) {
    return broker.queryLong(
        "select count(*) from segment s join topic t using (topic_id) where t.name = '" + topic
            + "'");
  }
}

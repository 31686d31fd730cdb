package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import io.rowstream.support.TopicRows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every topic config Kafka 4.x knows, over real HTTP (v3 and v2): described with Kafka's defaults,
 * sources and synonyms as {@code kafka-configs --describe --all} shows them; those with no meaning
 * on PostgreSQL accepted and stored; values checked by Kafka's rules; the broker-level synonyms
 * (log.retention.hours, minutes, ms) setting the cluster-wide default in Kafka's order.
 */
class TopicConfigCatalogTest {
  /** Kafka 4.x's topic configs (LogConfig, less the internal ones) and their built-in defaults. */
  static final Map<String, String> KAFKA_DEFAULTS = kafkaDefaults();

  static TestBroker broker;
  static TestHttp http;
  static String cid;
  static String topics;
  static String brokerConfigs;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("topic_config_catalog");
    http = broker.http();
    cid = broker.node(0).services().clusterId();
    topics = "/v3/clusters/" + cid + "/topics";
    brokerConfigs = "/v3/clusters/" + cid + "/broker-configs";
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @AfterEach
  void back_to_built_in_defaults() {
    http.post(
            brokerConfigs + ":alter",
            "application/json",
            TestHttp.json(Map.of(
                "data",
                List.of(
                    Map.of("name", "log.retention.ms", "operation", "DELETE"),
                    Map.of("name", "log.retention.minutes", "operation", "DELETE"),
                    Map.of("name", "log.retention.hours", "operation", "DELETE")))))
        .expectStatus(204);
  }

  @Test
  void describe_lists_every_kafka_topic_config_with_its_default_and_source_on_v3_and_v2() {
    http.createTopic("described", 1);

    JsonNode list = http.get(topics + "/described/configs").expectStatus(200).json();

    Map<String, String> values = new LinkedHashMap<>();
    for (JsonNode c : list.get("data")) {
      values.put(c.get("name").asText(), c.get("value").asText());
      assertThat(c.get("source").asText()).as(c.toString()).isEqualTo("DEFAULT_CONFIG");
      assertThat(c.get("is_default").asBoolean()).as(c.toString()).isTrue();
      assertThat(c.get("is_read_only").asBoolean()).as(c.toString()).isFalse();
      assertThat(c.get("is_sensitive").asBoolean()).as(c.toString()).isFalse();
    }
    assertThat(values).containsExactlyEntriesOf(KAFKA_DEFAULTS);
    assertThat(TopicConfigsV3Test.config(list, "retention.ms").get("synonyms").toString())
        .isEqualTo(
            "[{\"name\":\"log.retention.hours\",\"value\":\"168\",\"source\":\"DEFAULT_CONFIG\"}]");
    assertThat(TopicConfigsV3Test.config(list, "segment.ms").get("synonyms").toString())
        .isEqualTo(
            "[{\"name\":\"log.roll.hours\",\"value\":\"168\",\"source\":\"DEFAULT_CONFIG\"}]");
    assertThat(TopicConfigsV3Test.config(list, "flush.messages").get("synonyms").toString())
        .isEqualTo(
            "[{\"name\":\"log.flush.interval.messages\",\"value\":\"9223372036854775807\",\"source\":\"DEFAULT_CONFIG\"}]");
    assertThat(TopicConfigsV3Test.config(list, "remote.storage.enable")
            .get("synonyms")
            .toString())
        .as("a config with no broker-level default has no synonyms")
        .isEqualTo("[]");

    JsonNode v2 = http.get("/topics/described", "Accept", TestHttp.V2)
        .expectStatus(200)
        .json()
        .get("configs");
    Map<String, String> v2Values = new LinkedHashMap<>();
    v2.properties().forEach(e -> v2Values.put(e.getKey(), e.getValue().asText()));
    assertThat(v2Values).containsExactlyEntriesOf(KAFKA_DEFAULTS);
  }

  @Test
  void configs_without_effect_on_postgresql_are_accepted_stored_and_described() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("flush.messages", "1");
    given.put("flush.ms", "0");
    given.put("index.interval.bytes", "100");
    given.put("preallocate", "true");
    given.put("segment.index.bytes", "4");
    given.put("segment.jitter.ms", "1000");
    given.put("file.delete.delay.ms", "0");
    given.put("leader.replication.throttled.replicas", "0:1,1:2");
    given.put("follower.replication.throttled.replicas", "*");
    given.put("local.retention.ms", "-1");
    given.put("local.retention.bytes", "-1");
    given.put("remote.log.copy.disable", "true");
    given.put("remote.log.delete.on.disable", "true");
    given.put("unclean.leader.election.enable", "true");
    given.put("message.downconversion.enable", "false");
    given.put("compression.gzip.level", "9");
    given.put("compression.lz4.level", "17");
    given.put("compression.zstd.level", "-131072");
    http.post(
            topics,
            "application/json",
            TestHttp.json(Map.of(
                "topic_name",
                "inert",
                "configs",
                given.entrySet().stream()
                    .map(e -> Map.of("name", e.getKey(), "value", e.getValue()))
                    .toList())))
        .expectStatus(201);

    JsonNode list = http.get(topics + "/inert/configs").expectStatus(200).json();
    given.forEach((name, value) -> {
      JsonNode c = TopicConfigsV3Test.config(list, name);
      assertThat(c.get("value").asText()).as(name).isEqualTo(value);
      assertThat(c.get("source").asText()).as(name).isEqualTo("DYNAMIC_TOPIC_CONFIG");
    });
    JsonNode v2 = http.get("/topics/inert", "Accept", TestHttp.V2).json().get("configs");
    assertThat(v2.get("preallocate").asText()).isEqualTo("true");

    http.createTopic("inert-alter", 1);
    assertThat(http.method(
                "PUT",
                topics + "/inert-alter/configs/flush.ms",
                "application/json",
                "{\"value\":\"1000\"}")
            .status())
        .isEqualTo(204);
    assertThat(http.get(topics + "/inert-alter/configs/flush.ms")
            .json()
            .get("value")
            .asText())
        .isEqualTo("1000");
  }

  @Test
  void values_are_checked_by_kafkas_rules() {
    http.createTopic("checked", 1);
    for (String[] bad : new String[][] {
      {"flush.messages", "0"},
      {"index.interval.bytes", "-1"},
      {"segment.index.bytes", "3"},
      {"preallocate", "yes"},
      {"unclean.leader.election.enable", "1"},
      {"compression.type", "brotli"},
      {"compression.gzip.level", "0"},
      {"compression.lz4.level", "18"},
      {"compression.zstd.level", "23"},
      {"min.cleanable.dirty.ratio", "1.5"},
      {"max.compaction.lag.ms", "0"},
      {"min.compaction.lag.ms", "-1"},
      {"message.timestamp.after.max.ms", "-1"},
      {"local.retention.ms", "-3"},
      {"leader.replication.throttled.replicas", "0:x"},
      {"follower.replication.throttled.replicas", "*,0:1"},
      {"retention.ms", "-2"},
      {"remote.storage.enable", "true"},
      {"segment.ms", "0"}
    }) {
      refused(() -> put("checked", bad[0], bad[1]), 400, 40002);
    }
    assertThat(put("checked", "unclean.leader.election.enable", " TRUE ").status())
        .isEqualTo(204);
    assertThat(value("checked", "unclean.leader.election.enable")).isEqualTo("true");
    assertThat(put("checked", "compression.type", "zstd").status()).isEqualTo(204);
    assertThat(put("checked", "min.cleanable.dirty.ratio", "1").status()).isEqualTo(204);
    assertThat(value("checked", "min.cleanable.dirty.ratio"))
        .as("as Kafka prints a double")
        .isEqualTo("1.0");
    assertThat(put("checked", "retention.ms", "+0100").status()).isEqualTo(204);
    assertThat(value("checked", "retention.ms")).isEqualTo("100");
    assertThat(put("checked", "remote.storage.enable", "false").status()).isEqualTo(204);
  }

  @Test
  void a_min_compaction_lag_above_the_max_compaction_lag_is_refused_as_kafka_refuses_it() {
    refused(
        () -> http.post(
            topics,
            "application/json",
            TestHttp.json(Map.of(
                "topic_name",
                "lags",
                "configs",
                List.of(
                    Map.of("name", "min.compaction.lag.ms", "value", "2000"),
                    Map.of("name", "max.compaction.lag.ms", "value", "1000"))))),
        400,
        40002);
    http.post(
            topics,
            "application/json",
            TestHttp.json(Map.of(
                "topic_name",
                "lags",
                "configs",
                List.of(Map.of("name", "max.compaction.lag.ms", "value", "1000")))))
        .expectStatus(201);
    refused(() -> put("lags", "min.compaction.lag.ms", "1001"), 400, 40002);
    assertThat(put("lags", "min.compaction.lag.ms", "1000").status()).isEqualTo(204);

    assertThat(setDefault("/log.cleaner.min.compaction.lag.ms", "5000").status())
        .isEqualTo(204);
    refused(() -> setDefault("/log.cleaner.max.compaction.lag.ms", "1000"), 400, 40002);
    assertThat(http.delete(brokerConfigs + "/log.cleaner.min.compaction.lag.ms").status())
        .isEqualTo(204);
  }

  @Test
  void cleanup_policy_lists_are_trimmed_deduplicated_and_may_be_empty() {
    http.createTopic("policies", 1);
    assertThat(put("policies", "cleanup.policy", "delete,delete").status()).isEqualTo(204);
    assertThat(value("policies", "cleanup.policy")).isEqualTo("delete");
    assertThat(put("policies", "cleanup.policy", " compact , delete ,compact").status())
        .isEqualTo(204);
    assertThat(value("policies", "cleanup.policy")).isEqualTo("compact,delete");
    assertThat(put("policies", "cleanup.policy", "").status()).isEqualTo(204);
    assertThat(value("policies", "cleanup.policy")).isEqualTo("");
    refused(() -> put("policies", "cleanup.policy", "delete,,compact"), 400, 40002);
    refused(() -> put("policies", "cleanup.policy", "delete,archive"), 400, 40002);
  }

  @Test
  void
      segment_bytes_below_one_mebibyte_is_refused_and_internal_segment_bytes_is_accepted_unlisted() {
    http.createTopic("segments", 1);
    refused(() -> put("segments", "segment.bytes", "1048575"), 400, 40002);
    assertThat(put("segments", "segment.bytes", "1048576").status()).isEqualTo(204);
    refused(() -> setDefault("/log.segment.bytes", "1024"), 400, 40002);

    assertThat(put("segments", "internal.segment.bytes", "1024").status()).isEqualTo(204);
    JsonNode list = http.get(topics + "/segments/configs").json();
    assertThat(list.get("data").findValuesAsText("name")).doesNotContain("internal.segment.bytes");
    assertThat(broker.node(0).services().topics().require("segments").segmentBytes())
        .isEqualTo(1024);
  }

  @Test
  void retention_bytes_takes_any_long() {
    http.createTopic("sizes", 1);
    assertThat(put("sizes", "retention.bytes", "-5").status()).isEqualTo(204);
    assertThat(value("sizes", "retention.bytes")).isEqualTo("-5");
    assertThat(put("sizes", "retention.bytes", String.valueOf(Long.MIN_VALUE)).status())
        .isEqualTo(204);
    refused(() -> put("sizes", "retention.bytes", "9223372036854775808"), 400, 40002);
  }

  @Test
  void log_retention_hours_minutes_and_ms_set_the_cluster_default_the_finest_winning() {
    http.createTopic("by-default", 1);
    assertThat(setDefault("/log.retention.hours", "2").status()).isEqualTo(204);
    JsonNode retention = http.get(topics + "/by-default/configs/retention.ms").json();
    assertThat(retention.get("value").asText()).isEqualTo("7200000");
    assertThat(retention.get("source").asText()).isEqualTo("DYNAMIC_DEFAULT_BROKER_CONFIG");
    assertThat(retention.get("is_default").asBoolean()).isFalse();
    assertThat(retention.get("synonyms").toString())
        .isEqualTo(
            "[{\"name\":\"log.retention.hours\",\"value\":\"2\",\"source\":\"DYNAMIC_DEFAULT_BROKER_CONFIG\"},"
                + "{\"name\":\"log.retention.hours\",\"value\":\"168\",\"source\":\"DEFAULT_CONFIG\"}]");

    assertThat(setDefault("/log.retention.minutes", "30").status()).isEqualTo(204);
    assertThat(value("by-default", "retention.ms")).isEqualTo("1800000");
    assertThat(setDefault("/log.retention.ms", "1000").status()).isEqualTo(204);
    assertThat(value("by-default", "retention.ms")).isEqualTo("1000");
    assertThat(broker
            .node(0)
            .services()
            .topics()
            .require("by-default")
            .config(io.rowstream.topic.TopicConfig.RETENTION_MS))
        .isEqualTo("1000");
    assertThat(http.get(topics + "/by-default/configs/retention.ms")
            .json()
            .get("synonyms")
            .findValuesAsText("name"))
        .containsExactly(
            "log.retention.ms",
            "log.retention.minutes",
            "log.retention.hours",
            "log.retention.hours");

    assertThat(http.delete(brokerConfigs + "/log.retention.ms").status()).isEqualTo(204);
    assertThat(value("by-default", "retention.ms")).isEqualTo("1800000");
    assertThat(setDefault("/log.retention.hours", "-1").status()).isEqualTo(204);
    assertThat(http.delete(brokerConfigs + "/log.retention.minutes").status()).isEqualTo(204);
    assertThat(value("by-default", "retention.ms"))
        .as("a negative retention is no limit")
        .isEqualTo("-1");

    JsonNode listed = http.get(brokerConfigs).json();
    JsonNode hours = TopicConfigsV3Test.config(listed, "log.retention.hours");
    assertThat(hours.get("value").asText()).isEqualTo("-1");
    assertThat(hours.get("source").asText()).isEqualTo("DYNAMIC_DEFAULT_BROKER_CONFIG");
    JsonNode ms = TopicConfigsV3Test.config(listed, "log.retention.ms");
    assertThat(ms.get("value").isNull()).as(ms.toString()).isTrue();
    assertThat(ms.get("source").asText()).isEqualTo("DEFAULT_CONFIG");
    assertThat(listed.get("data").findValuesAsText("name"))
        .contains(
            "log.retention.minutes",
            "log.roll.hours",
            "log.roll.jitter.hours",
            "log.flush.interval.messages",
            "log.flush.scheduler.interval.ms",
            "log.index.interval.bytes",
            "log.segment.delete.delay.ms",
            "log.cleaner.min.cleanable.ratio",
            "log.preallocate",
            "unclean.leader.election.enable",
            "compression.type",
            "log.local.retention.ms");
    JsonNode perBroker = http.get("/v3/clusters/" + cid + "/brokers/-/configs").json();
    assertThat(perBroker.get("data").findValuesAsText("name"))
        .contains("log.retention.hours", "log.roll.hours");

    refused(() -> setDefault("/log.roll.hours", "0"), 400, 40002);
    refused(() -> setDefault("/log.retention.hours", "1.5"), 400, 40002);
  }

  @Test
  void unknown_names_are_still_refused() {
    refused(
        () -> http.post(
            topics,
            "application/json",
            TestHttp.json(Map.of(
                "topic_name",
                "unknown",
                "configs",
                List.of(Map.of("name", "no.such.config", "value", "1"))))),
        400,
        40002);
    http.createTopic("known-only", 1);
    refused(
        () -> http.post(
            topics + "/known-only/configs:alter",
            "application/json",
            TestHttp.json(
                Map.of("data", List.of(Map.of("name", "log.retention.hours", "value", "1"))))),
        400,
        40002);
    refused(() -> setDefault("/log.no.such.config", "1"), 400, 40002);
    refused(() -> setDefault("/retention.ms", "1"), 400, 40002);
  }

  private static Response put(String topic, String name, String value) {
    return http.method(
        "PUT",
        topics + "/" + topic + "/configs/" + name,
        "application/json",
        TestHttp.json(Map.of("value", value)));
  }

  private static Response setDefault(String path, String value) {
    return http.method(
        "PUT", brokerConfigs + path, "application/json", TestHttp.json(Map.of("value", value)));
  }

  private static String value(String topic, String name) {
    return http.get(topics + "/" + topic + "/configs/" + name)
        .expectStatus(200)
        .json()
        .get("value")
        .asText();
  }

  private static void refused(Supplier<Response> request, int status, int errorCode) {
    TopicRows.assertRefusedWithoutWrites(broker, request, status, errorCode);
  }

  private static Map<String, String> kafkaDefaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("cleanup.policy", "delete");
    d.put("compression.gzip.level", "-1");
    d.put("compression.lz4.level", "9");
    d.put("compression.type", "producer");
    d.put("compression.zstd.level", "3");
    d.put("delete.retention.ms", "86400000");
    d.put("file.delete.delay.ms", "60000");
    d.put("flush.messages", "9223372036854775807");
    d.put("flush.ms", "9223372036854775807");
    d.put("follower.replication.throttled.replicas", "");
    d.put("index.interval.bytes", "4096");
    d.put("leader.replication.throttled.replicas", "");
    d.put("local.retention.bytes", "-2");
    d.put("local.retention.ms", "-2");
    d.put("max.compaction.lag.ms", "9223372036854775807");
    d.put("max.message.bytes", "1048588");
    d.put("message.downconversion.enable", "true");
    d.put("message.timestamp.after.max.ms", "3600000");
    d.put("message.timestamp.before.max.ms", "9223372036854775807");
    d.put("message.timestamp.type", "CreateTime");
    d.put("min.cleanable.dirty.ratio", "0.5");
    d.put("min.compaction.lag.ms", "0");
    d.put("min.insync.replicas", "1");
    d.put("preallocate", "false");
    d.put("remote.log.copy.disable", "false");
    d.put("remote.log.delete.on.disable", "false");
    d.put("remote.storage.enable", "false");
    d.put("retention.bytes", "-1");
    d.put("retention.ms", "604800000");
    d.put("segment.bytes", "1073741824");
    d.put("segment.index.bytes", "10485760");
    d.put("segment.jitter.ms", "0");
    d.put("segment.ms", "604800000");
    d.put("unclean.leader.election.enable", "false");
    return d;
  }
}

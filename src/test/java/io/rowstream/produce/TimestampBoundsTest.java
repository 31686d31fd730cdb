package io.rowstream.produce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka's timestamp bounds (KIP-937): a CreateTime record more than message.timestamp.after.max.ms
 * ahead of the node's clock, or more than message.timestamp.before.max.ms behind it, refuses the
 * whole request with INVALID_TIMESTAMP and writes nothing; a LogAppendTime topic overwrites the
 * timestamp and refuses nothing. Over real HTTP against PostgreSQL.
 */
class TimestampBoundsTest {
  static final long HOUR = Duration.ofHours(1).toMillis();
  static final String END_OFFSET = "select coalesce(sum(log_end_offset), 0) from topic_partition p "
      + "join topic t using (topic_id) where t.name = '%s'";

  static TestBroker broker;
  static TestHttp http;
  static String cluster;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("timestamp_bounds");
    http = broker.http();
    cluster = "/v3/clusters/" + http.clusterId();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @AfterEach
  void no_cluster_defaults() {
    for (String name :
        List.of("log.message.timestamp.after.max.ms", "log.message.timestamp.before.max.ms")) {
      http.resetClusterDefault(name);
    }
  }

  @Test
  void
      a_timestamp_two_hours_ahead_is_refused_by_default_with_invalid_timestamp_and_nothing_is_written() {
    createTopic("future-default", Map.of());
    long future = System.currentTimeMillis() + 2 * HOUR;

    Response r = produce("future-default", now(), future);

    TestHttp.assertError(r, 422, 42206);
    assertThat(r.json().get("message").asText())
        .contains("Record 1")
        .contains(Long.toString(future))
        .contains("message.timestamp.after.max.ms=3600000");
    assertThat(endOffset("future-default")).isZero();
  }

  @Test
  void a_timestamp_two_hours_ahead_is_accepted_once_after_max_ms_allows_it() {
    createTopic(
        "future-allowed", Map.of("message.timestamp.after.max.ms", Long.toString(3 * HOUR)));
    long future = System.currentTimeMillis() + 2 * HOUR;

    Response r = produce("future-allowed", future);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(endOffset("future-allowed")).isEqualTo(1);
    assertThat(r.json().get("offsets").get(0).get("offset").asLong()).isZero();
  }

  @Test
  void the_largest_long_as_a_timestamp_is_refused_by_default() {
    createTopic("long-max", Map.of());

    Response r = produce("long-max", Long.MAX_VALUE);

    TestHttp.assertError(r, 422, 42206);
    assertThat(r.json().get("message").asText()).contains(Long.toString(Long.MAX_VALUE));
    assertThat(endOffset("long-max")).isZero();
  }

  @Test
  void an_old_timestamp_is_accepted_by_default_and_refused_once_before_max_ms_is_set() {
    createTopic("old-unbounded", Map.of());
    createTopic("old-bounded", Map.of("message.timestamp.before.max.ms", Long.toString(24 * HOUR)));
    long twoDaysAgo = System.currentTimeMillis() - 48 * HOUR;

    assertThat(produce("old-unbounded", twoDaysAgo, 0L).status()).isEqualTo(200);
    Response r = produce("old-bounded", twoDaysAgo);

    TestHttp.assertError(r, 422, 42206);
    assertThat(r.json().get("message").asText())
        .contains("message.timestamp.before.max.ms=86400000");
    assertThat(endOffset("old-unbounded")).isEqualTo(2);
    assertThat(endOffset("old-bounded")).isZero();
  }

  @Test
  void a_log_append_time_topic_overwrites_an_out_of_bounds_timestamp_and_refuses_nothing() {
    createTopic("append-time", Map.of("message.timestamp.type", "LogAppendTime"));
    long before = System.currentTimeMillis();

    Response r = produce("append-time", Long.MAX_VALUE);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode read = http.get(
            "/topics/append-time/partitions/0/records?offset=0", "Accept", TestHttp.BINARY)
        .json();
    assertThat(read.get(0).get("timestamp").asLong()).isBetween(before, System.currentTimeMillis());
  }

  @Test
  void the_cluster_defaults_bound_a_topic_that_does_not_set_them_and_a_topic_override_still_wins() {
    createTopic("by-default", Map.of());
    createTopic("own-bound", Map.of("message.timestamp.after.max.ms", "1000"));
    http.setClusterDefault("log.message.timestamp.after.max.ms", Long.toString(3 * HOUR));
    http.setClusterDefault("log.message.timestamp.before.max.ms", Long.toString(HOUR));
    long future = System.currentTimeMillis() + 2 * HOUR;

    assertThat(produce("by-default", future).status()).isEqualTo(200);
    TestHttp.assertError(produce("own-bound", future), 422, 42206);
    Response old = produce("by-default", System.currentTimeMillis() - 2 * HOUR);
    TestHttp.assertError(old, 422, 42206);
    assertThat(old.json().get("message").asText())
        .contains("message.timestamp.before.max.ms=3600000");
    assertThat(endOffset("by-default")).isEqualTo(1);
    assertThat(endOffset("own-bound")).isZero();
    JsonNode config = http.get(
            cluster + "/topics/by-default/configs/message.timestamp.after.max.ms")
        .json();
    assertThat(config.get("value").asText()).isEqualTo(Long.toString(3 * HOUR));
    assertThat(config.get("source").asText()).isEqualTo("DYNAMIC_DEFAULT_BROKER_CONFIG");
  }

  @Test
  void the_bounds_are_topic_configs_with_kafkas_defaults_and_checks() {
    createTopic("described", Map.of());

    JsonNode after = http.get(cluster + "/topics/described/configs/message.timestamp.after.max.ms")
        .json();
    JsonNode before = http.get(
            cluster + "/topics/described/configs/message.timestamp.before.max.ms")
        .json();

    assertThat(after.get("value").asText()).isEqualTo("3600000");
    assertThat(before.get("value").asText()).isEqualTo(Long.toString(Long.MAX_VALUE));
    assertThat(after.get("is_default").asBoolean()).isTrue();
    Response negative = http.post(
        cluster + "/topics",
        "application/json",
        TestHttp.json(Map.of(
            "topic_name",
            "negative-bound",
            "configs",
            List.of(Map.of("name", "message.timestamp.after.max.ms", "value", "-1")))));
    TestHttp.assertError(negative, 400, 40002);
  }

  @Test
  void
      v3_produce_answers_an_out_of_bounds_timestamp_as_kafkas_invalid_timestamp_through_the_exception_mapper()
          throws Exception {
    createTopic("v3-future", Map.of());
    String future =
        java.time.Instant.ofEpochMilli(System.currentTimeMillis() + 2 * HOUR).toString();

    Response stream = http.post(
        cluster + "/topics/v3-future/records",
        "application/json",
        "{\"value\":{\"type\":\"BINARY\",\"data\":\"aGk=\"},\"timestamp\":\"" + future + "\"}");

    assertThat(stream.status()).as(stream.body()).isEqualTo(200);
    JsonNode answer =
        new ObjectMapper().readTree(stream.body().lines().findFirst().orElseThrow());
    assertThat(answer.get("error_code").asInt()).as(stream.body()).isEqualTo(50002);
    assertThat(answer.get("message").asText()).contains("message.timestamp.after.max.ms");
    assertThat(endOffset("v3-future")).isZero();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static void createTopic(String name, Map<String, String> configs) {
    List<Map<String, String>> entries = new ArrayList<>();
    configs.forEach((k, v) -> entries.add(Map.of("name", k, "value", v)));
    Response r = http.post(
        cluster + "/topics",
        "application/json",
        TestHttp.json(Map.of("topic_name", name, "partitions_count", 1, "configs", entries)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  /** Produces one binary record per timestamp to partition 0 over v2. */
  private static Response produce(String topic, long... timestamps) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (long t : timestamps) {
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("value", "aGk=");
      record.put("timestamp", t);
      records.add(record);
    }
    return http.post(
        "/topics/" + topic + "/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of("records", records)));
  }

  private static long endOffset(String topic) {
    return broker.queryLong(END_OFFSET.formatted(topic));
  }
}

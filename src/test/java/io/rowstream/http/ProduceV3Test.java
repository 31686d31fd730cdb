package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProduceV3Test {
  static TestBroker broker;
  static TestHttp http;
  static String clusterId;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("produce_v3");
    http = broker.http();
    clusterId = broker.node(0).services().clusterId();
    broker.node(0).services().topics().create("events", 3, 1, Map.of());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static String records() {
    return "/v3/clusters/" + clusterId + "/topics/events/records";
  }

  @Test
  void one_record_with_typed_key_value_headers_and_timestamp_round_trips() {
    String body = TestHttp.json(Map.of(
        "partition_id", 2,
        "headers", List.of(Map.of("name", "trace", "value", "dHJhY2U=")),
        "key", Map.of("type", "STRING", "data", "user-9"),
        "value", Map.of("type", "JSON", "data", Map.of("amount", 12)),
        "timestamp", "2026-01-02T03:04:05Z"));
    var r = http.post(records(), "application/json", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode result = r.json();
    assertThat(result.get("error_code").asInt()).isEqualTo(200);
    assertThat(result.get("cluster_id").asText()).isEqualTo(clusterId);
    assertThat(result.get("topic_name").asText()).isEqualTo("events");
    assertThat(result.get("partition_id").asInt()).isEqualTo(2);
    assertThat(result.get("timestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(result.get("key").get("type").asText()).isEqualTo("STRING");

    long offset = result.get("offset").asLong();
    // A STRING key is raw UTF-8 (not JSON), so read the record in the binary format.
    JsonNode read = http.get(
            "/topics/events/partitions/2/records?offset=" + offset, "Accept", TestHttp.BINARY)
        .json();
    assertThat(decode(read.get(0).get("value"))).isEqualTo("{\"amount\":12}");
    assertThat(decode(read.get(0).get("key"))).isEqualTo("user-9");
    assertThat(read.get(0).get("timestamp").asLong()).isEqualTo(1767323045000L);
    assertThat(read.get(0).get("headers").get(0).get("value").asText()).isEqualTo("dHJhY2U=");
  }

  private static String decode(JsonNode base64) {
    return new String(java.util.Base64.getDecoder().decode(base64.asText()));
  }

  @Test
  void concatenated_records_are_answered_in_order_each_on_its_own() throws Exception {
    long chunksBefore = broker.queryLong("select count(*) from chunk");
    String body = TestHttp.json(Map.of("value", Map.of("type", "BINARY", "data", "b25l")))
        + "\n"
        + TestHttp.json(
            Map.of("partition_id", 99, "value", Map.of("type", "BINARY", "data", "dHdv")))
        + TestHttp.json(Map.of("value", Map.of("type", "BINARY", "data", "dGhyZWU=")));
    var r = http.post(records(), "application/json", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<JsonNode> answers = new ArrayList<>();
    new ObjectMapper()
        .readerFor(JsonNode.class)
        .readValues(r.body())
        .forEachRemaining(n -> answers.add((JsonNode) n));
    assertThat(answers).hasSize(3);
    assertThat(answers.get(0).get("error_code").asInt()).isEqualTo(200);
    assertThat(answers.get(1).get("error_code").asInt()).isEqualTo(40402);
    assertThat(answers.get(2).get("error_code").asInt()).isEqualTo(200);
    assertThat(broker.queryLong("select count(*) from chunk")).isEqualTo(chunksBefore + 2);
  }

  @Test
  void a_batch_reports_successes_and_failures_by_id_and_writes_only_the_valid_entries() {
    long chunksBefore = broker.queryLong("select count(*) from chunk");
    String body = TestHttp.json(Map.of(
        "entries",
        List.of(
            Map.of(
                "id", "a", "partition_id", 0, "value", Map.of("type", "STRING", "data", "first")),
            Map.of("id", "b", "value", Map.of("type", "BINARY", "data", "!!!")),
            Map.of(
                "id",
                "c",
                "partition_id",
                0,
                "value",
                Map.of("type", "STRING", "data", "second")))));
    var r = http.post(records() + ":batch", "application/json", body);
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    JsonNode successes = r.json().get("successes");
    assertThat(successes).hasSize(2);
    assertThat(successes.get(0).get("id").asText()).isEqualTo("a");
    assertThat(successes.get(1).get("offset").asLong())
        .isEqualTo(successes.get(0).get("offset").asLong() + 1);
    JsonNode failures = r.json().get("failures");
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).get("id").asText()).isEqualTo("b");
    assertThat(failures.get(0).get("error_code").asInt()).isEqualTo(42206);
    assertThat(broker.queryLong("select count(*) from chunk"))
        .as("valid entries share one chunk")
        .isEqualTo(chunksBefore + 1);
  }

  @Test
  void a_batch_without_unique_ids_is_42208_and_writes_nothing() {
    long chunksBefore = broker.queryLong("select count(*) from chunk");
    String body = TestHttp.json(Map.of(
        "entries",
        List.of(
            Map.of("id", "x", "value", Map.of("type", "STRING", "data", "1")),
            Map.of("id", "x", "value", Map.of("type", "STRING", "data", "2")))));
    var r = http.post(records() + ":batch", "application/json", body);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo(42208);
    assertThat(broker.queryLong("select count(*) from chunk")).isEqualTo(chunksBefore);
  }

  @Test
  void an_unknown_cluster_or_topic_is_404() {
    assertThat(http.post("/v3/clusters/other/topics/events/records", "application/json", "{}")
            .status())
        .isEqualTo(404);
    var r =
        http.post("/v3/clusters/" + clusterId + "/topics/nope/records", "application/json", "{}");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.errorCode()).isEqualTo(40401);
  }

  @Test
  void an_empty_body_is_42206() {
    var r = http.post(records(), "application/json", "");
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo(42206);
  }

  @Test
  void acks_0_answers_before_the_commit_and_the_record_still_arrives() {
    long end = broker.queryLong(
        "select log_end_offset from topic_partition tp join topic t using (topic_id) "
            + "where t.name = 'events' and partition_id = 1");
    var r = http.post(
        "/topics/events/partitions/1?acks=0",
        TestHttp.BINARY,
        TestHttp.json(Map.of("records", List.of(Map.of("value", "ZmFzdA==")))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("offsets").get(0).get("offset").asLong()).isEqualTo(-1);
    JsonNode read = http.get(
            "/topics/events/partitions/1/records?offset=" + end + "&timeout=10000",
            "Accept",
            TestHttp.BINARY)
        .json();
    assertThat(read.get(0).get("value").asText()).isEqualTo("ZmFzdA==");
  }

  @Test
  void max_bytes_limits_a_fetch_but_always_returns_at_least_one_record() {
    List<Map<String, Object>> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(Map.of("value", java.util.Base64.getEncoder().encodeToString(new byte[100])));
    }
    var produced = http.post(
        "/topics/events/partitions/0", TestHttp.BINARY, TestHttp.json(Map.of("records", records)));
    long first = produced.json().get("offsets").get(0).get("offset").asLong();
    JsonNode few = http.get(
            "/topics/events/partitions/0/records?offset=" + first + "&max_bytes=350",
            "Accept",
            TestHttp.BINARY)
        .json();
    assertThat(few).hasSize(3);
    JsonNode one = http.get(
            "/topics/events/partitions/0/records?offset=" + (first + 4) + "&max_bytes=1",
            "Accept",
            TestHttp.BINARY)
        .json();
    assertThat(one).hasSize(1);
    assertThat(one.get(0).get("offset").asLong()).isEqualTo(first + 4);
  }
}

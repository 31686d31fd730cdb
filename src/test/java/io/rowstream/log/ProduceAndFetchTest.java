package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProduceAndFetchTest {
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("produce_fetch");
    http = broker.http();
    http.createTopic("orders", 3);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  @Test
  void binary_records_produced_to_a_partition_read_back_from_their_offsets() {
    String body = TestHttp.json(Map.of(
        "records",
        List.of(
            Map.of("key", b64("k1"), "value", b64("v1")),
            Map.of(
                "value", b64("v2"), "headers", List.of(Map.of("name", "h", "value", b64("hv")))))));
    var produced = http.post("/topics/orders/partitions/1", TestHttp.BINARY, body);
    assertThat(produced.status()).as(produced.body()).isEqualTo(200);
    JsonNode offsets = produced.json().get("offsets");
    assertThat(offsets).hasSize(2);
    long first = offsets.get(0).get("offset").asLong();
    assertThat(offsets.get(1).get("offset").asLong()).isEqualTo(first + 1);

    var read =
        http.get("/topics/orders/partitions/1/records?offset=" + first, "Accept", TestHttp.BINARY);
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    JsonNode records = read.json();
    assertThat(records).hasSize(2);
    assertThat(records.get(0).get("key").asText()).isEqualTo(b64("k1"));
    assertThat(records.get(1).get("value").asText()).isEqualTo(b64("v2"));
    assertThat(records.get(1).get("headers").get(0).get("name").asText()).isEqualTo("h");
    assertThat(records.get(1).get("offset").asLong()).isEqualTo(first + 1);
  }

  /**
   * Records to several partitions in one request are appended in one transaction (one statement):
   * each record is answered with its own partition's offset, and lands there.
   */
  @Test
  void records_to_several_partitions_take_each_partition_s_own_offsets() {
    http.post(
            "/topics/orders/partitions/0",
            TestHttp.BINARY,
            "{\"records\": [{\"value\": \"" + b64("x") + "\"}, {\"value\": \"" + b64("y") + "\"}]}")
        .expectStatus(200);
    long end0 = logEnd(0);
    long end2 = logEnd(2);
    var produced = http.post(
            "/topics/orders",
            TestHttp.BINARY,
            "{\"records\": [{\"partition\": 2, \"value\": \"" + b64("p2a") + "\"},"
                + " {\"partition\": 0, \"value\": \"" + b64("p0") + "\"},"
                + " {\"partition\": 2, \"value\": \"" + b64("p2b") + "\"}]}")
        .expectStatus(200)
        .json()
        .get("offsets");
    assertThat(produced.get(0).get("partition").asInt()).isEqualTo(2);
    assertThat(produced.get(0).get("offset").asLong()).isEqualTo(end2);
    assertThat(produced.get(1).get("partition").asInt()).isZero();
    assertThat(produced.get(1).get("offset").asLong()).isEqualTo(end0);
    assertThat(produced.get(2).get("offset").asLong()).isEqualTo(end2 + 1);
    JsonNode read0 = http.get(
            "/topics/orders/partitions/0/records?offset=" + end0, "Accept", TestHttp.BINARY)
        .expectStatus(200)
        .json();
    assertThat(read0).hasSize(1);
    assertThat(read0.get(0).get("value").asText()).isEqualTo(b64("p0"));
    JsonNode read2 = http.get(
            "/topics/orders/partitions/2/records?offset=" + end2, "Accept", TestHttp.BINARY)
        .expectStatus(200)
        .json();
    assertThat(read2)
        .extracting(r -> r.get("value").asText())
        .containsExactly(b64("p2a"), b64("p2b"));
  }

  private static long logEnd(int partition) {
    return broker.queryLong("select p.log_end_offset from rowstream.topic_partition p"
        + " join rowstream.topic t using (topic_id) where t.name = 'orders' and p.partition_id = "
        + partition);
  }

  @Test
  void unknown_fields_are_skipped_and_base64_padding_is_optional() {
    var r = http.post(
        "/topics/orders/partitions/2",
        TestHttp.BINARY,
        "{\"value_schema\": {\"type\": \"string\"}, \"records\": [{\"value\": \"YWI\", \"extra\": {\"a\": [1, {}]}}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    long offset = r.json().get("offsets").get(0).get("offset").asLong();
    var read =
        http.get("/topics/orders/partitions/2/records?offset=" + offset, "Accept", TestHttp.BINARY);
    assertThat(read.json().get(0).get("value").asText()).isEqualTo("YWI=");
  }
}

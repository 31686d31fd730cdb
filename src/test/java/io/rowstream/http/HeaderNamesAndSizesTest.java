package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An empty header name is a name, as in Kafka (which refuses only null); a v3 produce answer
 * gives the key's and value's size in bytes as stored, as the REST Proxy reports the serialized
 * size.
 */
class HeaderNamesAndSizesTest {
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("header_sizes");
    http = broker.http();
    broker.node(0).services().topics().create("marked", 1, 1, Map.of());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static String v3() {
    return "/v3/clusters/" + http.clusterId() + "/topics/marked/records";
  }

  @Test
  void an_empty_header_name_round_trips_over_v2_and_v3() {
    var v2 = http.post(
        "/topics/marked/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(Map.of(
                "value", "dg==", "headers", List.of(Map.of("name", "", "value", "eA==")))))));
    assertThat(v2.status()).as(v2.body()).isEqualTo(200);
    var v3 = http.post(
        v3(),
        "application/json",
        TestHttp.json(Map.of(
            "partition_id",
            0,
            "headers",
            List.of(Map.of("name", "", "value", "eQ==")),
            "value",
            Map.of("type", "STRING", "data", "w"))));
    assertThat(v3.json().get("error_code").asInt()).as(v3.body()).isEqualTo(200);

    long v2Offset = v2.json().get("offsets").get(0).get("offset").asLong();
    JsonNode read = http.get(
            "/topics/marked/partitions/0/records?offset=" + v2Offset, "Accept", TestHttp.BINARY)
        .json();
    assertThat(read.get(0).get("headers").get(0).get("name").asText()).isEmpty();
    assertThat(read.get(0).get("headers").get(0).get("value").asText()).isEqualTo("eA==");
    JsonNode fromV3 = read.get((int) (v3.json().get("offset").asLong() - v2Offset));
    assertThat(fromV3.get("headers").get(0).get("name").asText()).isEmpty();
    assertThat(fromV3.get("headers").get(0).get("value").asText()).isEqualTo("eQ==");
  }

  @Test
  void a_v3_answer_gives_the_stored_sizes_in_bytes_of_key_and_value() {
    var json = http.post(
        v3(),
        "application/json",
        TestHttp.json(Map.of(
            "key", Map.of("type", "JSON", "data", "customer-7"),
            "value", Map.of("type", "BINARY", "data", "AAECAwQ="))));
    assertThat(json.json().get("key").get("size").asInt()).as(json.body()).isEqualTo(12);
    assertThat(json.json().get("value").get("size").asInt()).isEqualTo(5);

    var text = http.post(
        v3(),
        "application/json",
        TestHttp.json(Map.of(
            "key", Map.of("type", "STRING", "data", "h\u00e9llo"),
            "value", Map.of("type", "JSON", "data", Map.of("n", 1)))));
    assertThat(text.json().get("key").get("size").asInt()).as(text.body()).isEqualTo(6);
    assertThat(text.json().get("value").get("size").asInt()).isEqualTo("{\"n\":1}".length());

    var batch = http.post(
        v3() + ":batch",
        "application/json",
        TestHttp.json(Map.of(
            "entries",
            List.of(
                Map.of("id", "a", "value", Map.of("type", "BINARY", "data", "AAEC")),
                Map.of(
                    "id",
                    "b",
                    "key",
                    Map.of("type", "STRING", "data", "k"),
                    "value",
                    Map.of("type", "BINARY"))))));
    JsonNode successes = batch.json().get("successes");
    assertThat(successes.get(0).get("value").get("size").asInt())
        .as(batch.body())
        .isEqualTo(3);
    assertThat(successes.get(1).get("key").get("size").asInt()).isEqualTo(1);
    assertThat(successes.get(1).get("value").get("size").asInt())
        .as("a null value, as Kafka reports it")
        .isEqualTo(-1);
  }
}

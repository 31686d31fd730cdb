package io.rowstream.consumer;

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
 * Two of Kafka's consumer-side rules over real HTTP: a seek to a negative timestamp is refused as
 * Kafka's {@code offsetsForTimes} refuses it (nothing moves), and an empty value read with the json
 * format is told apart from a tombstone (a tombstone is JSON null; empty bytes are no JSON
 * document, so the read is refused with 42203 as the REST Proxy's JSON deserializer refuses them,
 * and the binary format shows them as "").
 */
class TimestampSeekAndEmptyValueTest {
  static TestBroker broker;
  static ConsumerCalls calls;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("timestamp_seek_empty_value");
    calls = new ConsumerCalls(broker);
    calls.createTopic("seek-times", 1);
    calls.createTopic("empty-values", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_seek_to_a_negative_timestamp_is_refused_and_moves_nothing() {
    calls.produceBinary("seek-times", 0, "a", "b", "c");
    TestHttp http = broker.http();
    String instance = calls.create(http, "seekers", Map.of("name", "s1", "format", "binary"));
    calls.post(http, instance + "/assignments", ConsumerCalls.partitions("seek-times", 0));
    calls.post(
        http,
        instance + "/positions",
        TestHttp.json(Map.of(
            "offsets", List.of(Map.of("topic", "seek-times", "partition", 0, "offset", 2)))));

    for (Object negative : List.of(-1, "1969-12-31T23:59:59Z")) {
      var r = http.post(
          instance + "/positions",
          TestHttp.V2,
          TestHttp.json(Map.of(
              "timestamps",
              List.of(Map.of("topic", "seek-times", "partition", 0, "timestamp", negative)))));

      TestHttp.assertError(r, 400, 40002);
      assertThat(r.json().get("message").asText())
          .contains("seek-times-0")
          .contains("cannot be negative");
    }
    assertThat(calls.position("seekers", "s1", "seek-times", 0)).isEqualTo(2);
  }

  @Test
  void
      an_empty_value_read_as_json_is_refused_while_a_tombstone_is_null_and_binary_tells_them_apart() {
    calls.produce(
        "empty-values",
        0,
        TestHttp.BINARY,
        List.of(
            Map.of("key", ConsumerCalls.b64("\"k1\""), "value", ""),
            java.util.Collections.singletonMap("key", ConsumerCalls.b64("\"k2\""))));
    TestHttp http = broker.http();

    JsonNode tombstone = jsonRead(http, "?offset=1");
    var empty =
        http.get("/topics/empty-values/partitions/0/records?offset=0", "Accept", TestHttp.JSON);
    JsonNode binary =
        calls.records(http, "/topics/empty-values/partitions/0", "?offset=0", TestHttp.BINARY);

    assertThat(tombstone.get(0).get("value").isNull()).as(tombstone.toString()).isTrue();
    TestHttp.assertError(empty, 422, 42203);
    assertThat(empty.json().get("message").asText())
        .contains("offset 0")
        .contains("empty")
        .contains("binary");
    assertThat(binary.get(0).get("value").asText()).isEmpty();
    assertThat(binary.get(0).get("value").isTextual()).isTrue();
    assertThat(binary.get(1).get("value").isNull()).isTrue();

    String instance = calls.create(http, "empty-readers", Map.of("name", "j1", "format", "json"));
    calls.post(http, instance + "/assignments", ConsumerCalls.partitions("empty-values", 0));
    calls.post(
        http, instance + "/positions/beginning", ConsumerCalls.partitions("empty-values", 0));
    TestHttp.assertError(http.get(instance + "/records", "Accept", TestHttp.JSON), 422, 42203);
  }

  private static JsonNode jsonRead(TestHttp http, String query) {
    return calls.records(http, "/topics/empty-values/partitions/0", query, TestHttp.JSON);
  }
}

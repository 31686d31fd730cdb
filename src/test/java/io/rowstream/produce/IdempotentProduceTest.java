package io.rowstream.produce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kafka's idempotent producer over HTTP: producer id, epoch and a per-partition sequence. */
class IdempotentProduceTest {
  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("idempotent");
    broker.startNode();
    broker.http().createTopic("idem", 2);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_retried_request_answers_its_original_offsets_and_writes_nothing_again() {
    JsonNode producer = init(0, "{}");
    long id = producer.get("producer_id").asLong();
    assertThat(producer.get("producer_epoch").asInt()).isZero();

    var first = send(0, 0, id, 0, 0, "a", "b", "c");
    var again = send(1, 0, id, 0, 0, "a", "b", "c");

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(offsets(again)).isEqualTo(offsets(first));
    assertThat(end(0)).isEqualTo(offsets(first).get(2) + 1);
    var next = send(1, 0, id, 0, 3, "d");
    assertThat(offsets(next)).containsExactly(offsets(first).get(2) + 1);
  }

  @Test
  void a_gap_in_the_sequence_is_refused_as_out_of_order_and_writes_nothing() {
    long id = init(0, "{}").get("producer_id").asLong();
    send(0, 1, id, 0, 0, "a");
    long endBefore = end(1);

    var gap = send(0, 1, id, 0, 5, "x");

    TestHttp.assertError(gap, 409, 40910);
    assertThat(end(1)).isEqualTo(endBefore);
    assertThat(send(1, 1, id, 0, 1, "b").status()).isEqualTo(200);
  }

  @Test
  void bumping_the_epoch_fences_the_old_one_and_the_new_one_starts_at_sequence_zero() {
    long id = init(0, "{}").get("producer_id").asLong();
    send(0, 0, id, 0, 0, "a");
    JsonNode bumped = init(1, "{\"producer_id\":" + id + ",\"producer_epoch\":0}");
    assertThat(bumped.get("producer_epoch").asInt()).isEqualTo(1);
    long endBefore = end(0);

    TestHttp.assertError(send(0, 0, id, 0, 1, "late"), 409, 40911);
    TestHttp.assertError(send(0, 0, id, 1, 1, "gap"), 409, 40910);
    assertThat(end(0)).isEqualTo(endBefore);
    assertThat(send(0, 0, id, 1, 0, "fresh").status()).isEqualTo(200);
    TestHttp.assertError(
        broker
            .http()
            .post("/producers", TestHttp.V2, "{\"producer_id\":" + id + ",\"producer_epoch\":0}"),
        409,
        40911);
  }

  @Test
  void an_unknown_producer_id_is_refused_and_records_for_several_partitions_are_refused() {
    TestHttp.assertError(send(0, 0, 987654321L, 0, 0, "a"), 404, 40410);
    long id = init(0, "{}").get("producer_id").asLong();
    var spread = broker
        .http()
        .post(
            "/topics/idem?producer_id=" + id + "&producer_epoch=0&sequence=0",
            TestHttp.JSON,
            TestHttp.json(Map.of(
                "records",
                List.of(Map.of("partition", 0, "value", 1), Map.of("partition", 1, "value", 2)))));
    TestHttp.assertError(spread, 400, 40002);
    TestHttp.assertError(
        broker
            .http()
            .post(
                "/topics/idem/partitions/0?producer_id=" + id,
                TestHttp.JSON,
                TestHttp.json(Map.of("records", List.of(Map.of("value", 1))))),
        400,
        40002);
  }

  @Test
  void without_a_producer_id_a_resent_request_is_appended_again() {
    long before = end(1);
    String body = TestHttp.json(Map.of("records", List.of(Map.of("value", 1))));
    broker.http().post("/topics/idem/partitions/1", TestHttp.JSON, body);
    broker.http().post("/topics/idem/partitions/1", TestHttp.JSON, body);
    assertThat(end(1)).isEqualTo(before + 2);
  }

  private static JsonNode init(int node, String body) {
    var r = broker.http(node).post("/producers", TestHttp.V2, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static TestHttp.Response send(
      int node, int partition, long id, int epoch, int sequence, String... values) {
    List<Map<String, Object>> records = java.util.Arrays.stream(values)
        .map(v -> Map.<String, Object>of("value", v))
        .toList();
    return broker
        .http(node)
        .post(
            "/topics/idem/partitions/" + partition + "?producer_id=" + id + "&producer_epoch="
                + epoch + "&sequence=" + sequence,
            TestHttp.JSON,
            TestHttp.json(Map.of("records", records)));
  }

  private static List<Long> offsets(TestHttp.Response r) {
    List<Long> out = new java.util.ArrayList<>();
    r.json().get("offsets").forEach(o -> out.add(o.get("offset").asLong()));
    return out;
  }

  private static long end(int partition) {
    return broker.queryLong(
        "select log_end_offset from topic_partition where partition_id = " + partition);
  }
}

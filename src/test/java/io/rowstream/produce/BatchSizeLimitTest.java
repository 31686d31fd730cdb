package io.rowstream.produce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * max.message.bytes bounds each stored batch, as Kafka compares a batch's size with it: a batch
 * of exactly the limit is accepted, a single record whose batch is one byte over is refused, and
 * a request whose records together exceed the limit is stored as several batches within it.
 */
class BatchSizeLimitTest {
  static final int LIMIT = 1_048_576;
  /**
   * A keyless, headerless record of this many value bytes makes a batch of exactly LIMIT bytes:
   * 61 bytes of batch header, a 3-byte length varint, then attributes, timestamp delta, offset
   * delta, null key and header count (1 byte each), a 3-byte value length varint and the value.
   */
  static final int VALUE_AT_LIMIT = LIMIT - 61 - 3 - 5 - 3;

  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("batch_limit");
    http = broker.http();
    broker
        .node(0)
        .services()
        .topics()
        .create("sized", 2, 1, Map.of("max.message.bytes", Integer.toString(LIMIT)));
    broker
        .node(0)
        .services()
        .topics()
        .create(
            "stamped",
            1,
            1,
            Map.of(
                "max.message.bytes",
                Integer.toString(LIMIT),
                "message.timestamp.type",
                "LogAppendTime"));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_record_whose_batch_is_exactly_the_limit_is_accepted() throws SQLException {
    var r =
        http.post("/topics/sized/partitions/0", TestHttp.BINARY, records(value(VALUE_AT_LIMIT)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    long offset = r.json().get("offsets").get(0).get("offset").asLong();
    assertThat(batches("sized", 0, offset, offset))
        .containsExactly(new Batch(offset, offset, LIMIT));
  }

  @Test
  void
      a_record_whose_batch_is_one_byte_over_the_limit_is_refused_on_v2_and_v3_and_writes_nothing() {
    long chunksBefore = chunks();

    TestHttp.assertError(
        http.post(
            "/topics/sized/partitions/0", TestHttp.BINARY, records(value(VALUE_AT_LIMIT + 1))),
        413,
        41301);
    String v3 = "/v3/clusters/" + http.clusterId() + "/topics/sized/records";
    var answer = http.post(
        v3,
        "application/json",
        TestHttp.json(Map.of(
            "partition_id",
            0,
            "value",
            Map.of("type", "BINARY", "data", value(VALUE_AT_LIMIT + 1)))));
    assertThat(answer.json().get("error_code").asInt()).as(answer.body()).isEqualTo(50002);
    assertThat(answer.json().get("message").asText()).contains(Integer.toString(LIMIT + 1));
    assertThat(chunks()).isEqualTo(chunksBefore);
  }

  @Test
  void two_records_over_half_the_limit_are_stored_as_two_batches_with_consecutive_offsets()
      throws SQLException {
    var r = http.post(
        "/topics/sized/partitions/1", TestHttp.BINARY, records(value(600_000), value(600_000)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    long first = r.json().get("offsets").get(0).get("offset").asLong();
    assertThat(r.json().get("offsets").get(1).get("offset").asLong()).isEqualTo(first + 1);
    List<Batch> stored = batches("sized", 1, first, first + 1);
    assertThat(stored).hasSize(2);
    assertThat(stored).allSatisfy(b -> assertThat(b.sizeBytes()).isLessThanOrEqualTo(LIMIT));
    assertThat(stored).extracting(Batch::baseOffset).containsExactly(first, first + 1);
    assertThat(readValueSizes("sized", 1, first, 2)).containsExactly(600_000, 600_000);
  }

  @Test
  void records_for_several_partitions_are_split_per_partition_and_answered_in_request_order()
      throws SQLException {
    var r = http.post(
        "/topics/sized",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(
                Map.of("partition", 0, "value", value(700_000)),
                Map.of("partition", 1, "value", value(10)),
                Map.of("partition", 0, "value", value(700_000)),
                Map.of("partition", 0, "value", value(20))))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode offsets = r.json().get("offsets");
    long p0 = offsets.get(0).get("offset").asLong();
    assertThat(offsets.get(2).get("offset").asLong()).isEqualTo(p0 + 1);
    assertThat(offsets.get(3).get("offset").asLong()).isEqualTo(p0 + 2);
    List<Batch> stored = batches("sized", 0, p0, p0 + 2);
    assertThat(stored).extracting(Batch::baseOffset).containsExactly(p0, p0 + 1);
    assertThat(stored).allSatisfy(b -> assertThat(b.sizeBytes()).isLessThanOrEqualTo(LIMIT));
    assertThat(readValueSizes("sized", 0, p0, 3)).containsExactly(700_000, 700_000, 20);
    long p1 = offsets.get(1).get("offset").asLong();
    assertThat(readValueSizes("sized", 1, p1, 1)).containsExactly(10);
  }

  @Test
  void a_v3_batch_over_the_limit_answers_each_entry_its_own_offset_across_the_batches()
      throws SQLException {
    String v3 = "/v3/clusters/" + http.clusterId() + "/topics/sized/records:batch";
    var r = http.post(
        v3,
        "application/json",
        TestHttp.json(Map.of(
            "entries",
            List.of(
                Map.of(
                    "id",
                    "a",
                    "partition_id",
                    1,
                    "value",
                    Map.of("type", "BINARY", "data", value(600_000))),
                Map.of(
                    "id",
                    "b",
                    "partition_id",
                    1,
                    "value",
                    Map.of("type", "BINARY", "data", value(600_000)))))));

    assertThat(r.status()).as(r.body()).isEqualTo(207);
    JsonNode successes = r.json().get("successes");
    assertThat(successes).hasSize(2);
    long first = successes.get(0).get("offset").asLong();
    assertThat(successes.get(1).get("offset").asLong()).isEqualTo(first + 1);
    assertThat(batches("sized", 1, first, first + 1))
        .extracting(Batch::baseOffset)
        .containsExactly(first, first + 1);
  }

  @Test
  void a_log_append_time_topic_splits_its_batches_within_the_limit_too() throws SQLException {
    var r = http.post(
        "/topics/stamped/partitions/0",
        TestHttp.BINARY,
        records(value(600_000), value(600_000), value(5)));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    long first = r.json().get("offsets").get(0).get("offset").asLong();
    List<Batch> stored = batches("stamped", 0, first, first + 2);
    assertThat(stored).extracting(Batch::baseOffset).containsExactly(first, first + 1);
    assertThat(stored).allSatisfy(b -> assertThat(b.sizeBytes()).isLessThanOrEqualTo(LIMIT));
    assertThat(readValueSizes("stamped", 0, first, 3)).containsExactly(600_000, 600_000, 5);
  }

  @Test
  void
      an_idempotent_request_split_into_batches_takes_consecutive_sequences_and_a_retry_writes_nothing()
          throws SQLException {
    long id =
        http.post("/producers", TestHttp.V2, "{}").json().get("producer_id").asLong();
    String path = "/topics/sized/partitions/1?producer_id=" + id + "&producer_epoch=0&sequence=";
    String body = records(value(600_000), value(600_000), value(7));

    var first = http.post(path + 0, TestHttp.BINARY, body);
    long end = endOffset("sized", 1);
    var retry = http.post(path + 0, TestHttp.BINARY, body);
    var next = http.post(path + 3, TestHttp.BINARY, records(value(1)));

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().get("offsets")).isEqualTo(first.json().get("offsets"));
    long base = first.json().get("offsets").get(0).get("offset").asLong();
    assertThat(batches("sized", 1, base, base + 2)).hasSize(2);
    assertThat(next.status()).as(next.body()).isEqualTo(200);
    assertThat(next.json().get("offsets").get(0).get("offset").asLong()).isEqualTo(end);
    TestHttp.assertError(
        http.post(path + 3, TestHttp.BINARY, records(value(600_000), value(600_000))), 409, 40910);
    assertThat(endOffset("sized", 1)).isEqualTo(end + 1);
  }

  record Batch(long baseOffset, long lastOffset, long sizeBytes) {}

  private static List<Batch> batches(String topic, int partition, long from, long to)
      throws SQLException {
    List<Batch> out = new ArrayList<>();
    try (var c = broker.sql();
        var ps = c.prepareStatement("select c.base_offset, c.last_offset, c.size_bytes, "
            + "octet_length(c.batch) from chunk c join topic t using (topic_id) where t.name = ? and c.partition_id = ? "
            + "and c.last_offset >= ? and c.base_offset <= ? order by c.base_offset")) {
      ps.setString(1, topic);
      ps.setInt(2, partition);
      ps.setLong(3, from);
      ps.setLong(4, to);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          assertThat(rs.getLong(4))
              .as("stored bytes match the recorded size")
              .isEqualTo(rs.getLong(3));
          out.add(new Batch(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        }
      }
    }
    return out;
  }

  /** The value sizes a consumer reads from {@code offset}, fetching until it has {@code count}. */
  private static List<Integer> readValueSizes(String topic, int partition, long offset, int count) {
    List<Integer> sizes = new ArrayList<>();
    long next = offset;
    while (sizes.size() < count) {
      var read = http.get(
          "/topics/" + topic + "/partitions/" + partition + "/records?offset=" + next
              + "&max_bytes=4000000",
          "Accept",
          TestHttp.BINARY);
      assertThat(read.status()).as(read.body()).isEqualTo(200);
      assertThat(read.json()).as("records from offset " + next).isNotEmpty();
      for (JsonNode record : read.json()) {
        assertThat(record.get("offset").asLong()).isEqualTo(next);
        sizes.add(Base64.getDecoder().decode(record.get("value").asText()).length);
        next++;
      }
    }
    return sizes.subList(0, count);
  }

  private static long endOffset(String topic, int partition) {
    return broker.queryLong(
        "select log_end_offset from topic_partition tp join topic t using (topic_id) "
            + "where t.name = '" + topic + "' and tp.partition_id = " + partition);
  }

  private static long chunks() {
    return broker.queryLong("select count(*) from chunk");
  }

  private static String value(int bytes) {
    return Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  private static String records(String... values) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (String v : values) {
      records.add(Map.of("value", v));
    }
    return TestHttp.json(Map.of("records", records));
  }
}

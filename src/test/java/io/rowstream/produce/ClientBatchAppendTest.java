package io.rowstream.produce;

import static io.rowstream.produce.ClientBatches.batch;
import static io.rowstream.produce.ClientBatches.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.BatchFetch;
import io.rowstream.log.BatchRead;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.log.StoredBatches;
import io.rowstream.security.Principal;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.topic.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client's encoded v2 record batch appended through {@code ProduceService.appendBatch}, as the
 * Kafka door will call it: stored as sent (or compressed again as the topic asks), read back byte
 * for byte by the raw fetch and as the same records over HTTP and SQL; every invalid batch refused
 * with Kafka's error and nothing written; idempotent producers' batches de-duplicated and fenced.
 */
class ClientBatchAppendTest {
  static TestBroker broker;
  static TestHttp http;
  static ProduceService produce;
  static PartitionLog log;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("client_batch");
    http = broker.http();
    produce = broker.node(0).services().produce();
    log = broker.node(0).services().log();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
  void a_producers_batch_is_stored_as_sent_and_reads_back_over_http_sql_and_the_raw_fetch(
      String codec) throws Exception {
    String topic = "as-sent-" + codec;
    Topic t = create(topic, Map.of("compression.type", "producer"));
    long now = System.currentTimeMillis();
    ByteBuffer first = batch(codec, 3, now - 1000);
    ByteBuffer second = batch(codec, 2, now - 500);

    AppendedBatch a = append(topic, first);
    AppendedBatch b = append(topic, second);

    assertThat(a.baseOffset()).isZero();
    assertThat(b.baseOffset()).isEqualTo(3);
    assertThat(a.logAppendTimeMs()).isEqualTo(-1);
    assertThat(a.logStartOffset()).isZero();
    List<byte[]> stored = storedBatches(topic);
    assertThat(stored).hasSize(2);
    int epoch = (int) broker.queryLong("select leader_epoch from topic_partition p join topic t "
        + "using (topic_id) where t.name = '" + topic + "'");
    assertSameExceptOffsetAndEpoch(stored.get(0), bytes(first), 0, epoch);
    assertSameExceptOffsetAndEpoch(stored.get(1), bytes(second), 3, epoch);
    MutableRecordBatch read = ClientBatches.only(ByteBuffer.wrap(stored.get(1)));
    assertThat(read.isValid()).as("the CRC the client computed still holds").isTrue();
    assertThat(read.compressionType()).isEqualTo(CompressionType.forName(codec));

    StoredBatches raw = log.readBatches(new PartitionKey(t.id(), 0), 0, 1 << 20, true);
    assertThat(raw.records()).isEqualTo(concat(stored));
    assertThat(raw.logEndOffset()).isEqualTo(5);

    JsonNode records = http.get(
            "/topics/" + topic + "/partitions/0/records?offset=0", "Accept", TestHttp.BINARY)
        .expectStatus(200)
        .json();
    assertThat(records).hasSize(5);
    List<String> expected = List.of("v-0", "v-1", "v-2", "v-0", "v-1");
    for (int i = 0; i < 5; i++) {
      JsonNode r = records.get(i);
      int inBatch = i < 3 ? i : i - 3;
      assertThat(r.get("offset").asLong()).isEqualTo(i);
      assertThat(text(r.get("key"))).isEqualTo("key-" + inBatch);
      assertThat(text(r.get("value"))).isEqualTo(expected.get(i));
      assertThat(r.get("timestamp").asLong()).isEqualTo((i < 3 ? now - 1000 : now - 500) + inBatch);
    }
    assertThat(headerOf(topic, 4)).isEqualTo("header-1");
    if (!codec.equals("gzip") && !codec.equals("zstd")) { // SQL decodes none, lz4 and snappy
      assertThat(sqlRows(topic))
          .containsExactly(
              "0 key-0 v-0 " + (now - 1000) + " h",
              "1 key-1 v-1 " + (now - 999) + " h",
              "2 key-2 v-2 " + (now - 998) + " h",
              "3 key-0 v-0 " + (now - 500) + " h",
              "4 key-1 v-1 " + (now - 499) + " h");
    }
  }

  @Test
  void a_topic_that_names_another_codec_compresses_the_batch_again() throws Exception {
    create("recompressed", Map.of("compression.type", "gzip"));
    append("recompressed", batch("lz4", 4, System.currentTimeMillis()));

    List<byte[]> stored = storedBatches("recompressed");
    assertThat(stored).hasSize(1);
    MutableRecordBatch b = ClientBatches.only(ByteBuffer.wrap(stored.getFirst()));
    assertThat(b.compressionType()).isEqualTo(CompressionType.GZIP);
    assertThat(b.isValid()).isTrue();
    List<String> values = new ArrayList<>();
    for (Record r : b) {
      values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
    }
    assertThat(values).containsExactly("v-0", "v-1", "v-2", "v-3");
  }

  @Test
  void a_log_append_time_topic_stamps_the_commit_time_on_the_batch_without_encoding_it_again()
      throws Exception {
    create("appended", Map.of("message.timestamp.type", "LogAppendTime"));
    ByteBuffer sent = batch("zstd", 3, 1_000L);
    long before = System.currentTimeMillis();

    AppendedBatch a = append("appended", sent);

    assertThat(a.logAppendTimeMs()).isBetween(before, System.currentTimeMillis());
    byte[] stored = storedBatches("appended").getFirst();
    MutableRecordBatch b = ClientBatches.only(ByteBuffer.wrap(stored));
    assertThat(b.isValid()).isTrue();
    assertThat(b.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
    assertThat(b.maxTimestamp()).isEqualTo(a.logAppendTimeMs());
    byte[] sentBytes = bytes(sent);
    assertThat(Arrays.copyOfRange(stored, 57, stored.length))
        .as("the count and the compressed records are the bytes sent")
        .isEqualTo(Arrays.copyOfRange(sentBytes, 57, sentBytes.length));
    JsonNode records = http.get(
            "/topics/appended/partitions/0/records?offset=0", "Accept", TestHttp.BINARY)
        .expectStatus(200)
        .json();
    assertThat(records)
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.get("timestamp").asLong()).isEqualTo(a.logAppendTimeMs()));
  }

  @Test
  void a_batch_with_a_wrong_crc_is_refused_as_corrupt_and_writes_nothing() {
    create("bad-crc", Map.of());
    ByteBuffer b = batch("none", 2, System.currentTimeMillis());
    b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 0x55)); // a value byte changed in transit

    refused("bad-crc", b, BrokerError.CORRUPT_MESSAGE, Errors.CORRUPT_MESSAGE);
  }

  @Test
  void a_count_that_disagrees_with_the_offsets_or_the_records_is_an_invalid_record() {
    create("bad-count", Map.of());
    ByteBuffer more = batch("none", 2, System.currentTimeMillis());
    more.putInt(57, 3); // the record count; lastOffsetDelta still says 2 records
    ClientBatches.recomputeCrc(more);
    refused("bad-count", more, BrokerError.INVALID_PAYLOAD, Errors.INVALID_RECORD);

    ByteBuffer fewer = batch("none", 2, System.currentTimeMillis());
    fewer.putInt(57, 3);
    fewer.putInt(23, 2); // lastOffsetDelta agrees with the count, the batch holds 2 records
    ClientBatches.recomputeCrc(fewer);
    refused("bad-count", fewer, BrokerError.INVALID_PAYLOAD, Errors.INVALID_RECORD);
  }

  @Test
  void a_magic_1_batch_two_batches_or_none_are_invalid_records() {
    create("bad-shape", Map.of());
    MemoryRecordsBuilder v1 = ClientBatches.builder(
        "none", RecordBatch.MAGIC_VALUE_V1, RecordBatch.NO_PRODUCER_ID, (short) -1, -1, false);
    v1.append(System.currentTimeMillis(), "k".getBytes(), "v".getBytes());
    refused("bad-shape", v1.build().buffer(), BrokerError.INVALID_PAYLOAD, Errors.INVALID_RECORD);

    long now = System.currentTimeMillis();
    byte[] one = bytes(batch("none", 1, now));
    byte[] two = concat(List.of(one, bytes(batch("none", 1, now))));
    refused("bad-shape", ByteBuffer.wrap(two), BrokerError.INVALID_PAYLOAD, Errors.INVALID_RECORD);
    refused(
        "bad-shape", ByteBuffer.allocate(0), BrokerError.INVALID_PAYLOAD, Errors.INVALID_RECORD);
    refused(
        "bad-shape",
        ByteBuffer.wrap(Arrays.copyOf(one, one.length - 1)),
        BrokerError.INVALID_PAYLOAD,
        Errors.INVALID_RECORD);
  }

  @Test
  void a_batch_over_max_message_bytes_is_refused_as_too_large() {
    create("small", Map.of("max.message.bytes", "200"));
    refused(
        "small",
        batch("none", 10, System.currentTimeMillis()),
        BrokerError.RECORD_TOO_LARGE,
        Errors.MESSAGE_TOO_LARGE);
  }

  @Test
  void a_timestamp_outside_the_topics_bounds_is_refused() {
    create("bounded", Map.of("message.timestamp.before.max.ms", "60000"));
    refused(
        "bounded",
        batch("lz4", 2, System.currentTimeMillis() - 3_600_000),
        BrokerError.INVALID_TIMESTAMP,
        Errors.INVALID_TIMESTAMP);
  }

  @Test
  void a_record_without_a_key_on_a_compacted_topic_is_an_invalid_record() {
    create("compacted", Map.of("cleanup.policy", "compact"));
    MemoryRecordsBuilder b = ClientBatches.plainBuilder("snappy");
    long now = System.currentTimeMillis();
    b.append(now, "k".getBytes(), "keyed".getBytes());
    b.append(now, null, "keyless".getBytes());
    refused("compacted", b.build().buffer(), BrokerError.INVALID_PAYLOAD, Errors.INVALID_RECORD);
    append("compacted", batch("snappy", 2, now)); // keyed records pass
  }

  @Test
  void a_transactional_batch_is_refused_until_transactions_exist() {
    create("txn", Map.of());
    long id = produce.producers().create(Principal.ANONYMOUS).producerId();
    MemoryRecordsBuilder b =
        ClientBatches.builder("none", RecordBatch.CURRENT_MAGIC_VALUE, id, (short) 0, 0, true);
    b.append(System.currentTimeMillis(), "k".getBytes(), "v".getBytes());
    refused(
        "txn", b.build().buffer(), BrokerError.TRANSACTIONS_UNSUPPORTED, Errors.INVALID_TXN_STATE);
  }

  @Test
  void
      an_idempotent_producers_retry_answers_its_first_offset_and_gaps_and_old_epochs_are_refused() {
    create("idempotent", Map.of());
    var producer = produce.producers().create(Principal.ANONYMOUS);
    long id = producer.producerId();
    long now = System.currentTimeMillis();
    append(
        "idempotent", batch("none", 1, now, RecordBatch.NO_PRODUCER_ID, (short) -1, -1, "plain"));
    ByteBuffer first = batch("lz4", 3, now, id, (short) 0, 0, "a");

    AppendedBatch appended = append("idempotent", first);
    AppendedBatch retried = append("idempotent", first);

    assertThat(appended.baseOffset()).isEqualTo(1);
    assertThat(retried.baseOffset()).isEqualTo(1);
    assertThat(logEnd("idempotent")).isEqualTo(4);
    refused(
        "idempotent",
        batch("lz4", 1, now, id, (short) 0, 5, "gap"),
        BrokerError.OUT_OF_ORDER_SEQUENCE,
        Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    assertThat(append("idempotent", batch("lz4", 1, now, id, (short) 0, 3, "b")).baseOffset())
        .isEqualTo(4);
    produce.producers().bump(Principal.ANONYMOUS, id, (short) 0);
    refused(
        "idempotent",
        batch("lz4", 1, now, id, (short) 0, 4, "old"),
        BrokerError.PRODUCER_FENCED,
        Errors.INVALID_PRODUCER_EPOCH);
    refused(
        "idempotent",
        batch("lz4", 1, now, Long.MAX_VALUE - 7, (short) 0, 0, "unknown"),
        BrokerError.UNKNOWN_PRODUCER_ID,
        Errors.UNKNOWN_PRODUCER_ID);
  }

  @Test
  void a_producer_id_of_another_principal_is_refused_and_writes_nothing() {
    create("owned", Map.of());
    long id = produce.producers().create(new Principal("alice")).producerId();
    ByteBuffer b = batch("none", 1, System.currentTimeMillis(), id, (short) 0, 0, "x");

    assertThatThrownBy(() -> produce.appendBatch("owned", 0, b, Acks.ALL, new Principal("bob")))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.error()).isEqualTo(BrokerError.PRODUCER_ID_NOT_AUTHORIZED));
    assertThat(logEnd("owned")).isZero();
    assertThat(
            produce.appendBatch("owned", 0, b, Acks.ALL, new Principal("alice")).baseOffset())
        .isZero();
  }

  @Test
  void acks_all_needs_min_insync_replicas_copies_as_over_http() {
    create("insync", Map.of("min.insync.replicas", "2"));
    ByteBuffer b = batch("none", 1, System.currentTimeMillis());

    assertThatThrownBy(() -> produce.appendBatch("insync", 0, b, Acks.ALL, Principal.ANONYMOUS))
        .isInstanceOfSatisfying(BrokerException.class, e -> {
          assertThat(e.error()).isEqualTo(BrokerError.NOT_ENOUGH_REPLICAS);
          assertThat(e.error().kafka()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        });
    assertThat(logEnd("insync")).isZero();
    assertThat(produce
            .appendBatch("insync", 0, b, Acks.LEADER, Principal.ANONYMOUS)
            .baseOffset())
        .isZero();
  }

  @Test
  void an_unknown_topic_or_partition_is_refused_before_the_batch_is_read() {
    create("one-partition", Map.of());
    ByteBuffer b = batch("none", 1, System.currentTimeMillis());
    assertThatThrownBy(() -> produce.appendBatch("no-such", 0, b, Acks.ALL, Principal.ANONYMOUS))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.error().kafka()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION));
    assertThatThrownBy(
            () -> produce.appendBatch("one-partition", 1, b, Acks.ALL, Principal.ANONYMOUS))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.error().kafka()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION));
  }

  @Test
  void the_raw_fetch_returns_the_batch_holding_the_offset_whole_and_at_least_one_batch() {
    Topic t = create("raw-fetch", Map.of());
    long now = System.currentTimeMillis();
    byte[] b0 = bytes(batch("none", 3, now));
    append("raw-fetch", ByteBuffer.wrap(b0));
    append("raw-fetch", batch("none", 3, now));
    append("raw-fetch", batch("none", 3, now));
    PartitionKey key = new PartitionKey(t.id(), 0);
    int size = b0.length;

    StoredBatches middle = log.readBatches(key, 4, 1 << 20, true);
    assertThat(middle.batchCount()).isEqualTo(2);
    assertThat(ClientBatches.only(ByteBuffer.wrap(middle.records())).baseOffset())
        .isEqualTo(3);
    assertThat(log.readBatches(key, 0, 1, true).batchCount())
        .as("one batch larger than the limit")
        .isEqualTo(1);
    assertThat(log.readBatches(key, 0, 1, false).batchCount()).isZero();
    assertThat(log.readBatches(key, 0, 2L * size + size / 2, true).batchCount()).isEqualTo(2);
    assertThat(log.readBatches(key, 9, 1 << 20, true).batchCount()).isZero();
    assertThatThrownBy(() -> log.readBatches(key, 10, 1 << 20, true))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.error()).isEqualTo(BrokerError.OFFSET_OUT_OF_RANGE));
    StoredBatches waited = log.fetchBatches(t, 0, 9, 1 << 20, Duration.ofMillis(50));
    assertThat(waited.batchCount()).isZero();
    assertThat(waited.logEndOffset()).isEqualTo(9);
  }

  @Test
  void a_fetch_of_several_partitions_keeps_within_the_response_limit_after_its_first_batch() {
    Topic t = broker.node(0).services().topics().create("two-parts", 2, 1, Map.of());
    byte[] sent = bytes(batch("none", 2, System.currentTimeMillis()));
    for (int p = 0; p < 2; p++) {
      produce.appendBatch("two-parts", p, ByteBuffer.wrap(sent), Acks.ALL, Principal.ANONYMOUS);
    }
    List<BatchFetch> both = List.of(
        new BatchFetch(new PartitionKey(t.id(), 0), 0, 1 << 20),
        new BatchFetch(new PartitionKey(t.id(), 1), 0, 1 << 20));

    List<BatchRead> small = log.fetchBatches(both, 1, 1, Duration.ZERO);
    assertThat(small.get(0).batches().batchCount())
        .as("the first batch, over the limit")
        .isOne();
    assertThat(small.get(1).batches().batchCount())
        .as("nothing left of the limit")
        .isZero();
    assertThat(small.get(1).batches().logEndOffset()).isEqualTo(2);
    List<BatchRead> roomy = log.fetchBatches(both, 2L * sent.length, 1, Duration.ZERO);
    assertThat(roomy).allSatisfy(r -> assertThat(r.batches().batchCount()).isOne());
  }

  @Test
  void max_timestamp_is_the_first_record_holding_the_largest_timestamp() {
    Topic t = create("max-ts", Map.of());
    assertThat(
            broker.node(0).services().offsetsByTime().maxTimestamp(new PartitionKey(t.id(), 0), 0))
        .as("an empty partition has none")
        .isEmpty();
    long now = System.currentTimeMillis();
    append("max-ts", batch("none", 2, now - 100)); // offsets 0, 1
    MemoryRecordsBuilder b = ClientBatches.plainBuilder("gzip");
    b.append(now - 50, "k".getBytes(), "x".getBytes()); // 2
    b.append(now + 10, "k".getBytes(), "max".getBytes()); // 3
    b.append(now - 20, "k".getBytes(), "y".getBytes()); // 4
    append("max-ts", b.build().buffer());
    append("max-ts", batch("none", 2, now + 9)); // 5 at now + 9, 6 at now + 10: same, later

    var max =
        broker.node(0).services().offsetsByTime().maxTimestamp(new PartitionKey(t.id(), 0), 0);

    assertThat(max).hasValueSatisfying(m -> {
      assertThat(m.offset()).isEqualTo(3);
      assertThat(m.timestampMs()).isEqualTo(now + 10);
    });
  }

  private static AppendedBatch append(String topic, ByteBuffer batch) {
    return produce.appendBatch(topic, 0, batch, Acks.ALL, Principal.ANONYMOUS);
  }

  private static void refused(String topic, ByteBuffer batch, BrokerError error, Errors kafka) {
    long end = logEnd(topic);
    assertThatThrownBy(() -> append(topic, batch))
        .isInstanceOfSatisfying(BrokerException.class, e -> {
          assertThat(e.error()).as(e.getMessage()).isEqualTo(error);
          assertThat(e.error().kafka()).isEqualTo(kafka);
        });
    assertThat(logEnd(topic)).as("nothing written").isEqualTo(end);
  }

  private static Topic create(String topic, Map<String, String> configs) {
    return broker.node(0).services().topics().create(topic, 1, 1, configs);
  }

  private static long logEnd(String topic) {
    return broker.queryLong("select log_end_offset from topic_partition join topic using (topic_id)"
        + " where name = '" + topic + "'");
  }

  private static void assertSameExceptOffsetAndEpoch(
      byte[] stored, byte[] sent, long baseOffset, int epoch) {
    assertThat(stored).hasSameSizeAs(sent);
    ByteBuffer s = ByteBuffer.wrap(stored);
    assertThat(s.getLong(0)).isEqualTo(baseOffset);
    assertThat(s.getInt(12)).as("leader epoch").isEqualTo(epoch);
    assertThat(Arrays.copyOfRange(stored, 8, 12)).isEqualTo(Arrays.copyOfRange(sent, 8, 12));
    assertThat(Arrays.copyOfRange(stored, 16, stored.length))
        .isEqualTo(Arrays.copyOfRange(sent, 16, sent.length));
  }

  private static List<byte[]> storedBatches(String topic) throws SQLException {
    List<byte[]> out = new ArrayList<>();
    try (var c = broker.sql();
        PreparedStatement ps = c.prepareStatement("select c.batch from chunk c join topic t "
            + "using (topic_id) where t.name = ? order by c.base_offset")) {
      ps.setString(1, topic);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getBytes(1));
        }
      }
    }
    return out;
  }

  private static List<String> sqlRows(String topic) throws SQLException {
    List<String> out = new ArrayList<>();
    try (var c = broker.sql();
        PreparedStatement ps = c.prepareStatement("select \"offset\", convert_from(key, 'UTF8'), "
            + "convert_from(value, 'UTF8'), timestamp_ms, headers->0->>'name' "
            + "from read_messages(?, 0, 0, 100)")) {
      ps.setString(1, topic);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
              + rs.getLong(4) + " " + rs.getString(5));
        }
      }
    }
    return out;
  }

  private static String headerOf(String topic, long offset) {
    JsonNode r = http.get(
            "/topics/" + topic + "/partitions/0/records?offset=" + offset,
            "Accept",
            TestHttp.BINARY)
        .expectStatus(200)
        .json()
        .get(0);
    assertThat(r.get("headers").get(0).get("name").asText()).isEqualTo("h");
    return text(r.get("headers").get(0).get("value"));
  }

  private static String text(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }

  private static byte[] concat(List<byte[]> parts) {
    int size = parts.stream().mapToInt(p -> p.length).sum();
    ByteBuffer out = ByteBuffer.allocate(size);
    parts.forEach(out::put);
    return out.array();
  }
}

package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code compression.type} decides how the node compresses the batches it writes, as Kafka's topic
 * config does: gzip, snappy, lz4 and zstd batches are stored with that codec (read back from the
 * chunk rows with kafka-clients), smaller than uncompressed ones for compressible values, and read
 * over REST v2 (partition fetch and consumer instances) exactly as produced over v2 and v3;
 * {@code producer} and {@code uncompressed} store uncompressed batches (HTTP producers send none).
 */
class CompressionTypeTest {
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("compression_type");
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
  void a_codec_named_by_compression_type_compresses_what_the_node_writes_and_reads_back_as_produced(
      String codec) throws Exception {
    String topic = "compressed-" + codec;
    createTopic(topic, Map.of("compression.type", codec));
    List<String> values = compressibleValues(10, 7);
    produceV2(topic, values);
    String v3Value = values.getFirst() + " over v3";
    produceV3(topic, "v3-key", v3Value);

    List<MutableRecordBatch> batches = storedBatches(topic);
    assertThat(batches).hasSize(2);
    assertThat(batches).allSatisfy(b -> {
      assertThat(b.compressionType()).isEqualTo(CompressionType.forName(codec));
      assertThat(b.isValid()).isTrue();
    });
    List<String> expected = new ArrayList<>(values);
    expected.add(v3Value);
    assertThat(storedValues(batches)).containsExactlyElementsOf(expected);
    assertThat(fetchValues(topic)).containsExactlyElementsOf(expected);
    assertThat(consumerValues(topic, codec)).containsExactlyElementsOf(expected);

    String plain = "plain-for-" + codec;
    createTopic(plain, Map.of("compression.type", "uncompressed"));
    produceV2(plain, values);
    long compressed = firstChunkSize(topic);
    long uncompressed = firstChunkSize(plain);
    assertThat(compressed)
        .as(
            "%s batch of 10 compressible 1 KiB values: %d bytes stored, uncompressed %d",
            codec, compressed, uncompressed)
        .isLessThan(uncompressed / 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"producer", "uncompressed"})
  void producer_and_uncompressed_store_uncompressed_batches(String compressionType)
      throws Exception {
    String topic = "stored-" + compressionType;
    createTopic(topic, Map.of("compression.type", compressionType));
    produceV2(topic, compressibleValues(3, 1));

    assertThat(storedBatches(topic))
        .singleElement()
        .satisfies(b -> assertThat(b.compressionType()).isEqualTo(CompressionType.NONE));
  }

  /**
   * SQL reads lz4 and snappy batches (decompressed in PL/pgSQL): values over several codec blocks,
   * compressible and not, read back through read_messages and the message view as HTTP fetch has them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"lz4", "snappy"})
  void read_messages_and_the_message_view_decode_lz4_and_snappy_batches(String codec)
      throws Exception {
    String topic = "sql-" + codec;
    createTopic(topic, Map.of("compression.type", codec));
    List<String> values = new ArrayList<>(compressibleValues(90, 8));
    Random random = new Random(9);
    for (int i = 0; i < 30; i++) {
      byte[] noise = new byte[1500];
      random.nextBytes(noise);
      values.add(
          i, Base64.getEncoder().encodeToString(noise)); // incompressible runs between the text
    }
    values.add("a".repeat(70_000)); // one long run: overlapping copies and long lengths
    produceV2(topic, values);
    produceV3(topic, "v3-key", values.getFirst());
    values.add(values.getFirst());
    assertThat(storedBatches(topic))
        .extracting(MutableRecordBatch::compressionType)
        .containsOnly(CompressionType.forName(codec));

    assertThat(sqlValues("select value from read_messages('" + topic + "', 0, 0, 1000)"))
        .containsExactlyElementsOf(values)
        .containsExactlyElementsOf(fetchAllValues(topic));
    assertThat(sqlValues(
            "select value from message where topic = '" + topic + "' order by \"offset\""))
        .containsExactlyElementsOf(values);
    assertThat(sqlValues("select headers->0->>'name' from read_messages('" + topic + "', 0, 0, 1)"))
        .containsExactly("h");
  }

  /** gzip and zstd would need their libraries inside PostgreSQL: SQL shows their batches' headers only. */
  @ParameterizedTest
  @ValueSource(strings = {"gzip", "zstd"})
  void gzip_and_zstd_batches_show_their_codec_in_sql_and_no_messages(String codec)
      throws Exception {
    String topic = "sql-" + codec;
    createTopic(topic, Map.of("compression.type", codec));
    produceV2(topic, compressibleValues(3, 10));

    assertThat(sqlValues("select h.compression from chunk c join topic t using (topic_id) "
            + "cross join lateral record_batch_header(c.batch) h where t.name = '" + topic + "'"))
        .containsExactly(codec);
    assertThat(sqlValues("select value from read_messages('" + topic + "', 0)")).isEmpty();
  }

  /**
   * As Kafka re-checks a batch's size after the broker compressed it: incompressible bytes grow a
   * little under gzip, so a record whose uncompressed batch is exactly max.message.bytes (accepted
   * uncompressed) is refused with RECORD_TOO_LARGE once compressed, and nothing is written.
   */
  @Test
  void a_batch_that_compression_grows_past_max_message_bytes_is_refused() throws Exception {
    byte[] noise = new byte[10_000];
    new Random(12).nextBytes(noise);
    MemoryRecordsBuilder builder = MemoryRecords.builder(
        ByteBuffer.allocate(1 << 16), Compression.NONE, TimestampType.CREATE_TIME, 0);
    builder.append(1L, null, noise);
    int exactly = builder.build().sizeInBytes();
    String limit = Integer.toString(exactly);
    createTopic(
        "grown-plain", Map.of("compression.type", "uncompressed", "max.message.bytes", limit));
    createTopic("grown-gzip", Map.of("compression.type", "gzip", "max.message.bytes", limit));
    String body = TestHttp.json(Map.of(
        "records",
        List.of(Map.of("value", Base64.getEncoder().encodeToString(noise), "timestamp", 1L))));

    assertThat(
            http.post("/topics/grown-plain/partitions/0", TestHttp.BINARY, body).status())
        .isEqualTo(200);
    assertThat(firstChunkSize("grown-plain")).isEqualTo(exactly);
    var refused = http.post("/topics/grown-gzip/partitions/0", TestHttp.BINARY, body);
    TestHttp.assertError(refused, 413, 41301);
    assertThat(refused.body()).contains("once compressed with gzip");
    assertThat(broker.queryLong(
            "select log_end_offset from topic_partition join topic using (topic_id) "
                + "where name = 'grown-gzip'"))
        .isZero();
  }

  @Test
  void a_log_append_time_topic_stamps_the_append_time_on_its_compressed_batches() throws Exception {
    createTopic(
        "appended", Map.of("compression.type", "zstd", "message.timestamp.type", "LogAppendTime"));
    long before = System.currentTimeMillis();
    produceV2("appended", compressibleValues(3, 6));

    MutableRecordBatch batch =
        storedBatches("appended", TimestampType.LOG_APPEND_TIME).getFirst();
    assertThat(batch.compressionType()).isEqualTo(CompressionType.ZSTD);
    assertThat(batch.maxTimestamp()).isBetween(before, System.currentTimeMillis());
    var r = http.get("/topics/appended/partitions/0/records?offset=0", "Accept", TestHttp.BINARY);
    assertThat(r.json())
        .hasSize(3)
        .allSatisfy(
            record -> assertThat(record.get("timestamp").asLong()).isEqualTo(batch.maxTimestamp()));
  }

  @Test
  void a_changed_compression_type_applies_to_new_writes_only() throws Exception {
    createTopic("changing", Map.of("compression.type", "gzip"));
    List<String> before = compressibleValues(3, 2);
    produceV2("changing", before);
    var altered = http.method(
        "PUT",
        "/v3/clusters/" + http.clusterId() + "/topics/changing/configs/compression.type",
        "application/json",
        "{\"value\": \"zstd\"}");
    assertThat(altered.status()).as(altered.body()).isEqualTo(204);
    List<String> after = compressibleValues(3, 3);
    produceV2("changing", after);

    assertThat(storedBatches("changing"))
        .extracting(MutableRecordBatch::compressionType)
        .containsExactly(CompressionType.GZIP, CompressionType.ZSTD);
    List<String> all = new ArrayList<>(before);
    all.addAll(after);
    assertThat(fetchValues("changing")).containsExactlyElementsOf(all);
  }

  @Test
  void the_cluster_wide_default_compression_type_applies_to_topics_that_do_not_override_it()
      throws Exception {
    http.setClusterDefault("compression.type", "lz4");
    try {
      createTopic("cluster-default", Map.of());
      produceV2("cluster-default", compressibleValues(2, 4));
      assertThat(storedBatches("cluster-default"))
          .singleElement()
          .satisfies(b -> assertThat(b.compressionType()).isEqualTo(CompressionType.LZ4));
    } finally {
      http.resetClusterDefault("compression.type");
    }
  }

  @Test
  void a_higher_compression_level_stores_a_smaller_batch() throws Exception {
    List<String> values = compressibleValues(20, 5);
    createTopic("gzip-fast", Map.of("compression.type", "gzip", "compression.gzip.level", "1"));
    createTopic("gzip-best", Map.of("compression.type", "gzip", "compression.gzip.level", "9"));
    produceV2("gzip-fast", values);
    produceV2("gzip-best", values);

    assertThat(firstChunkSize("gzip-best")).isLessThan(firstChunkSize("gzip-fast"));
    assertThat(fetchValues("gzip-best")).containsExactlyElementsOf(values);
  }

  @Test
  void an_unknown_codec_or_a_level_out_of_range_is_refused() {
    TestHttp.assertError(
        createTopicResponse("bad-codec", Map.of("compression.type", "brotli")), 400, 40002);
    TestHttp.assertError(
        createTopicResponse("bad-level", Map.of("compression.zstd.level", "23")), 400, 40002);
    TestHttp.assertError(
        createTopicResponse("bad-gzip", Map.of("compression.gzip.level", "0")), 400, 40002);
  }

  /** Values of about 1 KiB, words drawn from a small vocabulary: compressible as real text is. */
  static List<String> compressibleValues(int count, long seed) {
    String[] words = {
      "order",
      "customer",
      "shipped",
      "pending",
      "amount",
      "currency",
      "EUR",
      "warehouse",
      "north",
      "south",
      "priority",
      "express",
      "standard",
      "invoice",
      "paid",
      "refund"
    };
    Random random = new Random(seed);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder value = new StringBuilder("{\"id\": " + i);
      while (value.length() < 1000) {
        value
            .append(", \"")
            .append(words[random.nextInt(words.length)])
            .append("\": \"")
            .append(words[random.nextInt(words.length)])
            .append(random.nextInt(100))
            .append('"');
      }
      out.add(value.append('}').toString());
    }
    return out;
  }

  static void createTopic(String topic, Map<String, String> configs) {
    var r = createTopicResponse(topic, configs);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static TestHttp.Response createTopicResponse(String topic, Map<String, String> configs) {
    List<Map<String, String>> list = configs.entrySet().stream()
        .map(e -> Map.of("name", e.getKey(), "value", e.getValue()))
        .toList();
    return http.post(
        "/v3/clusters/" + http.clusterId() + "/topics",
        "application/json",
        TestHttp.json(Map.of("topic_name", topic, "partitions_count", 1, "configs", list)));
  }

  /** One v2 request with every value, with a key and a header each: one stored batch. */
  static void produceV2(String topic, List<String> values) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      records.add(Map.of(
          "key",
          b64("key-" + i),
          "value",
          b64(values.get(i)),
          "headers",
          List.of(Map.of("name", "h", "value", b64("header-" + i)))));
    }
    var r = http.post(
        "/topics/" + topic + "/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of("records", records)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static void produceV3(String topic, String key, String value) {
    var r = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics/" + topic + "/records",
        "application/json",
        TestHttp.json(Map.of(
            "partition_id",
            0,
            "key",
            Map.of("type", "STRING", "data", key),
            "value",
            Map.of("type", "STRING", "data", value))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("error_code").asInt()).as(r.body()).isEqualTo(200);
  }

  /** The topic's stored batches in offset order, as kafka-clients reads the chunk rows' bytes. */
  static List<MutableRecordBatch> storedBatches(String topic) throws SQLException {
    return storedBatches(topic, TimestampType.CREATE_TIME);
  }

  static List<MutableRecordBatch> storedBatches(String topic, TimestampType timestampType)
      throws SQLException {
    List<MutableRecordBatch> out = new ArrayList<>();
    try (var c = broker.sql();
        PreparedStatement ps = c.prepareStatement(
            "select c.batch from chunk c "
                + "join topic t using (topic_id) where t.name = ? order by c.partition_id, c.base_offset")) {
      ps.setString(1, topic);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          for (MutableRecordBatch b :
              MemoryRecords.readableRecords(ByteBuffer.wrap(rs.getBytes(1))).batches()) {
            b.ensureValid();
            assertThat(b.timestampType()).isEqualTo(timestampType);
            out.add(b);
          }
        }
      }
    }
    return out;
  }

  static List<String> storedValues(List<MutableRecordBatch> batches) {
    List<String> out = new ArrayList<>();
    for (MutableRecordBatch b : batches) {
      for (Record r : b) {
        out.add(StandardCharsets.UTF_8.decode(r.value()).toString());
      }
    }
    return out;
  }

  private static List<String> sqlValues(String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (var c = broker.sql();
        var st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery(query)) {
        while (rs.next()) {
          Object v = rs.getObject(1);
          out.add(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) v);
        }
      }
    }
    return out;
  }

  /** Every value of partition 0, fetched over HTTP from offset 0 on until the log end. */
  private static List<String> fetchAllValues(String topic) {
    List<String> out = new ArrayList<>();
    while (true) {
      var r = http.get(
          "/topics/" + topic + "/partitions/0/records?offset=" + out.size(),
          "Accept",
          TestHttp.BINARY);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      if (r.json().isEmpty()) {
        return out;
      }
      out.addAll(values(r.json()));
    }
  }

  private static long firstChunkSize(String topic) {
    return broker.queryLong(
        "select c.size_bytes from chunk c join topic t using (topic_id) where t.name = '" + topic
            + "' order by c.base_offset limit 1");
  }

  /** Every value of partition 0 through GET /topics/{topic}/partitions/0/records. */
  static List<String> fetchValues(String topic) {
    var r =
        http.get("/topics/" + topic + "/partitions/0/records?offset=0", "Accept", TestHttp.BINARY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return values(r.json());
  }

  private static List<String> consumerValues(String topic, String group) {
    var created = http.post(
        "/consumers/" + group,
        TestHttp.V2,
        TestHttp.json(Map.of("format", "binary", "auto.offset.reset", "earliest")));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String instance = "/consumers/" + group + "/instances/"
        + created.json().get("instance_id").asText();
    http.post(
            instance + "/assignments",
            TestHttp.V2,
            TestHttp.json(Map.of("partitions", List.of(Map.of("topic", topic, "partition", 0)))))
        .expectStatus(204);
    var records = http.get(instance + "/records?timeout=1000", "Accept", TestHttp.BINARY);
    assertThat(records.status()).as(records.body()).isEqualTo(200);
    http.delete(instance).expectStatus(204);
    return values(records.json());
  }

  private static List<String> values(JsonNode records) {
    List<String> out = new ArrayList<>();
    records.forEach(r -> out.add(
        new String(Base64.getDecoder().decode(r.get("value").asText()), StandardCharsets.UTF_8)));
    return out;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}

package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.log.RecordBatchSqlDecodeTest.Decoded;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rowstream.read_messages} and the {@code rowstream.message} view (sql/R__message_functions.sql)
 * return exactly the records that an HTTP fetch returns: offsets, timestamps, keys, values and
 * headers, for records produced over REST v2 (binary and json) and v3.
 */
class MessagesSqlTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "select \"offset\", \"timestamp\", key, value, headers, topic, partition";
  static TestBroker broker;
  static TestHttp http;
  static Connection sql;
  /** The offset of the first record of partition 0 of sql-orders: a batch of three records. */
  static long firstBatch;

  @BeforeAll
  static void start() throws SQLException {
    broker = TestBroker.start("messages_sql");
    http = broker.http();
    sql = broker.sql();
    http.createTopic("sql-orders", 2);
    broker
        .node(0)
        .services()
        .topics()
        .create("sql-appended", 1, 1, Map.of("message.timestamp.type", "LogAppendTime"));
    http.createTopic("sql-retained", 1);
    // Timestamps far in the future are refused unless the topic lifts Kafka's one-hour bound.
    broker
        .node(0)
        .services()
        .topics()
        .create(
            "sql-extreme-times",
            1,
            1,
            Map.of("message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE)));

    // REST v2 binary: a value and a header above 63 bytes, a null header, a null value, an empty
    // value.
    String big = b64("x".repeat(300));
    firstBatch = produce("/topics/sql-orders/partitions/0", TestHttp.BINARY, """
        {"records": [
          {"key": "%s", "value": "%s", "timestamp": 1767323045123,
           "headers": [{"name": "trace", "value": "%s"}, {"name": "nothing", "value": null}]},
          {"key": "%s", "value": null},
          {"value": ""}]}""".formatted(
            b64("k1"), big, b64("t".repeat(100)), b64("k2")));
    // REST v2 json: keys and values are JSON, stored as their UTF-8 text.
    produce(
        "/topics/sql-orders/partitions/0",
        TestHttp.JSON,
        TestHttp.json(Map.of(
            "records",
            List.of(
                Map.of(
                    "key",
                    "customer-7",
                    "value",
                    Map.of("item", "böök", "price", "12 €", "mood", "😀")),
                Map.of("value", "日本語", "timestamp", 1000)))));
    // REST v3: one record with typed key and value, a Unicode header name and an ISO timestamp;
    // then a batch.
    String v3 = "/v3/clusters/" + http.clusterId() + "/topics/sql-orders/records";
    var one = http.post(
        v3,
        "application/json",
        TestHttp.json(Map.of(
            "partition_id", 0,
            "headers", List.of(Map.of("name", "trace-😀", "value", b64("ünïcode"))),
            "key", Map.of("type", "STRING", "data", "ключ"),
            "value", Map.of("type", "JSON", "data", Map.of("a", List.of(1, 2))),
            "timestamp", "2026-01-02T03:04:05.678Z")));
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    var batch = http.post(
        v3 + ":batch",
        "application/json",
        TestHttp.json(Map.of(
            "entries",
            List.of(
                Map.of(
                    "id",
                    "a",
                    "partition_id",
                    0,
                    "value",
                    Map.of("type", "STRING", "data", "first"),
                    "headers",
                    List.of(
                        Map.of("name", "h", "value", b64("1")),
                        Map.of("name", "h", "value", b64("2")))),
                Map.of(
                    "id",
                    "b",
                    "partition_id",
                    0,
                    "key",
                    Map.of("type", "BINARY", "data", b64("\u0000\u00ff"))),
                Map.of(
                    "id",
                    "c",
                    "partition_id",
                    1,
                    "value",
                    Map.of("type", "STRING", "data", "elsewhere"))))));
    assertThat(batch.status()).as(batch.body()).isEqualTo(207);
  }

  @AfterAll
  static void stop() throws SQLException {
    sql.close();
    broker.close();
  }

  @Test
  void read_messages_and_the_message_view_return_what_http_fetch_returns() throws Exception {
    for (int partition = 0; partition < 2; partition++) {
      List<Decoded> fetched = fetch("sql-orders", partition, 0, Integer.MAX_VALUE);
      assertThat(fetched).hasSize(partition == 0 ? 8 : 1);

      assertThat(query(
              COLUMNS + " from read_messages('sql-orders', " + partition + ", 0, 1000)",
              "sql-orders",
              partition))
          .isEqualTo(fetched);
      assertThat(query(
              COLUMNS + " from message where topic = 'sql-orders' and partition = " + partition
                  + " order by \"offset\"",
              "sql-orders",
              partition))
          .isEqualTo(fetched);
    }
    assertThat(query(COLUMNS + " from read_messages('sql-orders', 0)", "sql-orders", 0))
        .as("from the log start, 100 at most, by default")
        .hasSize(8);
  }

  @Test
  void keys_values_and_headers_are_the_bytes_produced() throws Exception {
    try (var s = sql.createStatement();
        ResultSet rs = s.executeQuery("select convert_from(key, 'UTF8'),"
            + " convert_from(value, 'UTF8'), headers->0->>'name', \"timestamp\" from read_messages('sql-orders', 0, "
            + (firstBatch + 5) + ", 1)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ключ");
      assertThat(rs.getString(2)).isEqualTo("{\"a\":[1,2]}");
      assertThat(rs.getString(3)).isEqualTo("trace-😀");
      assertThat(rs.getObject(4, OffsetDateTime.class).toInstant())
          .hasToString("2026-01-02T03:04:05.678Z");
    }
  }

  @Test
  void reading_from_the_middle_of_a_batch_starts_at_that_offset_and_crosses_into_the_next_batches()
      throws Exception {
    List<Decoded> fetched = fetch("sql-orders", 0, firstBatch + 1, 4);
    assertThat(fetched)
        .extracting(Decoded::offset)
        .containsExactly(firstBatch + 1, firstBatch + 2, firstBatch + 3, firstBatch + 4);

    assertThat(query(
            COLUMNS + " from read_messages('sql-orders', 0, " + (firstBatch + 1) + ", 4)",
            "sql-orders",
            0))
        .isEqualTo(fetched);
  }

  @Test
  void nothing_is_read_at_or_past_the_log_end_nor_when_no_messages_are_asked_for()
      throws Exception {
    long end =
        broker.queryLong("select log_end_offset from topic_partition join topic using (topic_id)"
            + " where name = 'sql-orders' and partition_id = 0");
    assertThat(query(
            COLUMNS + " from read_messages('sql-orders', 0, " + end + ", 10)", "sql-orders", 0))
        .isEmpty();
    assertThat(query(
            COLUMNS + " from read_messages('sql-orders', 0, " + (end + 100) + ")", "sql-orders", 0))
        .isEmpty();
    assertThat(query(COLUMNS + " from read_messages('sql-orders', 0, 0, 0)", "sql-orders", 0))
        .isEmpty();
  }

  /** Unlike the view, which has no rows for it, read_messages raises undefined_object for a missing topic. */
  @Test
  void an_unknown_topic_or_partition_is_an_error_and_has_no_rows_in_the_view() throws Exception {
    for (String call :
        List.of("read_messages('no-such-topic', 0)", "read_messages('sql-orders', 2)")) {
      assertThatThrownBy(() -> query(COLUMNS + " from " + call, null, 0))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
    }
    assertThat(broker.queryLong("select count(*) from message where topic = 'no-such-topic'"))
        .isZero();
  }

  @Test
  void with_log_append_time_every_message_carries_the_broker_time_as_http_shows_it()
      throws Exception {
    produce(
        "/topics/sql-appended/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(
                Map.of("value", b64("a"), "timestamp", 1000),
                Map.of("value", b64("b"), "timestamp", 2000)))));
    List<Decoded> fetched = fetch("sql-appended", 0, 0, Integer.MAX_VALUE);
    assertThat(fetched).extracting(Decoded::timestampMs).doesNotContain(1000L, 2000L);

    assertThat(query(COLUMNS + " from read_messages('sql-appended', 0)", "sql-appended", 0))
        .isEqualTo(fetched);
    assertThat(query(
            COLUMNS + " from message where topic = 'sql-appended' order by \"offset\"",
            "sql-appended",
            0))
        .isEqualTo(fetched);
  }

  /**
   * Long.MAX_VALUE is past PostgreSQL's last timestamp (294276 AD): its {@code timestamp} is
   * {@code infinity}, and {@code timestamp_ms} keeps the milliseconds as they were produced.
   */
  @Test
  void
      records_with_the_largest_timestamp_and_with_zero_are_read_through_the_view_and_read_messages()
          throws Exception {
    long first = produce(
        "/topics/sql-extreme-times/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(
                Map.of("value", b64("max"), "timestamp", Long.MAX_VALUE),
                Map.of("value", b64("zero"), "timestamp", 0),
                Map.of("value", b64("year-294277"), "timestamp", 9_224_318_016_000_000L)))));
    produce(
        "/topics/sql-extreme-times/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(
            Map.of("records", List.of(Map.of("value", b64("zero-alone"), "timestamp", 0)))));
    assertThat(fetch("sql-extreme-times", 0, 0, Integer.MAX_VALUE))
        .extracting(Decoded::timestampMs)
        .containsExactly(Long.MAX_VALUE, 0L, 9_224_318_016_000_000L, 0L);

    assertThat(
            rows("select convert_from(value, 'UTF8') from read_messages('sql-extreme-times', 0)"))
        .containsExactly("max", "zero", "year-294277", "zero-alone");
    assertThat(rows(
            "select convert_from(value, 'UTF8') from message where topic = 'sql-extreme-times'"))
        .containsExactlyInAnyOrder("max", "zero", "year-294277", "zero-alone");
    List<String> expected = List.of(
        first + " max infinity " + Long.MAX_VALUE,
        (first + 1) + " zero 1970-01-01 00:00:00+00 0",
        (first + 2) + " year-294277 infinity 9224318016000000",
        (first + 3) + " zero-alone 1970-01-01 00:00:00+00 0");
    String columns =
        "select \"offset\", convert_from(value, 'UTF8'), (\"timestamp\" at time zone 'UTC')::text || "
            + "case when isfinite(\"timestamp\") then '+00' else '' end, timestamp_ms";
    assertThat(rows(columns + " from read_messages('sql-extreme-times', 0)")).isEqualTo(expected);
    assertThat(
            rows(columns + " from message where topic = 'sql-extreme-times' order by \"offset\""))
        .isEqualTo(expected);
    assertThat(rows(
            "select isfinite(min_timestamp)::text, isfinite(max_timestamp)::text from chunk_overview"
                + " where topic = 'sql-extreme-times' order by base_offset"))
        .containsExactly("true false", "true true");
    assertThat(rows(
            "select isfinite(min_timestamp)::text, isfinite(max_timestamp)::text from segment_overview"
                + " where topic = 'sql-extreme-times'"))
        .containsExactly("true false");
  }

  /** As retention leaves a partition: the first chunk gone, the log start moved to the next one. */
  @Test
  void an_offset_before_the_log_start_reads_from_the_log_start() throws Exception {
    produce(
        "/topics/sql-retained/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records", List.of(Map.of("value", b64("gone-1")), Map.of("value", b64("gone-2"))))));
    long kept = produce(
        "/topics/sql-retained/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records", List.of(Map.of("value", b64("kept-1")), Map.of("value", b64("kept-2"))))));
    sql.setAutoCommit(false);
    try (var s = sql.createStatement()) {
      long topicId = broker.queryLong("select topic_id from topic where name = 'sql-retained'");
      s.execute("delete from chunk where topic_id = " + topicId + " and base_offset < " + kept);
      s.execute(
          "update topic_partition set log_start_offset = " + kept + " where topic_id = " + topicId);
      sql.commit();
    } finally {
      sql.setAutoCommit(true);
    }

    List<Decoded> fetched = fetch("sql-retained", 0, kept, Integer.MAX_VALUE);
    assertThat(fetched).hasSize(2);
    assertThat(query(COLUMNS + " from read_messages('sql-retained', 0, 0)", "sql-retained", 0))
        .isEqualTo(fetched);
  }

  /** Produces one request and returns the offset of its first record. */
  private static long produce(String path, String contentType, String body) {
    var r = http.post(path, contentType, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("offsets").get(0).get("offset").asLong();
  }

  /** Up to {@code max} records of a partition from an offset, over HTTP in the binary format. */
  private static List<Decoded> fetch(String topic, int partition, long from, int max) {
    List<Decoded> out = new ArrayList<>();
    long next = from;
    while (out.size() < max) {
      JsonNode records = http.get(
              "/topics/" + topic + "/partitions/" + partition + "/records?offset=" + next,
              "Accept",
              TestHttp.BINARY)
          .json();
      if (records.isEmpty()) {
        break;
      }
      for (JsonNode r : records) {
        if (out.size() < max) {
          out.add(new Decoded(
              r.get("offset").asLong(),
              r.get("timestamp").asLong(),
              text(r.get("key")),
              text(r.get("value")),
              r.get("headers")));
        }
        next = r.get("offset").asLong() + 1;
      }
    }
    return out;
  }

  /** The rows of a query over the message columns, checking each row's topic and partition. */
  private static List<Decoded> query(String query, String topic, int partition) throws Exception {
    List<Decoded> out = new ArrayList<>();
    try (var s = sql.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        assertThat(rs.getString("topic")).isEqualTo(topic);
        assertThat(rs.getInt("partition")).isEqualTo(partition);
        OffsetDateTime timestamp = rs.getObject(2, OffsetDateTime.class);
        out.add(new Decoded(
            rs.getLong(1),
            timestamp == null ? -1 : timestamp.toInstant().toEpochMilli(),
            base64(rs.getBytes(3)),
            base64(rs.getBytes(4)),
            JSON.readTree(rs.getString(5))));
      }
    }
    return out;
  }

  /** Each row of a query as its columns' text joined by spaces. */
  private static List<String> rows(String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (var s = sql.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          row.add(rs.getString(c));
        }
        out.add(String.join(" ", row));
      }
    }
    return out;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String base64(byte[] b) {
    return b == null ? null : Base64.getEncoder().encodeToString(b);
  }
}

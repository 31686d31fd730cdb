package io.rowstream.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delete retention over HTTP: by bytes and by time, whole segments only, the active one too once it
 * expires (rolled first, unless an append reached it), so a quiet partition empties; the log start
 * moves, the log end stays, reads below it are out of range, consumers behind it reset; and the dropped
 * segments' tables are gone, while producers and readers keep working.
 */
class RetentionTest {
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("retention", c -> c.withLogMaintenanceIntervalMs(50));
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void retention_bytes_deletes_the_oldest_whole_segments_and_moves_the_log_start() {
    createTopic("by-bytes", Map.of("internal.segment.bytes", "1024", "retention.bytes", "3000"));
    for (int i = 0; i < 30; i++) {
      produceValue("by-bytes", i, 400);
    }
    long topicId = topicId("by-bytes");
    Await.until(
        "retention trims by-bytes",
        Duration.ofSeconds(20),
        () -> broker.queryLong(
                "select sum(size_bytes) - (array_agg(size_bytes order by base_offset))[1] from segment where topic_id = "
                    + topicId)
            < 3000);
    Await.until(
        "dropped segment storages are gone",
        Duration.ofSeconds(20),
        () -> storageTables() == broker.queryLong("select count(*) from segment"));

    long logStart = broker.queryLong(
        "select log_start_offset from topic_partition where topic_id = " + topicId);
    assertThat(logStart).isPositive();
    assertThat(broker.queryLong("select min(base_offset) from segment where topic_id = " + topicId))
        .as("the log starts at a segment's first offset: segments went whole")
        .isEqualTo(logStart);
    assertThat(broker.queryLong("select sum(size_bytes) from segment where topic_id = " + topicId))
        .as("never trimmed below retention.bytes")
        .isGreaterThanOrEqualTo(3000);
    assertSegmentsTile(topicId, logStart, 30);
    assertThat(broker.queryLong("select count(*) from chunk_storage"))
        .isEqualTo(broker.queryLong("select count(*) from segment"));

    var below =
        http.get("/topics/by-bytes/partitions/0/records?offset=0", "Accept", TestHttp.BINARY);
    TestHttp.assertError(below, 400, 40002);
    JsonNode read = http.get(
            "/topics/by-bytes/partitions/0/records?offset=" + logStart, "Accept", TestHttp.BINARY)
        .json();
    assertThat(read.get(0).get("offset").asLong()).isEqualTo(logStart);
    assertThat(valueOf(read.get(0))).isEqualTo(logStart);
  }

  @Test
  void retention_ms_deletes_segments_whose_newest_record_is_older_the_active_one_too() {
    createTopic("old-in-active", Map.of("retention.ms", "60000"));
    createTopic("by-time", Map.of("internal.segment.bytes", "1024", "retention.ms", "60000"));
    String hourAgo = Instant.now().minus(Duration.ofHours(1)).toString();
    produceV3("old-in-active", 0, hourAgo);
    for (int i = 0; i < 10; i++) {
      produceV3("by-time", i, hourAgo);
    }
    long firstRecent = produceV3("by-time", 10, null);
    for (int i = 11; i < 20; i++) {
      produceV3("by-time", i, null);
    }
    long topicId = topicId("by-time");
    // A pass may run between two of the appends above and trim part of the old records; wait for
    // the pass that sees them all.
    Await.until(
        "retention trims every old segment of by-time",
        Duration.ofSeconds(20),
        () -> broker.queryLong("select count(*) from segment where topic_id = " + topicId
                + " and max_timestamp_ms < (extract(epoch from now()) * 1000 - 60000)")
            == 0);

    long logStart = broker.queryLong(
        "select log_start_offset from topic_partition where topic_id = " + topicId);
    assertThat(logStart).isPositive().isLessThanOrEqualTo(firstRecent);
    assertSegmentsTile(topicId, logStart, 20);
    Await.until(
        "the expired active segment of old-in-active goes",
        Duration.ofSeconds(20),
        () -> broker.queryLong(
                "select log_start_offset from topic_partition p join topic t using (topic_id) where t.name = 'old-in-active'")
            == 1);
  }

  @Test
  void
      a_quiet_partition_expires_after_retention_ms_and_the_next_record_continues_at_the_old_log_end() {
    createTopic("quiet", Map.of("retention.ms", "3000"));
    String instance = createConsumer("quiet-readers", "earliest");
    post(instance + "/assignments", "{\"partitions\":[{\"topic\":\"quiet\",\"partition\":0}]}");
    post(
        instance + "/positions",
        "{\"offsets\":[{\"topic\":\"quiet\",\"partition\":0,\"offset\":0}]}");
    long producedAt = System.currentTimeMillis();
    produceValue("quiet", 0, 100);
    produceValue("quiet", 1, 100);
    long topicId = topicId("quiet");

    Await.until(
        "the quiet partition's records expire",
        Duration.ofSeconds(20),
        () -> broker.queryLong(
                "select log_start_offset from topic_partition where topic_id = " + topicId)
            == 2);
    assertThat(System.currentTimeMillis() - producedAt)
        .as("not before retention.ms")
        .isGreaterThanOrEqualTo(2900);
    assertThat(broker.queryLong(
            "select log_end_offset from topic_partition where topic_id = " + topicId))
        .as("the log end stays")
        .isEqualTo(2);
    assertSegmentsTile(topicId, 2, 2);
    Await.until(
        "the expired segment's table is dropped",
        Duration.ofSeconds(20),
        () -> broker.queryLong("select count(*) from chunk_storage where topic_id = " + topicId)
            == 0);
    assertThat(broker.queryLong("select count(*) from segment where topic_id = " + topicId))
        .as("no empty active segment (nor its table) is left behind: the next append opens one")
        .isZero();
    TestHttp.assertError(
        http.get("/topics/quiet/partitions/0/records?offset=0", "Accept", TestHttp.BINARY),
        400,
        40002);

    assertThat(produceV3("quiet", 2, null))
        .as("the next record takes the old log end")
        .isEqualTo(2);
    JsonNode read = http.get(
            "/topics/quiet/partitions/0/records?offset=2", "Accept", TestHttp.BINARY)
        .json();
    assertThat(read.get(0).get("offset").asLong()).isEqualTo(2);
    assertThat(valueOf(read.get(0))).isEqualTo(2);
    assertThat(firstPolledRecord(instance).get("offset").asLong())
        .as("the consumer at the expired offset 0 resets")
        .isEqualTo(2);
  }

  @Test
  void retention_bytes_zero_empties_the_log_and_keeps_its_end() {
    createTopic("emptied", Map.of("retention.bytes", "0"));
    var r = http.post(
        "/topics/emptied/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(Map.of("value", "AA=="), Map.of("value", "AQ=="), Map.of("value", "Ag==")))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    long topicId = topicId("emptied");

    Await.until(
        "retention.bytes=0 empties the log",
        Duration.ofSeconds(20),
        () -> broker.queryLong(
                "select log_start_offset from topic_partition where topic_id = " + topicId)
            == 3);
    assertThat(broker.queryLong(
            "select log_end_offset from topic_partition where topic_id = " + topicId))
        .isEqualTo(3);
    assertThat(broker.queryLong(
            "select count(*) from segment where topic_id = " + topicId + " and size_bytes > 0"))
        .as("no segment holds a record")
        .isZero();
    assertThat(produceV3("emptied", 3, null)).isEqualTo(3);
  }

  @Test
  void maintenance_rolls_the_active_segment_only_if_no_append_reached_it_since_it_looked() {
    createTopic(
        "racing", Map.of("retention.ms", "-1")); // no retention pass touches it: the test rolls
    long topicId = topicId("racing");
    produceValue("racing", 0, 100);
    long seenEnd = broker.queryLong(
        "select next_offset from segment where rolled_at is null and topic_id = " + topicId);
    produceValue("racing", 1, 100); // lands in the segment maintenance judged at seenEnd

    assertThat(broker.queryLong(
            "select roll_active_segment(" + topicId + ", 0, " + seenEnd + ")::int"))
        .as("an append reached the segment: it stays active")
        .isZero();
    assertThat(broker.queryLong("select count(*) from segment where topic_id = " + topicId))
        .isEqualTo(1);
    assertThat(broker.queryLong("select roll_active_segment(" + topicId + ", 0, 2)::int"))
        .isOne();
    assertThat(broker.queryLong(
            "select count(*) from segment where rolled_at is null and topic_id = " + topicId))
        .as("the roll opens no empty segment")
        .isZero();
    assertThat(broker.queryLong("select roll_active_segment(" + topicId + ", 0, 2)::int"))
        .as("without an active segment there is nothing to roll")
        .isZero();
    assertThat(produceV3("racing", 2, null)).isEqualTo(2);
    assertSegmentsTile(topicId, 0, 3);
    assertThat(broker.queryLong(
            "select count(*) from segment where rolled_at is null and base_offset = 2 "
                + "and topic_id = " + topicId))
        .isOne();
  }

  @Test
  void a_consumer_behind_the_log_start_resets_to_the_earliest_offset() {
    createTopic("reset", Map.of("internal.segment.bytes", "1024", "retention.bytes", "2000"));
    produceValue("reset", 0, 400);
    String instance = createConsumer("resetters", "earliest");
    post(instance + "/assignments", "{\"partitions\":[{\"topic\":\"reset\",\"partition\":0}]}");
    post(
        instance + "/positions",
        "{\"offsets\":[{\"topic\":\"reset\",\"partition\":0,\"offset\":0}]}");
    for (int i = 1; i < 20; i++) {
      produceValue("reset", i, 400);
    }
    long topicId = topicId("reset");
    Await.until(
        "retention trims reset",
        Duration.ofSeconds(20),
        () -> broker.queryLong(
                "select log_start_offset from topic_partition where topic_id = " + topicId)
            > 0);
    long logStart = broker.queryLong(
        "select log_start_offset from topic_partition where topic_id = " + topicId);

    JsonNode first = firstPolledRecord(instance);
    assertThat(first.get("offset").asLong())
        .as("reset to the log start")
        .isGreaterThanOrEqualTo(logStart);
    assertThat(valueOf(first)).isEqualTo(first.get("offset").asLong());
  }

  @Test
  void retention_under_a_running_producer_and_reader_loses_nothing_retained_and_fails_no_read()
      throws Exception {
    createTopic("busy", Map.of("internal.segment.bytes", "2048", "retention.bytes", "8192"));
    int total = 400;
    AtomicBoolean producing = new AtomicBoolean(true);
    CompletableFuture<List<String>> reader =
        CompletableFuture.supplyAsync(() -> readAlong("busy", producing));
    try {
      for (int i = 0; i < total; i++) {
        produceValue("busy", i, 200);
      }
    } finally {
      producing.set(false);
    }
    List<String> problems = reader.get(60, TimeUnit.SECONDS);
    assertThat(problems).isEmpty();

    long topicId = topicId("busy");
    Await.until(
        "retention trims busy",
        Duration.ofSeconds(20),
        () -> broker.queryLong(
                "select sum(size_bytes) - (array_agg(size_bytes order by base_offset))[1] from segment where topic_id = "
                    + topicId)
            < 8192);
    long logStart = broker.queryLong(
        "select log_start_offset from topic_partition where topic_id = " + topicId);
    assertThat(logStart).isPositive();
    long next = logStart;
    while (next < total) {
      JsonNode records = http.get(
              "/topics/busy/partitions/0/records?offset=" + next, "Accept", TestHttp.BINARY)
          .json();
      for (JsonNode record : records) {
        assertThat(record.get("offset").asLong()).isEqualTo(next);
        assertThat(valueOf(record)).isEqualTo(next);
        next++;
      }
    }
  }

  @Test
  void readers_at_the_log_start_get_records_or_out_of_range_while_retention_drops_it_under_them()
      throws Exception {
    createTopic("edge", Map.of("internal.segment.bytes", "2048", "retention.bytes", "4096"));
    long topicId = topicId("edge");
    AtomicBoolean producing = new AtomicBoolean(true);
    List<CompletableFuture<List<String>>> readers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      readers.add(CompletableFuture.supplyAsync(() -> chaseLogStart("edge", topicId, producing)));
    }
    try {
      for (int i = 0; i < 600; i++) {
        produceValue("edge", i, 200);
      }
    } finally {
      producing.set(false);
    }
    for (var reader : readers) {
      assertThat(reader.get(60, TimeUnit.SECONDS)).isEmpty();
    }
    assertThat(broker.queryLong(
            "select log_start_offset from topic_partition where topic_id = " + topicId))
        .as("retention ran under the readers")
        .isGreaterThan(300);
  }

  /**
   * Reads at the partition's current log start, again and again, while the producer runs: each
   * read must answer records that are what was produced at their offsets, or out of range when
   * retention moved the log start past it meanwhile; anything else is a problem.
   */
  private List<String> chaseLogStart(String topic, long topicId, AtomicBoolean producing) {
    List<String> problems = new ArrayList<>();
    while (producing.get()) {
      long start = broker.queryLong(
          "select log_start_offset from topic_partition where topic_id = " + topicId);
      var r = http.get(
          "/topics/" + topic + "/partitions/0/records?offset=" + start + "&max_bytes=1",
          "Accept",
          TestHttp.BINARY);
      if (r.status() == 400 && r.errorCode() == 40002) {
        continue; // retention passed it between the two reads
      }
      if (r.status() != 200) {
        problems.add(
            "read at the log start " + start + " answered " + r.status() + ": " + r.body());
        return problems;
      }
      for (JsonNode record : r.json()) {
        if (valueOf(record) != record.get("offset").asLong()
            || record.get("offset").asLong() < start) {
          problems.add("read at " + start + " got " + record);
          return problems;
        }
      }
    }
    return problems;
  }

  /** Reads from offset 0 while the producer runs; what went wrong, if anything. */
  private List<String> readAlong(String topic, AtomicBoolean producing) {
    List<String> problems = new ArrayList<>();
    long next = 0;
    int resets = 0;
    while (producing.get()
        || next
            < broker.queryLong("select log_end_offset from topic_partition p join topic t "
                + "using (topic_id) where t.name = '" + topic + "'")) {
      var r = http.get(
          "/topics/" + topic + "/partitions/0/records?offset=" + next + "&timeout=200",
          "Accept",
          TestHttp.BINARY);
      if (r.status() == 400 && r.errorCode() == 40002) {
        long start = broker.queryLong("select log_start_offset from topic_partition p join topic t "
            + "using (topic_id) where t.name = '" + topic + "'");
        if (start <= next) {
          problems.add("offset " + next + " out of range while the log starts at " + start);
          return problems;
        }
        next = start; // retention passed us: start again at the log start
        resets++;
        continue;
      }
      if (r.status() != 200) {
        problems.add("read at " + next + " answered " + r.status() + ": " + r.body());
        return problems;
      }
      for (JsonNode record : r.json()) {
        if (record.get("offset").asLong() != next || valueOf(record) != next) {
          problems.add("expected offset and value " + next + ", got " + record);
          return problems;
        }
        next++;
      }
    }
    return problems;
  }

  @Test
  void a_table_retention_detached_but_did_not_drop_is_attached_again_and_readable_meanwhile()
      throws Exception {
    createTopic("reattach", Map.of("internal.segment.bytes", "1024"));
    for (int i = 0; i < 10; i++) {
      produceValue("reattach", i, 400);
    }
    long topicId = topicId("reattach");
    long storage = broker.queryLong("select storage_id from segment where topic_id = " + topicId
        + " and rolled_at is not null order by base_offset limit 1");
    long rows = broker.queryLong("select count(*) from chunk where storage_id = " + storage);
    assertThat(rows).isPositive();

    try (var c = broker.sql();
        var s = c.createStatement()) {
      // No pass runs while this session holds maintenance's lock: leave what a pass leaves when it
      // detached a table and its delete then failed (or the topic's retention was raised).
      s.execute("select pg_advisory_lock(" + AdvisoryLocks.LOG_MAINTENANCE + ")");
      try {
        s.execute("alter table rowstream.chunk detach partition rowstream_chunks.s" + storage);
        assertThat(broker.queryLong("select count(*) from chunk where storage_id = " + storage))
            .isZero();
        JsonNode read = http.get(
                "/topics/reattach/partitions/0/records?offset=0", "Accept", TestHttp.BINARY)
            .json();
        assertThat(read.size()).as("the detached table is read by name").isEqualTo(10);
        assertThat(valueOf(read.get(0))).isZero();
      } finally {
        s.execute("select pg_advisory_unlock(" + AdvisoryLocks.LOG_MAINTENANCE + ")");
      }
    }

    Await.until(
        "the next pass attaches the table again",
        Duration.ofSeconds(20),
        () -> broker.queryLong("select count(*) from chunk where storage_id = " + storage) == rows);
    assertThat(broker.queryLong(
            "select count(*) from segment s where not exists (select 1 from pg_inherits i "
                + "where i.inhrelid = to_regclass('rowstream_chunks.s' || s.storage_id))"))
        .as("every segment's table is a partition of chunk")
        .isZero();
    assertSegmentsTile(topicId, 0, 10);
  }

  @Test
  void an_append_waiting_on_the_roll_lands_in_the_new_segment_and_outlives_the_expired_one()
      throws Exception {
    createTopic(
        "rolled-under-append",
        Map.of("retention.ms", "-1")); // retention starts once the roll is done
    long topicId = topicId("rolled-under-append");
    produceV3("rolled-under-append", 0, Instant.now().minus(Duration.ofHours(1)).toString());

    CompletableFuture<Long> fresh;
    try (var c = broker.sql();
        var s = c.createStatement()) {
      c.setAutoCommit(false);
      try (ResultSet rs = s.executeQuery("select roll_active_segment(" + topicId + ", 0, 1)")) {
        assertThat(rs.next() && rs.getBoolean(1))
            .as("rolled, partition row still locked")
            .isTrue();
      }
      fresh = CompletableFuture.supplyAsync(() -> produceV3("rolled-under-append", 1, null));
      Await.until(
          "the append waits for the partition's row lock",
          Duration.ofSeconds(10),
          () -> broker.queryLong(
                  "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%append_chunks%'")
              == 1);
      c.commit();
    }
    assertThat(fresh.get(10, TimeUnit.SECONDS)).as("the old log end").isEqualTo(1);
    assertThat(broker.queryLong(
            "select base_offset from segment where rolled_at is null and topic_id = " + topicId))
        .as("the append opened a segment at the old log end")
        .isEqualTo(1);

    var r = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics/rolled-under-append/configs:alter",
        "application/json",
        TestHttp.json(Map.of("data", List.of(Map.of("name", "retention.ms", "value", "60000")))));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    Await.until(
        "the expired segment goes",
        Duration.ofSeconds(20),
        () -> broker.queryLong(
                "select log_start_offset from topic_partition where topic_id = " + topicId)
            == 1);
    JsonNode read = http.get(
            "/topics/rolled-under-append/partitions/0/records?offset=1", "Accept", TestHttp.BINARY)
        .json();
    assertThat(valueOf(read.get(0))).as("the fresh record stays").isEqualTo(1);
    assertSegmentsTile(topicId, 1, 2);
  }

  private static void assertSegmentsTile(long topicId, long logStart, long logEnd) {
    try (var c = broker.sql();
        var s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select base_offset, next_offset from segment where topic_id = "
                + topicId + " order by base_offset")) {
      long expected = logStart;
      while (rs.next()) {
        assertThat(rs.getLong(1)).isEqualTo(expected);
        expected = rs.getLong(2);
      }
      assertThat(expected).isEqualTo(logEnd);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static long storageTables() {
    return broker.queryLong("select count(*) from pg_tables where schemaname = 'rowstream_chunks'");
  }

  private static void createTopic(String name, Map<String, String> configs) {
    List<Map<String, String>> list = new ArrayList<>();
    configs.forEach((k, v) -> list.add(Map.of("name", k, "value", v)));
    var r = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics",
        "application/json",
        TestHttp.json(Map.of("topic_name", name, "partitions_count", 1, "configs", list)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static long topicId(String name) {
    return broker.queryLong("select topic_id from topic where name = '" + name + "'");
  }

  /** One record whose value is {@code i} padded with spaces to {@code bytes}. */
  private static void produceValue(String topic, long i, int bytes) {
    String value =
        Base64.getEncoder().encodeToString(String.format("%-" + bytes + "d", i).getBytes());
    var r = http.post(
        "/topics/" + topic + "/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of("records", List.of(Map.of("value", value)))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  /** One 400-byte record through v3, with the given timestamp or none; returns its offset. */
  private static long produceV3(String topic, long i, String timestamp) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of(
        "partition_id",
        0,
        "value",
        Map.of(
            "type",
            "BINARY",
            "data",
            Base64.getEncoder().encodeToString(String.format("%-400d", i).getBytes()))));
    if (timestamp != null) {
      body.put("timestamp", timestamp);
    }
    var r = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics/" + topic + "/records",
        "application/json",
        TestHttp.json(body));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("offset").asLong();
  }

  private static String createConsumer(String group, String reset) {
    var r = http.post(
        "/consumers/" + group,
        TestHttp.V2,
        TestHttp.json(Map.of("format", "binary", "auto.offset.reset", reset)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return "/consumers/" + group + "/instances/" + r.json().get("instance_id").asText();
  }

  /**
   * Polls the consumer instance until a poll returns records; the first of them. As a Kafka
   * consumer, a poll may come back empty when retention moves the log start again between the reset
   * and the read; the next poll resets again and reads.
   */
  private static JsonNode firstPolledRecord(String instance) {
    AtomicReference<JsonNode> polled = new AtomicReference<>();
    Await.until("records after the reset", Duration.ofSeconds(10), () -> {
      var r = http.get(instance + "/records", "Accept", TestHttp.BINARY);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      polled.set(r.json().isEmpty() ? null : r.json().get(0));
      return polled.get() != null;
    });
    return polled.get();
  }

  private static void post(String path, String body) {
    var r = http.post(path, TestHttp.V2, body);
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  private static long valueOf(JsonNode record) {
    return Long.parseLong(
        new String(Base64.getDecoder().decode(record.get("value").asText())).trim());
  }
}

package io.rowstream.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.db.Database;
import io.rowstream.log.PartitionKey;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.topic.TopicStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When compaction cleans a partition, as Kafka's log cleaner decides it, over HTTP with passes run by
 * the test: {@code min.compaction.lag.ms} keeps young records out of a pass, {@code
 * min.cleanable.dirty.ratio} holds a pass back until enough of the log is dirty, {@code
 * max.compaction.lag.ms} forces one when dirty records are old, and a tombstone's {@code
 * delete.retention.ms} counts from the pass that first kept it (KIP-534), after which a later pass
 * removes it from a partition nobody writes to. Segments roll by {@code segment.ms=1} on records
 * produced a second apart, so no test depends on a small {@code segment.bytes}.
 */
class CompactionSchedulingTest {
  static TestBroker broker;
  static TestHttp http;
  static LogMaintenance maintenance;

  @BeforeAll
  static void start() {
    // The node's own passes never come (a scheduled pass every 24 days); the test runs them.
    broker = TestBroker.start(
        "compaction-scheduling", c -> c.withLogMaintenanceIntervalMs(Integer.MAX_VALUE));
    http = broker.http();
    Database database = broker.node(0).database();
    maintenance = LogMaintenance.start(
        database,
        new TopicStore(database.dsl()),
        Duration.ofDays(1),
        // as the node's own: its fetches forget the partitions a pass changed
        (topic, partition) ->
            broker.node(0).services().log().changed(new PartitionKey(topic, partition)));
  }

  @AfterAll
  static void stop() {
    maintenance.close();
    broker.close();
  }

  @Test
  void min_compaction_lag_ms_keeps_records_younger_than_the_lag_out_of_a_pass()
      throws SQLException {
    createTopic("lagged", Map.of("min.compaction.lag.ms", "3600000"));
    Instant now = Instant.now();
    Instant old = now.minus(Duration.ofHours(3));
    produce("lagged", "k0", "old-0000", old);
    produce("lagged", "k0", "old-0001", old.plusSeconds(1));
    produce("lagged", "k0", "new-0002", now.minusSeconds(2));
    produce("lagged", "k0", "new-0003", now.minusSeconds(1));
    produce("lagged", "k9", "roll-004", now);
    assertThat(segments("lagged")).as("one segment per record").isEqualTo(5);

    pass();

    assertThat(offsets("lagged"))
        .as("only the records older than the lag were compacted")
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(checkpoint("lagged")).isEqualTo(2);

    alterConfig("lagged", "min.compaction.lag.ms", "0");
    pass();

    assertThat(offsets("lagged")).containsExactly(3L, 4L);
    assertThat(checkpoint("lagged")).isEqualTo(4);
  }

  @Test
  void a_partition_is_cleaned_only_once_its_dirty_ratio_exceeds_min_cleanable_dirty_ratio()
      throws SQLException {
    createTopic("ratio", Map.of()); // min.cleanable.dirty.ratio: Kafka's default, 0.5
    Instant t = Instant.now().minusSeconds(60);
    for (int i = 0; i < 4; i++) {
      produce("ratio", "k" + i, "v-000000", t.plusSeconds(i));
    }
    produce("ratio", "k9", "v-000004", t.plusSeconds(4));
    pass();
    assertThat(checkpoint("ratio")).as("a log that is all dirty is cleaned").isEqualTo(4);

    produce("ratio", "k0", "v-000005", t.plusSeconds(5));
    produce("ratio", "k9", "v-000006", t.plusSeconds(6));
    // Clean: offsets 0..3; dirty: 4 and 5 (6 is the active segment): 2 of 6 equal segments, 0.33.
    pass();

    assertThat(checkpoint("ratio")).as("dirty ratio 0.33 is not above 0.5").isEqualTo(4);
    assertThat(offsets("ratio")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);

    produce("ratio", "k1", "v-000007", t.plusSeconds(7));
    produce("ratio", "k2", "v-000008", t.plusSeconds(8));
    produce("ratio", "k9", "v-000009", t.plusSeconds(9));
    // Dirty now: 4..8, 5 of 9 segments, 0.56.
    pass();

    assertThat(checkpoint("ratio")).isEqualTo(9);
    assertThat(offsets("ratio")).containsExactly(3L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void max_compaction_lag_ms_cleans_old_dirty_records_below_the_dirty_ratio() throws SQLException {
    createTopic("overdue", Map.of("min.cleanable.dirty.ratio", "0.9"));
    Instant t = Instant.now().minus(Duration.ofHours(3));
    for (int i = 0; i < 4; i++) {
      produce("overdue", "k" + i, "v-000000", t.plusSeconds(i));
    }
    produce("overdue", "k9", "v-000004", t.plusSeconds(4));
    pass();
    assertThat(checkpoint("overdue")).isEqualTo(4);

    Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
    produce("overdue", "k0", "v-000005", twoHoursAgo);
    produce("overdue", "k9", "v-000006", twoHoursAgo.plusSeconds(1));
    pass();

    assertThat(checkpoint("overdue"))
        .as("dirty ratio 0.33 is below 0.9 and nothing is overdue")
        .isEqualTo(4);
    assertThat(offsets("overdue")).startsWith(0L);

    alterConfig("overdue", "max.compaction.lag.ms", "3600000");
    pass();

    assertThat(checkpoint("overdue"))
        .as("records dirty for over an hour force a pass")
        .isEqualTo(6);
    assertThat(offsets("overdue")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void
      a_tombstone_is_kept_for_delete_retention_ms_from_the_first_pass_and_then_removed_without_new_writes()
          throws SQLException {
    createTopic("tombstoned", Map.of("delete.retention.ms", "2000"));
    Instant now = Instant.now();
    produce("tombstoned", "k0", "v-000000", now.minusSeconds(2));
    produce("tombstoned", "k0", null, now.minusSeconds(1));
    produce("tombstoned", "k9", "v-000002", now);
    long appendedAt =
        broker.queryLong("select (extract(epoch from appended_at) * 1000)::bigint from chunk c "
            + "join topic t using (topic_id) where t.name = 'tombstoned' and c.base_offset = 1");
    Await.until(
        "delete.retention.ms passed since the tombstone's append",
        Duration.ofSeconds(10),
        () -> databaseNowMs() > appendedAt + 2000);

    long firstPassAt = databaseNowMs();
    pass();

    assertThat(values("tombstoned"))
        .as("the first pass keeps the tombstone and drops the value it deletes")
        .containsExactly(Map.entry(1L, "null"), Map.entry(2L, "v-000002"));
    long horizon =
        broker.queryLong("select delete_horizon_ms from segment s join topic t using (topic_id) "
            + "where t.name = 'tombstoned' and s.base_offset = 1");
    assertThat(horizon)
        .as("the horizon counts from the first pass")
        .isGreaterThanOrEqualTo(firstPassAt + 2000);
    assertThat(checkpoint("tombstoned")).as("nothing is left dirty").isEqualTo(2);
    long logEnd = logEnd("tombstoned");

    Await.until(
        "the tombstone's horizon passed", Duration.ofSeconds(10), () -> databaseNowMs() > horizon);
    pass();

    assertThat(logEnd("tombstoned")).as("no record was written meanwhile").isEqualTo(logEnd);
    assertThat(values("tombstoned")).containsExactly(Map.entry(2L, "v-000002"));
    assertThat(broker.queryLong(
            "select count(delete_horizon_ms) from segment s join topic t using (topic_id) "
                + "where t.name = 'tombstoned'"))
        .as("no tombstone left to wait for")
        .isZero();
  }

  @Test
  void the_v24_migration_finds_the_horizons_earlier_passes_stamped_into_batches() throws Exception {
    createTopic("stamped", Map.of());
    Instant now = Instant.now();
    produce("stamped", "k0", null, now.minusSeconds(3));
    produce("stamped", "k1", "v-000001", now.minusSeconds(2));
    produce("stamped", "k2", null, now.minusSeconds(1));
    produce("stamped", "k9", "v-000003", now);
    pass();
    String horizons =
        "select string_agg(coalesce(delete_horizon_ms::text, '-'), ',' order by base_offset) "
            + "from segment s join topic t using (topic_id) where t.name = 'stamped'";
    String stamped = broker.queryText(horizons);
    assertThat(stamped).matches("\\d+,-,\\d+,-");

    try (var c = broker.sql();
        var s = c.createStatement()) {
      s.execute("update segment set delete_horizon_ms = null "
          + "where topic_id = (select topic_id from topic where name = 'stamped')");
      s.execute(Files.readString(Path.of("migrations/V24__segment_delete_horizon.sql")));
    }

    assertThat(broker.queryText(horizons))
        .as("read back from the batch headers")
        .isEqualTo(stamped);
  }

  private static void pass() throws SQLException {
    assertThat(maintenance.pass()).as("the pass ran").isTrue();
  }

  private static void createTopic(String name, Map<String, String> configs) {
    Map<String, String> all = new HashMap<>(Map.of("cleanup.policy", "compact", "segment.ms", "1"));
    all.putAll(configs);
    var r = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics",
        "application/json",
        TestHttp.json(Map.of(
            "topic_name",
            name,
            "partitions_count",
            1,
            "configs",
            all.entrySet().stream()
                .map(e -> Map.of("name", e.getKey(), "value", e.getValue()))
                .toList())));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static void alterConfig(String topic, String name, String value) {
    http.post(
            "/v3/clusters/" + http.clusterId() + "/topics/" + topic + "/configs:alter",
            "application/json",
            TestHttp.json(Map.of("data", List.of(Map.of("name", name, "value", value)))))
        .expectStatus(204);
  }

  /** One keyed record through v3 (a null value is a tombstone), with its timestamp. */
  private static void produce(String topic, String key, String value, Instant timestamp) {
    Map<String, Object> body = new HashMap<>(Map.of(
        "partition_id",
        0,
        "timestamp",
        timestamp.toString(),
        "key",
        Map.of("type", "BINARY", "data", b64(key))));
    if (value != null) {
      body.put("value", Map.of("type", "BINARY", "data", b64(value)));
    }
    var r = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics/" + topic + "/records",
        "application/json",
        TestHttp.json(body));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("error_code").asInt()).as(r.body()).isEqualTo(200);
  }

  /** Offset → value ("null" for a tombstone) of every record left, read over v2 from offset 0. */
  private static List<Map.Entry<Long, String>> values(String topic) {
    List<Map.Entry<Long, String>> out = new ArrayList<>();
    long next = 0;
    long end = logEnd(topic);
    while (next < end) {
      var r = http.get(
          "/topics/" + topic + "/partitions/0/records?offset=" + next, "Accept", TestHttp.BINARY);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      if (r.json().isEmpty()) {
        break;
      }
      for (JsonNode record : r.json()) {
        JsonNode value = record.get("value");
        out.add(Map.entry(
            record.get("offset").asLong(),
            value == null || value.isNull()
                ? "null"
                : new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8)));
        next = record.get("offset").asLong() + 1;
      }
    }
    return out;
  }

  private static List<Long> offsets(String topic) {
    return values(topic).stream().map(Map.Entry::getKey).toList();
  }

  private static long checkpoint(String topic) {
    return broker.queryLong(
        "select cleaner_checkpoint from topic_partition p join topic t using (topic_id) "
            + "where t.name = '" + topic + "'");
  }

  private static long logEnd(String topic) {
    return broker.queryLong(
        "select log_end_offset from topic_partition p join topic t using (topic_id) "
            + "where t.name = '" + topic + "'");
  }

  private static long segments(String topic) {
    return broker.queryLong(
        "select count(*) from segment s join topic t using (topic_id) where t.name = '" + topic
            + "'");
  }

  private static long databaseNowMs() {
    return broker.queryLong("select (extract(epoch from clock_timestamp()) * 1000)::bigint");
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}

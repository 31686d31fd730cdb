package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The active segment rolls at segment.bytes, and at segment.ms by record time as in Kafka;
 * segments tile the log with no gap or overlap.
 */
class SegmentRollTest {
  static TestBroker broker;
  static long smallTopicId;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("segment_roll");
    smallTopicId = broker
        .node(0)
        .services()
        .topics()
        .create("small-segments", 1, 1, Map.of("internal.segment.bytes", "2048"))
        .id();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void concurrent_appends_fill_segments_up_to_segment_bytes_and_segments_tile_the_log()
      throws Exception {
    String value = Base64.getEncoder().encodeToString(new byte[500]);
    String body = TestHttp.json(Map.of("records", List.of(Map.of("value", value))));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> producers = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        producers.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            assertThat(broker
                    .http()
                    .post("/topics/small-segments/partitions/0", TestHttp.BINARY, body)
                    .status())
                .isEqualTo(200);
          }
          return null;
        }));
      }
      for (Future<?> f : producers) {
        f.get();
      }
    }
    assertThat(broker.queryLong("select count(*) from chunk where topic_id = " + smallTopicId))
        .as("one chunk per request")
        .isEqualTo(40);
    try (var c = broker.sql();
        var s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "select base_offset, next_offset, size_bytes, record_count, rolled_at is null "
                + "from segment where topic_id = " + smallTopicId + " order by base_offset")) {
      long expectedBase = 0;
      int active = 0;
      int segments = 0;
      while (rs.next()) {
        segments++;
        assertThat(rs.getLong(1)).isEqualTo(expectedBase);
        assertThat(rs.getLong(3)).isLessThanOrEqualTo(2048);
        assertThat(rs.getLong(2) - rs.getLong(1)).isEqualTo(rs.getLong(4));
        expectedBase = rs.getLong(2);
        active += rs.getBoolean(5) ? 1 : 0;
      }
      assertThat(expectedBase).isEqualTo(40);
      assertThat(active).isEqualTo(1);
      assertThat(segments).isGreaterThan(10);
    }
    assertThat(broker.queryLong(
            "select count(*) from chunk c join segment s on s.base_offset = c.segment_base_offset "
                + "and s.topic_id = c.topic_id where c.topic_id = " + smallTopicId
                + " and (c.base_offset < s.base_offset or c.last_offset >= s.next_offset)"))
        .isZero();
  }

  @Test
  void a_segment_rolls_by_record_time_and_keeps_its_time_range() {
    broker.node(0).services().topics().create("young-segments", 1, 1, Map.of("segment.ms", "1"));
    // Kafka counts segment.ms from the largest timestamp of the segment's first batch (3,000 here):
    // the second batch (at most 2,000) is not later than that, the third (7,000) is.
    long[][] timestamps = {{1_000, 3_000}, {2_000, 500}, {7_000, 7_000}};
    for (long[] pair : timestamps) {
      produce("young-segments", pair);
    }
    assertThat(segments("young-segments"))
        .containsExactly("0-4 rolled ts 500..3000", "4-6 active ts 7000..7000");
  }

  @Test
  void old_explicit_timestamps_roll_when_a_batch_is_more_than_segment_ms_after_the_first() {
    broker.node(0).services().topics().create("replayed", 1, 1, Map.of("segment.ms", "60000"));
    long t0 = System.currentTimeMillis() - 7_200_000;
    produce("replayed", new long[] {t0 - 5_000, t0});
    produce("replayed", new long[] {t0 + 30_000});
    produce(
        "replayed",
        new long[] {t0 + 60_000}); // exactly segment.ms later: Kafka rolls only beyond it
    produce("replayed", new long[] {t0 + 60_001});
    produce("replayed", new long[] {t0 + 60_002});
    assertThat(segments("replayed"))
        .containsExactly(
            "0-4 rolled ts " + (t0 - 5_000) + ".." + (t0 + 60_000),
            "4-6 active ts " + (t0 + 60_001) + ".." + (t0 + 60_002));
  }

  @Test
  void a_batch_within_segment_ms_of_the_first_does_not_roll_however_long_the_segment_waited() {
    broker.node(0).services().topics().create("patient", 1, 1, Map.of("segment.ms", "1000"));
    long t0 = System.currentTimeMillis();
    produce("patient", new long[] {t0});
    awaitSegmentOlderThan("patient", 1_200);
    produce("patient", new long[] {t0 + 999});
    assertThat(segments("patient")).containsExactly("0-2 active ts " + t0 + ".." + (t0 + 999));
  }

  @Test
  void a_log_append_time_topic_rolls_on_append_times_not_on_the_records_own() {
    broker
        .node(0)
        .services()
        .topics()
        .create(
            "appended",
            1,
            1,
            Map.of("segment.ms", "1000", "message.timestamp.type", "LogAppendTime"));
    produce("appended", new long[] {1_000});
    produce(
        "appended", new long[] {9_000_000}); // hours later by its own time, not by its append time
    assertThat(broker.queryLong("select count(*) from segment s join topic t using (topic_id) "
            + "where t.name = 'appended'"))
        .isOne();
    awaitSegmentOlderThan("appended", 1_200);
    produce("appended", new long[] {1_000});
    assertThat(broker.queryLong("select count(*) from segment s join topic t using (topic_id) "
            + "where t.name = 'appended' and rolled_at is not null"))
        .as("rolled by the append times")
        .isOne();
  }

  /** One request of records with the given timestamps (one batch). */
  private static void produce(String topic, long[] timestamps) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (long ts : timestamps) {
      records.add(Map.of("value", "AA==", "timestamp", ts));
    }
    var r = broker
        .http()
        .post(
            "/topics/" + topic + "/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", records)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  /** Waits for wall time to pass: the active segment was opened more than {@code ms} ago. */
  private static void awaitSegmentOlderThan(String topic, long ms) {
    Await.until(
        "the segment of " + topic + " is older than " + ms + " ms",
        Duration.ofSeconds(10),
        () -> broker.queryLong(
                "select count(*) from segment s join topic t using (topic_id) where t.name = '"
                    + topic
                    + "' and rolled_at is null and clock_timestamp() - s.created_at > interval '"
                    + ms
                    + " milliseconds'")
            == 1);
  }

  /** The topic's segments as "base-next rolled|active ts min..max", in offset order. */
  private static List<String> segments(String topic) {
    List<String> out = new ArrayList<>();
    try (var c = broker.sql();
        var st = c.createStatement();
        ResultSet rs =
            st.executeQuery("select s.base_offset, s.next_offset, s.rolled_at is not null, "
                + "s.min_timestamp_ms, s.max_timestamp_ms from segment s join topic t using (topic_id) "
                + "where t.name = '" + topic + "' order by s.base_offset")) {
      while (rs.next()) {
        out.add(rs.getLong(1) + "-" + rs.getLong(2) + (rs.getBoolean(3) ? " rolled" : " active")
            + " ts " + rs.getLong(4) + ".." + rs.getLong(5));
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return out;
  }
}

package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.ResultSet;
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

/** The active segment rolls at segment.bytes; segments tile the log with no gap or overlap. */
class SegmentRollTest {
  static TestBroker broker;
  static long smallTopicId;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("segment_roll");
    smallTopicId = broker.node(0).services().topics().create("small-segments", 1, 1, Map.of("segment.bytes", "2048")).id();
    broker.node(0).services().topics().create("young-segments", 1, 1, Map.of("segment.ms", "1"));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void concurrent_appends_fill_segments_up_to_segment_bytes_and_segments_tile_the_log() throws Exception {
    String value = Base64.getEncoder().encodeToString(new byte[500]);
    String body = TestHttp.json(Map.of("records", List.of(Map.of("value", value))));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> producers = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        producers.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            assertThat(broker.http().post("/topics/small-segments/partitions/0", TestHttp.BINARY, body).status())
                .isEqualTo(200);
          }
          return null;
        }));
      }
      for (Future<?> f : producers) {
        f.get();
      }
    }
    assertThat(broker.queryLong("select count(*) from chunk where topic_id = " + smallTopicId)).as("one chunk per request").isEqualTo(40);
    try (var c = broker.sql(); var s = c.createStatement();
        ResultSet rs = s.executeQuery("select base_offset, next_offset, size_bytes, record_count, rolled_at is null "
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
    assertThat(broker.queryLong("select count(*) from chunk c join segment s on s.base_offset = c.segment_base_offset "
        + "and s.topic_id = c.topic_id where c.topic_id = " + smallTopicId
        + " and (c.base_offset < s.base_offset or c.last_offset >= s.next_offset)")).isZero();
  }

  @Test
  void a_segment_older_than_segment_ms_rolls_at_the_next_append_and_keeps_its_time_range() throws Exception {
    long[][] timestamps = {{1_000, 3_000}, {2_000, 500}, {7_000, 7_000}};
    for (long[] pair : timestamps) {
      String body = TestHttp.json(Map.of("records", List.of(
          Map.of("value", "AA==", "timestamp", pair[0]), Map.of("value", "AA==", "timestamp", pair[1]))));
      assertThat(broker.http().post("/topics/young-segments/partitions/0", TestHttp.BINARY, body).status())
          .isEqualTo(200);
      Thread.sleep(5);
    }
    try (var c = broker.sql(); var s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            select s.base_offset, s.next_offset, s.record_count, s.min_timestamp_ms, s.max_timestamp_ms,
                   s.rolled_at is not null
            from segment s join topic t using (topic_id) where t.name = 'young-segments'
            order by s.base_offset""")) {
      for (int i = 0; i < timestamps.length; i++) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(2L * i);
        assertThat(rs.getLong(2)).isEqualTo(2L * i + 2);
        assertThat(rs.getLong(3)).isEqualTo(2);
        assertThat(rs.getLong(4)).isEqualTo(Math.min(timestamps[i][0], timestamps[i][1]));
        assertThat(rs.getLong(5)).isEqualTo(Math.max(timestamps[i][0], timestamps[i][1]));
        assertThat(rs.getBoolean(6)).as("rolled").isEqualTo(i < timestamps.length - 1);
      }
      assertThat(rs.next()).isFalse();
    }
  }
}

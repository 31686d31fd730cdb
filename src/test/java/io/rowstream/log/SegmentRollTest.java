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

  @BeforeAll
  static void start() {
    broker = TestBroker.start("segment_roll");
    broker.node(0).services().topics().create("small-segments", 1, 1, Map.of("segment.bytes", "2048"));
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
    assertThat(broker.queryLong("select count(*) from chunk")).as("one chunk per request").isEqualTo(40);
    try (var c = broker.sql(); var s = c.createStatement();
        ResultSet rs = s.executeQuery("select base_offset, next_offset, size_bytes, record_count, rolled_at is null "
            + "from segment order by base_offset")) {
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
        + "where c.base_offset < s.base_offset or c.last_offset >= s.next_offset")).isZero();
  }
}

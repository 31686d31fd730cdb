package io.rowstream.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kafka's delete retention rules over a partition's segments. */
class RetentionPolicyTest {
  static final long NOW = 1_000_000;

  static SegmentInfo rolled(long base, long next, long bytes, Long maxTs) {
    return new SegmentInfo(0, base, next, bytes, maxTs, false, base);
  }

  static SegmentInfo active(long base, long next, long bytes, Long maxTs) {
    return new SegmentInfo(0, base, next, bytes, maxTs, true, base);
  }

  @Test
  void size_retention_trims_the_oldest_segments_while_what_is_left_still_reaches_the_limit() {
    var segments = List.of(rolled(0, 10, 100, NOW), rolled(10, 20, 100, NOW), rolled(20, 30, 100, NOW),
        active(30, 35, 50, NOW));
    assertThat(new RetentionPolicy(-1, 200).newLogStart(segments, NOW)).hasValue(10);
    assertThat(new RetentionPolicy(-1, 150).newLogStart(segments, NOW)).hasValue(20);
    assertThat(new RetentionPolicy(-1, 350).newLogStart(segments, NOW)).isEmpty();
    assertThat(new RetentionPolicy(-1, 0).newLogStart(segments, NOW)).as("never the active segment").hasValue(30);
  }

  @Test
  void time_retention_deletes_a_prefix_of_expired_segments_and_stops_at_the_first_young_one() {
    var segments = List.of(rolled(0, 10, 100, NOW - 5000), rolled(10, 20, 100, NOW - 10),
        rolled(20, 30, 100, NOW - 5000), active(30, 31, 1, NOW - 9000));
    assertThat(new RetentionPolicy(1000, -1).newLogStart(segments, NOW)).hasValue(10);
    assertThat(new RetentionPolicy(1, -1).newLogStart(segments, NOW)).hasValue(30);
    assertThat(new RetentionPolicy(-1, -1).isUnlimited()).isTrue();
  }

  @Test
  void either_limit_deletes_and_a_segment_with_no_record_left_counts_as_expired() {
    var segments = List.of(rolled(0, 10, 0, null), rolled(10, 20, 100, NOW), active(20, 20, 0, null));
    assertThat(new RetentionPolicy(1000, -1).newLogStart(segments, NOW)).hasValue(10);
    assertThat(new RetentionPolicy(1000, 50).newLogStart(segments, NOW)).hasValue(10);
    assertThat(new RetentionPolicy(1000, 0).newLogStart(segments, NOW)).hasValue(20);
  }
}

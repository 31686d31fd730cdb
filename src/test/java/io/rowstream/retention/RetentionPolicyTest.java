package io.rowstream.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
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

  /** The new log start the policy asks for: the next offset of the last segment it deletes. */
  static OptionalLong newLogStart(RetentionPolicy policy, List<SegmentInfo> segments) {
    List<SegmentInfo> doomed = policy.deletablePrefix(segments, NOW);
    return doomed.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(doomed.getLast().nextOffset());
  }

  @Test
  void size_retention_trims_the_oldest_segments_while_what_is_left_still_reaches_the_limit() {
    var segments = List.of(
        rolled(0, 10, 100, NOW),
        rolled(10, 20, 100, NOW),
        rolled(20, 30, 100, NOW),
        active(30, 35, 50, NOW));
    assertThat(newLogStart(new RetentionPolicy(-1, 200), segments)).hasValue(10);
    assertThat(newLogStart(new RetentionPolicy(-1, 150), segments)).hasValue(20);
    assertThat(newLogStart(new RetentionPolicy(-1, 350), segments)).isEmpty();
    assertThat(newLogStart(new RetentionPolicy(-1, 50), segments))
        .as("the active segment stays")
        .hasValue(30);
    assertThat(newLogStart(new RetentionPolicy(-1, 0), segments))
        .as("0 empties the log, active segment too")
        .hasValue(35);
  }

  @Test
  void time_retention_deletes_a_prefix_of_expired_segments_and_stops_at_the_first_young_one() {
    var segments = List.of(
        rolled(0, 10, 100, NOW - 5000),
        rolled(10, 20, 100, NOW - 10),
        rolled(20, 30, 100, NOW - 5000),
        active(30, 31, 1, NOW - 9000));
    assertThat(newLogStart(new RetentionPolicy(1000, -1), segments)).hasValue(10);
    assertThat(newLogStart(new RetentionPolicy(1, -1), segments))
        .as("the expired active segment too")
        .hasValue(31);
    assertThat(new RetentionPolicy(-1, -1).isUnlimited()).isTrue();
  }

  @Test
  void a_quiet_partition_expires_whole_and_an_empty_active_segment_stays() {
    assertThat(newLogStart(new RetentionPolicy(3000, -1), List.of(active(0, 2, 150, NOW - 3001))))
        .hasValue(2);
    assertThat(newLogStart(new RetentionPolicy(3000, -1), List.of(active(0, 2, 150, NOW - 3000))))
        .as("not older than retention.ms yet")
        .isEmpty();
    assertThat(newLogStart(new RetentionPolicy(0, 0), List.of(active(2, 2, 0, null))))
        .isEmpty();
    var expiredThenEmpty = List.of(rolled(0, 2, 150, NOW - 5000), active(2, 2, 0, null));
    assertThat(newLogStart(new RetentionPolicy(1000, -1), expiredThenEmpty)).hasValue(2);
  }

  @Test
  void either_limit_deletes_and_a_segment_with_no_record_left_counts_as_expired() {
    var segments =
        List.of(rolled(0, 10, 0, null), rolled(10, 20, 100, NOW), active(20, 20, 0, null));
    assertThat(newLogStart(new RetentionPolicy(1000, -1), segments)).hasValue(10);
    assertThat(newLogStart(new RetentionPolicy(1000, 50), segments)).hasValue(10);
    assertThat(newLogStart(new RetentionPolicy(1000, 0), segments)).hasValue(20);
  }
}

package io.rowstream.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kafka's choice of when and how far to clean a compacted partition, on segment figures alone. */
class CleanableRangeTest {
  private static final long NOW = 10_000_000;
  private static final CleanableRange.Settings KAFKA_DEFAULTS =
      new CleanableRange.Settings(0, Long.MAX_VALUE, 0.5);

  /** Segments of 100 bytes over offsets [10 i, 10 i + 10), the last active, newest record at {@code maxTs[i]}. */
  private static List<SegmentInfo> log(long... maxTs) {
    return java.util.stream.IntStream.range(0, maxTs.length)
        .mapToObj(
            i -> new SegmentInfo(0, 10L * i, 10L * i + 10, 100, maxTs[i], i == maxTs.length - 1, i))
        .toList();
  }

  @Test
  void the_dirty_ratio_must_exceed_min_cleanable_dirty_ratio() {
    List<SegmentInfo> log = log(1, 1, 1, 1, 1); // 4 rolled, 1 active
    CleanableRange half = CleanableRange.of(log, 20, NOW, KAFKA_DEFAULTS, s -> 1);
    assertThat(half).isEqualTo(new CleanableRange(40, 200, 200, false));
    assertThat(half.cleanableRatio()).isEqualTo(0.5);
    assertThat(half.due(KAFKA_DEFAULTS)).as("0.5 is not above 0.5, as in Kafka").isFalse();
    assertThat(CleanableRange.of(log, 10, NOW, KAFKA_DEFAULTS, s -> 1).due(KAFKA_DEFAULTS))
        .isTrue();
    assertThat(CleanableRange.of(
                log, 40, NOW, new CleanableRange.Settings(0, Long.MAX_VALUE, 0), s -> 1)
            .due(KAFKA_DEFAULTS))
        .as("nothing dirty, nothing due")
        .isFalse();
  }

  @Test
  void min_compaction_lag_ends_the_range_at_the_first_dirty_segment_with_a_young_record() {
    CleanableRange.Settings hourLag = new CleanableRange.Settings(3_600_000, Long.MAX_VALUE, 0.5);
    List<SegmentInfo> log = log(1, NOW - 3_600_001, NOW - 1_000, NOW - 7_200_000, NOW);

    CleanableRange range = CleanableRange.of(log, 0, NOW, hourLag, s -> 1);

    assertThat(range.firstUncleanableOffset()).isEqualTo(20);
    assertThat(range.cleanableBytes()).isEqualTo(200);
    assertThat(CleanableRange.of(log, 20, NOW, hourLag, s -> 1).due(hourLag))
        .as("all young")
        .isFalse();
  }

  @Test
  void max_compaction_lag_forces_a_pass_below_the_ratio_when_a_dirty_first_batch_is_older() {
    CleanableRange.Settings hourMax = new CleanableRange.Settings(0, 3_600_000, 0.9);
    List<SegmentInfo> log = log(1, 1, 1, 1, 1);

    assertThat(CleanableRange.of(log, 30, NOW, hourMax, s -> NOW - 3_600_001).due(hourMax))
        .isTrue();
    assertThat(CleanableRange.of(log, 30, NOW, hourMax, s -> NOW - 3_600_000).due(hourMax))
        .isFalse();
    assertThat(CleanableRange.of(log, 30, NOW, hourMax, s -> -1).due(hourMax))
        .as("no timestamp")
        .isFalse();
    assertThat(CleanableRange.of(log, 30, NOW, KAFKA_DEFAULTS, s -> {
              throw new AssertionError(
                  "no lookup without a max.compaction.lag.ms that can have passed");
            })
            .due(KAFKA_DEFAULTS))
        .isFalse();
  }
}

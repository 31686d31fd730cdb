package io.rowstream.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TombstoneRetentionTest {

  @Test
  void
      a_tombstone_goes_at_the_horizon_stamped_by_an_earlier_pass_and_never_before_one_was_stamped() {
    TombstoneRetention at1500 = new TombstoneRetention(1_500, 500);
    assertThat(at1500.horizonToStamp()).isEqualTo(2_000);
    assertThat(at1500.removesTombstones(OptionalLong.empty()))
        .as("first seen: stamped and kept")
        .isFalse();
    assertThat(at1500.removesTombstones(OptionalLong.of(1_501))).isFalse();
    assertThat(at1500.removesTombstones(OptionalLong.of(1_500)))
        .as("Kafka keeps while now < horizon")
        .isTrue();
    assertThat(new TombstoneRetention(1_000, 0).removesTombstones(OptionalLong.of(1_000)))
        .isTrue();
  }

  @Test
  void an_endless_retention_stamps_the_end_of_time() {
    assertThat(new TombstoneRetention(1_000, Long.MAX_VALUE).horizonToStamp())
        .isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> new TombstoneRetention(0, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

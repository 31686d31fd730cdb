package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pause after a busy pass grows with what the pass moved, without a step, up to a bound: a
 * stream that fills passes waits longer between them, a moderate one barely longer than a poll.
 */
class SentRecordMoverPauseTest {
  @Test
  void a_busy_pass_pauses_a_poll_for_every_busy_pass_of_records_it_moved() {
    assertThat(SentRecordMover.busyPause(SentRecordMover.BUSY_PASS_RECORDS))
        .isEqualTo(SentRecordMover.POLL);
    assertThat(SentRecordMover.busyPause(48)).isEqualTo(Duration.ofNanos(7_500_000));
    assertThat(SentRecordMover.busyPause(4 * SentRecordMover.BUSY_PASS_RECORDS))
        .isEqualTo(SentRecordMover.POLL.multipliedBy(4));
  }

  @Test
  void the_pause_stops_growing_at_its_bound() {
    assertThat(SentRecordMover.busyPause(10 * SentRecordMover.BUSY_PASS_RECORDS))
        .isEqualTo(SentRecordMover.MOST_BUSY_PAUSE);
    assertThat(SentRecordMover.busyPause(1_000_000_000L))
        .isEqualTo(SentRecordMover.MOST_BUSY_PAUSE);
  }
}

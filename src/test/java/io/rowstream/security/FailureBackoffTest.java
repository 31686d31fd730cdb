package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureBackoffTest {
  private static final long MS = 1_000_000;
  private final FailureBackoff backoff =
      new FailureBackoff(3, Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(35));

  @Test
  void a_key_is_refused_once_it_fails_the_limit_within_the_window() {
    assertThat(backoff.failed("a", 0)).isZero();
    assertThat(backoff.failed("a", 1 * MS)).isZero();
    assertThat(backoff.failedRecently("a", 2 * MS)).isTrue();
    assertThat(backoff.refusedFor("a", 2 * MS)).isZero();
    assertThat(backoff.failed("a", 2 * MS)).isEqualTo(10 * MS);
    assertThat(backoff.refusedFor("a", 7 * MS)).isEqualTo(5 * MS);
    assertThat(backoff.refusedFor("a", 12 * MS)).isZero();
    assertThat(backoff.refusedFor("b", 2 * MS)).isZero();
    assertThat(backoff.failedRecently("b", 2 * MS)).isFalse();
  }

  @Test
  void failures_spread_over_more_than_a_window_do_not_add_up() {
    backoff.failed("a", 0);
    backoff.failed("a", 50 * MS);
    assertThat(backoff.failed("a", 120 * MS)).isZero();
    assertThat(backoff.failedRecently("a", 219 * MS)).isTrue();
    assertThat(backoff.failedRecently("a", 220 * MS)).isFalse();
  }

  @Test
  void each_further_trip_doubles_the_backoff_up_to_the_longest_until_a_clean_window() {
    long now = 0;
    long[] expected = {10, 20, 35, 35};
    for (long ms : expected) {
      backoff.failed("a", now);
      backoff.failed("a", now);
      assertThat(backoff.failed("a", now)).isEqualTo(ms * MS);
      now += ms * MS;
    }
    now += 100 * MS;
    backoff.failed("a", now);
    backoff.failed("a", now);
    assertThat(backoff.failed("a", now))
        .as("after a clean window it starts over")
        .isEqualTo(10 * MS);
  }
}

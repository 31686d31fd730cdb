package io.rowstream.background;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundLoopTest {
  private static final Duration TICK = Duration.ofMillis(5);

  @Test
  void a_pass_that_throws_is_logged_and_the_loop_keeps_running() throws InterruptedException {
    AtomicInteger passes = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(3);
    try (BackgroundLoop loop = BackgroundLoop.every("test-throws-once", TICK, () -> {
      third.countDown();
      if (passes.incrementAndGet() == 1) {
        throw new IllegalStateException("first pass fails");
      }
    })) {
      assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(passes.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void a_pass_that_throws_every_time_keeps_being_retried_after_the_retry_delay()
      throws InterruptedException {
    CountDownLatch thrice = new CountDownLatch(3);
    try (BackgroundLoop loop =
        BackgroundLoop.start("test-throws-always", Duration.ZERO, TICK, () -> {
          thrice.countDown();
          throw new IllegalStateException("always fails");
        })) {
      assertThat(thrice.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void each_pass_sets_the_delay_before_the_next() throws InterruptedException {
    CountDownLatch second = new CountDownLatch(2);
    try (BackgroundLoop loop =
        BackgroundLoop.start("test-delay", Duration.ZERO, Duration.ofDays(1), () -> {
          second.countDown();
          return second.getCount() == 1
              ? Duration.ZERO
              : Duration.ofDays(1); // the first asks for the next at once
        })) {
      assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void a_pass_soon_instead_takes_the_scheduled_ones_place_and_sets_the_pace_after_it()
      throws InterruptedException {
    // The loop starts a day away; once woken, its passes ask for the next at once: only a pass
    // that replaced the scheduled one (and was rescheduled from) goes on to a second and third.
    CountDownLatch third = new CountDownLatch(3);
    try (BackgroundLoop loop =
        BackgroundLoop.start("test-instead", Duration.ofDays(1), Duration.ofDays(1), () -> {
          third.countDown();
          return Duration.ZERO;
        })) {
      loop.passSoonInstead();
      assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void the_first_pass_runs_before_start_returns_when_asked() {
    AtomicInteger passes = new AtomicInteger();
    try (BackgroundLoop loop = BackgroundLoop.everyAfterFirstPass(
        "test-first", Duration.ofDays(1), passes::incrementAndGet)) {
      assertThat(passes.get()).isEqualTo(1);
      loop.passNowAndWait();
      assertThat(passes.get()).isEqualTo(2);
    }
  }

  @Test
  void close_stops_the_loop_within_its_bound_and_no_pass_starts_after_it()
      throws InterruptedException {
    AtomicInteger passes = new AtomicInteger();
    CountDownLatch running = new CountDownLatch(1);
    BackgroundLoop loop = BackgroundLoop.every("test-stop", TICK, () -> {
      passes.incrementAndGet();
      running.countDown();
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    loop.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThanOrEqualTo(BackgroundLoop.STOP_BOUND);
    int atClose = passes.get();
    loop.passSoon();
    loop.passNowAndWait();
    assertThat(passes.get()).isEqualTo(atClose);
  }

  @Test
  void close_gives_up_on_a_pass_that_outlives_the_bound() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BackgroundLoop loop = BackgroundLoop.every("test-stuck", TICK, () -> {
      running.countDown();
      awaitUninterruptibly(release);
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    loop.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    release.countDown();
    assertThat(took)
        .isGreaterThanOrEqualTo(BackgroundLoop.STOP_BOUND)
        .isLessThan(BackgroundLoop.STOP_BOUND.plusSeconds(5));
  }

  /** As a JDBC call would: an interrupt does not end it. */
  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a node knows of partitions' ends ({@link KnownLogEnds}): a read's range answers a fetch from
 * that end until the partition is signalled, every partition is, or the lifetime passes; and a read
 * that began before a signal never stores what it saw.
 */
class KnownLogEndsTest {
  private static final PartitionKey P0 = new PartitionKey(7, 0);
  private static final PartitionKey P1 = new PartitionKey(7, 1);

  private final AtomicLong clock = new AtomicLong(1_000);
  private final KnownLogEnds ends = new KnownLogEnds(clock::get);

  @Test
  void a_read_range_answers_a_fetch_from_its_end_only() {
    ends.learned(P0, ends.stamp(), 3, 10);

    assertThat(ends.atEnd(P0, 10)).hasValueSatisfying(known -> {
      assertThat(known.batchCount()).isZero();
      assertThat(known.logStartOffset()).isEqualTo(3);
      assertThat(known.logEndOffset()).isEqualTo(10);
    });
    assertThat(ends.atEnd(P0, 9)).as("records to read").isEmpty();
    assertThat(ends.atEnd(P0, 11)).as("out of range: the read says so").isEmpty();
    assertThat(ends.atEnd(P1, 10)).as("never read").isEmpty();
  }

  @Test
  void a_signal_forgets_its_partition_only() {
    ends.learned(P0, ends.stamp(), 0, 10);
    ends.learned(P1, ends.stamp(), 0, 4);

    ends.forget(P0);

    assertThat(ends.atEnd(P0, 10)).isEmpty();
    assertThat(ends.atEnd(P1, 4)).isPresent();
  }

  @Test
  void a_read_that_began_before_a_signal_is_not_kept() {
    long before = ends.stamp();
    ends.forget(P0); // an append committed and signalled while the read ran
    ends.learned(P0, before, 0, 10);

    assertThat(ends.atEnd(P0, 10)).isEmpty();

    long after = ends.stamp();
    ends.learned(P0, after, 0, 11);
    assertThat(ends.atEnd(P0, 11)).as("a read that began after the signal").isPresent();
  }

  @Test
  void a_read_that_began_before_another_read_does_not_replace_it() {
    long older = ends.stamp();
    ends.forget(P1); // moves the stamps on
    long newer = ends.stamp();
    ends.learned(P0, newer, 0, 12);
    ends.learned(P0, older, 0, 10);

    assertThat(ends.atEnd(P0, 12)).isPresent();
    assertThat(ends.atEnd(P0, 10)).isEmpty();
  }

  @Test
  void forgetting_everything_also_forgets_reads_under_way() {
    long before = ends.stamp();
    ends.learned(P1, before, 0, 4);

    ends.forgetAll();
    ends.learned(P0, before, 0, 10); // a read under way when the listening connection was lost

    assertThat(ends.atEnd(P0, 10)).isEmpty();
    assertThat(ends.atEnd(P1, 4)).isEmpty();
  }

  @Test
  void a_read_range_is_trusted_for_its_lifetime_only() {
    ends.learned(P0, ends.stamp(), 0, 10);

    clock.addAndGet(KnownLogEnds.LIFETIME.toNanos() - 1);
    assertThat(ends.atEnd(P0, 10)).isPresent();
    clock.addAndGet(1);
    assertThat(ends.atEnd(P0, 10)).isEmpty();
  }

  @Test
  void past_the_most_kept_everything_is_forgotten() {
    for (int p = 0; p < KnownLogEnds.MOST_KEPT; p++) {
      ends.forget(new PartitionKey(9, p)); // appends to partitions this node never read
    }
    long stamp = ends.stamp();
    ends.learned(P0, stamp, 0, 10);

    assertThat(ends.atEnd(P0, 10))
        .as("a read that began before everything was forgotten")
        .isEmpty();
    ends.learned(P0, ends.stamp(), 0, 10);
    assertThat(ends.atEnd(P0, 10)).isPresent();
  }

  @Test
  void a_signal_of_several_partitions_forgets_them_all_and_wakes_their_waiters() throws Exception {
    LogSignals signals = new LogSignals();
    signals.ends().learned(P0, signals.ends().stamp(), 0, 10);
    signals.ends().learned(P1, signals.ends().stamp(), 0, 4);
    try (LogSignals.Waiter waiter = signals.register(List.of(P0, P1))) {
      signals.signal(List.of(P0, P1));
      assertThat(waiter.await(Duration.ZERO)).isTrue();
    }
    assertThat(signals.ends().atEnd(P0, 10)).isEmpty();
    assertThat(signals.ends().atEnd(P1, 4)).isEmpty();
  }
}

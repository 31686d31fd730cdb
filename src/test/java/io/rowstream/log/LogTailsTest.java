package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.log.ChunkStore.ChunkRead;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a node knows of partitions' tails ({@link LogTails}): a read's range answers a fetch from
 * its end, and its chunks a fetch from inside them when they reach the end; an append on the node
 * extends a tail only where it ends; a signal, a signal of every partition or the lifetime forgets;
 * and a read that began before a change never stores what it saw.
 */
class LogTailsTest {
  private static final PartitionKey P0 = new PartitionKey(7, 0);
  private static final PartitionKey P1 = new PartitionKey(7, 1);

  private final AtomicLong clock = new AtomicLong(1_000);
  private final LogTails tails = new LogTails(clock::get);

  /** A stored batch of {@code count} records from {@code base}, {@code size} bytes long. */
  private static byte[] batch(long base, int count, int size) {
    byte[] batch = new byte[Math.max(size, 61)];
    ByteBuffer.wrap(batch).putLong(0, base).putInt(23, count - 1);
    return batch;
  }

  private static ChunkRead range(long start, long end) {
    return new ChunkRead(start, end, List.of());
  }

  private static AppendResult appended(int partition, long base, byte[]... stored) {
    long last = base - 1;
    for (byte[] b : stored) {
      last = ByteBuffer.wrap(b).getLong(0) + ByteBuffer.wrap(b).getInt(23);
    }
    return new AppendResult(partition, base, last, 0, 0, List.of(stored));
  }

  private static List<Long> bases(ChunkRead read) {
    return read.batches().stream().map(b -> ByteBuffer.wrap(b).getLong(0)).toList();
  }

  @Test
  void a_read_range_answers_a_fetch_from_its_end_only() {
    tails.learned(P0, tails.stamp(), range(3, 10));

    assertThat(tails.read(P0, 10)).hasValueSatisfying(known -> {
      assertThat(known.batches()).isEmpty();
      assertThat(known.logStartOffset()).isEqualTo(3);
      assertThat(known.logEndOffset()).isEqualTo(10);
    });
    assertThat(tails.read(P0, 9)).as("records to read").isEmpty();
    assertThat(tails.read(P0, 11)).as("out of range: the read says so").isEmpty();
    assertThat(tails.read(P1, 10)).as("never read").isEmpty();
  }

  @Test
  void a_read_that_reaches_the_end_answers_from_inside_its_chunks() {
    tails.learned(
        P0, tails.stamp(), new ChunkRead(0, 10, List.of(batch(4, 2, 100), batch(6, 4, 100))));

    assertThat(tails.read(P0, 5))
        .hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(4L, 6L));
    assertThat(tails.read(P0, 6)).hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(6L));
    assertThat(tails.read(P0, 9)).hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(6L));
    assertThat(tails.read(P0, 10))
        .hasValueSatisfying(r -> assertThat(r.batches()).isEmpty());
    assertThat(tails.read(P0, 3)).as("before the chunks read").isEmpty();
  }

  @Test
  void a_read_cut_short_of_the_end_keeps_its_range_only() {
    tails.learned(P0, tails.stamp(), new ChunkRead(0, 10, List.of(batch(4, 2, 100))));

    assertThat(tails.read(P0, 5)).as("offsets 6 to 9 were not read").isEmpty();
    assertThat(tails.read(P0, 10)).isPresent();
  }

  @Test
  void an_append_where_the_tail_ends_extends_it() {
    tails.learned(P0, tails.stamp(), new ChunkRead(2, 6, List.of(batch(4, 2, 100))));

    tails.appended(P0, appended(0, 6, batch(6, 3, 100), batch(9, 1, 100)));

    assertThat(tails.read(P0, 5)).hasValueSatisfying(r -> {
      assertThat(bases(r)).containsExactly(4L, 6L, 9L);
      assertThat(r.logStartOffset()).isEqualTo(2);
      assertThat(r.logEndOffset()).isEqualTo(10);
    });
    assertThat(tails.read(P0, 10)).isPresent();
    assertThat(tails.read(P0, 6))
        .as("the old end")
        .hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(6L, 9L));
  }

  @Test
  void an_append_at_an_end_that_is_only_a_range_starts_a_tail() {
    tails.learned(P0, tails.stamp(), range(0, 6));

    tails.appended(P0, appended(0, 6, batch(6, 2, 100)));

    assertThat(tails.read(P0, 6)).hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(6L));
    assertThat(tails.read(P0, 5)).isEmpty();
  }

  @Test
  void an_append_that_does_not_start_where_the_tail_ends_forgets_the_partition() {
    tails.learned(P0, tails.stamp(), range(0, 6));

    tails.appended(P0, appended(0, 8, batch(8, 2, 100))); // another append took 6 and 7

    assertThat(tails.read(P0, 10)).isEmpty();
    assertThat(tails.read(P0, 8)).isEmpty();
    assertThat(tails.read(P0, 6)).isEmpty();
  }

  @Test
  void an_append_whose_stored_chunks_are_not_known_forgets_the_partition() {
    tails.learned(P0, tails.stamp(), range(0, 6));

    tails.appended(P0, new AppendResult(0, 6, 7, 0, 0));

    assertThat(tails.read(P0, 6)).isEmpty();
    assertThat(tails.read(P0, 8)).isEmpty();
  }

  @Test
  void an_append_to_a_partition_never_read_is_not_known() {
    tails.appended(P0, appended(0, 0, batch(0, 2, 100)));

    assertThat(tails.read(P0, 0)).isEmpty();
    assertThat(tails.read(P0, 2)).isEmpty();
  }

  @Test
  void a_tail_keeps_its_newest_chunks_within_its_bytes() {
    int third = (int) (LogTails.TAIL_BYTES / 3);
    tails.learned(P0, tails.stamp(), range(0, 0));
    tails.appended(P0, appended(0, 0, batch(0, 1, third), batch(1, 1, third)));
    tails.appended(P0, appended(0, 2, batch(2, 1, third), batch(3, 1, third)));

    assertThat(tails.read(P0, 1))
        .hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(1L, 2L, 3L));
    assertThat(tails.read(P0, 0)).as("dropped: the oldest").isEmpty();

    tails.appended(P0, appended(0, 4, batch(4, 1, (int) LogTails.TAIL_BYTES * 2)));
    assertThat(tails.read(P0, 4))
        .as("a chunk larger than the bytes of a tail stays, alone")
        .hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(4L));
    assertThat(tails.read(P0, 3)).isEmpty();
  }

  @Test
  void a_tail_keeps_its_newest_chunks_within_its_count_and_finds_any_offset_in_them() {
    int chunks = LogTails.TAIL_CHUNKS + 500;
    tails.learned(P0, tails.stamp(), range(0, 0));
    for (int i = 0; i < chunks; i++) {
      tails.appended(P0, appended(0, 2L * i, batch(2L * i, 2, 61)));
    }
    long oldest = 2L * (chunks - LogTails.TAIL_CHUNKS);

    assertThat(tails.read(P0, oldest - 1)).as("dropped").isEmpty();
    for (long offset : new long[] {oldest, oldest + 1, oldest + 777, 2L * chunks - 1}) {
      assertThat(tails.read(P0, offset)).as("offset %d", offset).hasValueSatisfying(r -> {
        assertThat(bases(r).getFirst()).isEqualTo(offset - offset % 2);
        assertThat(bases(r).getLast()).isEqualTo(2L * chunks - 2);
      });
    }
    assertThat(tails.read(P0, 2L * chunks))
        .hasValueSatisfying(r -> assertThat(r.batches()).isEmpty());
  }

  @Test
  void past_the_bytes_of_all_tails_they_are_dropped_and_the_ranges_kept() {
    int chunk = (int) (LogTails.TAIL_BYTES / 2);
    int partitions = (int) (LogTails.MOST_TAIL_BYTES / chunk);
    for (int p = 0; p < partitions; p++) {
      PartitionKey key = new PartitionKey(8, p);
      tails.learned(key, tails.stamp(), range(0, 0));
      tails.appended(key, appended(p, 0, batch(0, 1, chunk)));
    }
    PartitionKey first = new PartitionKey(8, 0);
    assertThat(tails.read(first, 0))
        .hasValueSatisfying(r -> assertThat(r.batches()).hasSize(1));

    PartitionKey one = new PartitionKey(8, partitions);
    tails.learned(one, tails.stamp(), range(0, 0));
    tails.appended(one, appended(partitions, 0, batch(0, 1, chunk)));

    assertThat(tails.read(first, 0)).as("its chunk dropped").isEmpty();
    assertThat(tails.read(first, 1)).as("its end kept").isPresent();
    assertThat(tails.read(one, 0))
        .as("the chunk that took them over")
        .hasValueSatisfying(r -> assertThat(r.batches()).hasSize(1));
  }

  @Test
  void a_signal_forgets_its_partition_only() {
    tails.learned(P0, tails.stamp(), range(0, 10));
    tails.learned(P1, tails.stamp(), range(0, 4));

    tails.forget(P0);

    assertThat(tails.read(P0, 10)).isEmpty();
    assertThat(tails.read(P1, 4)).isPresent();
  }

  @Test
  void a_read_that_began_before_a_signal_is_not_kept() {
    long before = tails.stamp();
    tails.forget(P0); // an append committed and signalled while the read ran
    tails.learned(P0, before, range(0, 10));

    assertThat(tails.read(P0, 10)).isEmpty();

    long after = tails.stamp();
    tails.learned(P0, after, range(0, 11));
    assertThat(tails.read(P0, 11)).as("a read that began after the signal").isPresent();
  }

  @Test
  void a_read_that_began_before_an_append_does_not_replace_what_the_append_added() {
    tails.learned(P0, tails.stamp(), range(0, 6));
    long before = tails.stamp();
    tails.appended(P0, appended(0, 6, batch(6, 2, 100)));
    tails.learned(P0, before, range(0, 6)); // its snapshot was taken before the append's commit

    assertThat(tails.read(P0, 6)).hasValueSatisfying(r -> {
      assertThat(bases(r)).containsExactly(6L);
      assertThat(r.logEndOffset()).isEqualTo(8);
    });
  }

  @Test
  void a_read_that_began_before_another_read_does_not_replace_it() {
    long older = tails.stamp();
    tails.forget(P1); // moves the stamps on
    long newer = tails.stamp();
    tails.learned(P0, newer, range(0, 12));
    tails.learned(P0, older, range(0, 10));

    assertThat(tails.read(P0, 12)).isPresent();
    assertThat(tails.read(P0, 10)).isEmpty();
  }

  @Test
  void forgetting_everything_also_forgets_reads_under_way() {
    long before = tails.stamp();
    tails.learned(P1, before, range(0, 4));

    tails.forgetAll();
    tails.learned(
        P0, before, range(0, 10)); // a read under way when the listening connection was lost

    assertThat(tails.read(P0, 10)).isEmpty();
    assertThat(tails.read(P1, 4)).isEmpty();
  }

  @Test
  void a_read_and_the_appends_after_it_are_trusted_for_the_reads_lifetime_only() {
    tails.learned(P0, tails.stamp(), range(0, 10));
    clock.addAndGet(LogTails.LIFETIME.toNanos() - 1);
    tails.appended(P0, appended(0, 10, batch(10, 1, 100)));

    assertThat(tails.read(P0, 10)).isPresent();
    clock.addAndGet(1);
    assertThat(tails.read(P0, 10)).isEmpty();
    assertThat(tails.read(P0, 11)).isEmpty();
  }

  @Test
  void past_the_most_kept_everything_is_forgotten() {
    for (int p = 0; p < LogTails.MOST_KEPT; p++) {
      tails.forget(new PartitionKey(9, p)); // appends to partitions this node never read
    }
    long stamp = tails.stamp();
    tails.learned(P0, stamp, range(0, 10));

    assertThat(tails.read(P0, 10))
        .as("a read that began before everything was forgotten")
        .isEmpty();
    tails.learned(P0, tails.stamp(), range(0, 10));
    assertThat(tails.read(P0, 10)).isPresent();
  }

  @Test
  void a_signal_of_several_partitions_forgets_them_all_and_wakes_their_waiters() throws Exception {
    LogSignals signals = new LogSignals();
    signals.tails().learned(P0, signals.tails().stamp(), range(0, 10));
    signals.tails().learned(P1, signals.tails().stamp(), range(0, 4));
    try (LogSignals.Waiter waiter = signals.register(List.of(P0, P1))) {
      signals.signal(List.of(P0, P1));
      assertThat(waiter.await(Duration.ZERO)).isTrue();
    }
    assertThat(signals.tails().read(P0, 10)).isEmpty();
    assertThat(signals.tails().read(P1, 4)).isEmpty();
  }

  @Test
  void appends_to_several_partitions_extend_them_all_and_wake_their_waiters() throws Exception {
    LogSignals signals = new LogSignals();
    signals.tails().learned(P0, signals.tails().stamp(), range(0, 10));
    signals.tails().learned(P1, signals.tails().stamp(), range(0, 4));
    try (LogSignals.Waiter waiter = signals.register(List.of(P1))) {
      signals.appended(
          7, List.of(appended(0, 10, batch(10, 1, 100)), appended(1, 4, batch(4, 2, 100))));
      assertThat(waiter.await(Duration.ZERO)).isTrue();
    }
    assertThat(signals.tails().read(P0, 10))
        .hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(10L));
    assertThat(signals.tails().read(P1, 5))
        .hasValueSatisfying(r -> assertThat(bases(r)).containsExactly(4L));
  }
}

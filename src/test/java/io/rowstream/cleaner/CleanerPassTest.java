package io.rowstream.cleaner;

import static io.rowstream.cleaner.TestBatches.batch;
import static io.rowstream.cleaner.TestBatches.put;
import static io.rowstream.cleaner.TestBatches.read;
import static io.rowstream.cleaner.TestBatches.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rowstream.cleaner.TestBatches.Read;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A whole pass: the map from the dirty range, the cleanable end, then every chunk below it. */
class CleanerPassTest {
  private static final TombstoneRetention NOT_YET = new TombstoneRetention(0, 50_000);

  @Test
  void the_latest_value_of_every_key_survives_across_batches_and_segments() {
    // Two "segments" of two chunks each; the lead's storage decides segments, the pass sees chunks.
    List<ByteBuffer> log = List.of(
        batch(0, put("a", "a0"), put("b", "b0"), put("c", "c0")),
        batch(3, put("a", "a1"), put("d", "d0")),
        batch(5, put("b", "b1"), put("a", "a2")),
        batch(7, put("c", "c1"), put(null, "no key"), put("e", "e0")));

    CleanerPass pass = CleanerPass.plan(0, log, OffsetMap.withCapacity(10));
    List<ByteBuffer> cleaned = cleanAll(pass, log);

    assertThat(pass.cleanableEndOffset()).isEqualTo(10);
    assertThat(pass.hasWork()).isTrue();
    assertThat(pass.keysMapped()).isEqualTo(5);
    assertThat(cleaned.stream().flatMap(b -> read(b).stream()).toList())
        .extracting(Read::offset, Read::key, Read::value)
        .containsExactly(
            tuple(4L, "d", "d0"),
            tuple(5L, "b", "b1"),
            tuple(6L, "a", "a2"),
            tuple(7L, "c", "c1"),
            tuple(9L, "e", "e0"));
    assertThat(cleaned).as("the first chunk is wholly superseded").hasSize(3);
    assertThat(cleaned)
        .extracting(b -> TestBatches.only(b).baseOffset())
        .containsExactly(3L, 5L, 7L);
    assertThat(cleaned)
        .extracting(b -> TestBatches.only(b).lastOffset())
        .containsExactly(4L, 6L, 9L);
  }

  @Test
  void a_second_pass_cleans_the_clean_part_against_the_new_dirty_range() {
    List<ByteBuffer> first =
        List.of(batch(0, put("a", "a0"), put("b", "b0")), batch(2, put("a", "a1")));
    CleanerPass pass1 = CleanerPass.plan(0, first, OffsetMap.withCapacity(10));
    List<ByteBuffer> clean = cleanAll(pass1, first);
    List<ByteBuffer> dirty = List.of(batch(3, put("b", "b1"), tombstone("c")));

    OffsetMap map = OffsetMap.withCapacity(10);
    CleanerPass pass2 = CleanerPass.plan(pass1.cleanableEndOffset(), dirty, map);
    List<ByteBuffer> log = new ArrayList<>(clean);
    log.addAll(dirty);
    List<ByteBuffer> cleaned = cleanAll(pass2, log);

    assertThat(pass2.dirtyStartOffset()).isEqualTo(3);
    assertThat(pass2.cleanableEndOffset()).isEqualTo(5);
    assertThat(cleaned.stream().flatMap(b -> read(b).stream()).toList())
        .extracting(Read::offset, Read::key, Read::value)
        .containsExactly(tuple(2L, "a", "a1"), tuple(3L, "b", "b1"), tuple(4L, "c", null));
  }

  @Test
  void a_full_map_stops_the_pass_at_a_batch_boundary_and_nothing_past_it_is_read_or_lost() {
    List<ByteBuffer> log = List.of(
        batch(0, put("a", "1"), put("b", "1")),
        batch(2, put("a", "2"), put("a", "3")),
        batch(4, put("c", "1"), put("d", "1")),
        batch(6, put("a", "4")));
    CountingIterable dirty = new CountingIterable(log);

    CleanerPass pass = CleanerPass.plan(0, dirty, OffsetMap.withCapacity(3));

    assertThat(pass.cleanableEndOffset()).as("batch 4 would need a fourth key").isEqualTo(4);
    assertThat(dirty.taken)
        .as("the batch that did not fit is the last one read")
        .isEqualTo(3);
    assertThat(kept(pass, log.get(0))).contains(List.of(1L));
    assertThat(kept(pass, log.get(1))).contains(List.of(3L));
    assertThatThrownBy(() -> pass.filter(log.get(2), NOT_YET))
        .isInstanceOf(IllegalArgumentException.class);

    CleanerPass next =
        CleanerPass.plan(pass.cleanableEndOffset(), log.subList(2, 4), OffsetMap.withCapacity(3));
    assertThat(next.cleanableEndOffset()).isEqualTo(7);
    assertThat(kept(next, log.get(1))).as("a3 is superseded by a4").isEmpty();
    assertThat(kept(next, log.get(2))).contains(List.of(4L, 5L));
  }

  @Test
  void repeated_keys_in_a_batch_take_one_entry() {
    CleanerPass pass = CleanerPass.plan(
        0,
        List.of(batch(0, put("a", "1"), put("a", "2"), put("a", "3"))),
        OffsetMap.withCapacity(1));

    assertThat(pass.cleanableEndOffset()).isEqualTo(3);
    assertThat(pass.keysMapped()).isEqualTo(1);
  }

  @Test
  void a_first_batch_larger_than_the_map_is_an_error_not_a_silent_standstill() {
    List<ByteBuffer> log = List.of(batch(8, put("a", "1"), put("b", "1"), put("c", "1")));

    assertThatThrownBy(() -> CleanerPass.plan(8, log, OffsetMap.withCapacity(2)))
        .isInstanceOf(OffsetMapTooSmallException.class)
        .hasMessageContaining("offset 8 has 3 distinct keys");
  }

  @Test
  void nothing_dirty_means_nothing_to_do() {
    CleanerPass pass = CleanerPass.plan(12, List.of(), OffsetMap.withCapacity(2));

    assertThat(pass.cleanableEndOffset()).isEqualTo(12);
    assertThat(pass.hasWork()).isFalse();
    assertThatThrownBy(() -> pass.filter(batch(11, put("a", "1"), put("b", "1")), NOT_YET))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyless_batches_advance_the_end_without_using_the_map() {
    CleanerPass pass = CleanerPass.plan(
        0, List.of(batch(0, put(null, "x")), batch(1, put(null, "y"))), OffsetMap.withCapacity(1));

    assertThat(pass.cleanableEndOffset()).isEqualTo(2);
    assertThat(pass.keysMapped()).isZero();
  }

  @Test
  void batches_out_of_offset_order_are_refused() {
    assertThatThrownBy(() -> CleanerPass.plan(
            0,
            List.of(batch(5, put("a", "1")), batch(2, put("b", "1"))),
            OffsetMap.withCapacity(4)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() ->
            CleanerPass.plan(6, List.of(batch(5, put("a", "1"))), OffsetMap.withCapacity(4)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_reused_map_starts_each_pass_empty() {
    OffsetMap map = OffsetMap.withCapacity(4);
    CleanerPass.plan(0, List.of(batch(0, put("a", "1"), put("b", "1"))), map);

    CleanerPass pass = CleanerPass.plan(0, List.of(batch(0, put("c", "1"))), map);

    assertThat(pass.keysMapped()).isEqualTo(1);
    assertThat(pass.filter(batch(0, put("a", "1")), NOT_YET)).isPresent();
  }

  private static Optional<List<Long>> kept(CleanerPass pass, ByteBuffer chunk) {
    return pass.filter(chunk, NOT_YET).map(c -> TestBatches.offsets(c.batch()));
  }

  private static List<ByteBuffer> cleanAll(CleanerPass pass, List<ByteBuffer> log) {
    List<ByteBuffer> out = new ArrayList<>();
    for (ByteBuffer chunk : log) {
      if (TestBatches.only(chunk).lastOffset() < pass.cleanableEndOffset()) {
        Optional<CompactedBatch> cleaned = pass.filter(chunk, NOT_YET);
        cleaned.ifPresent(c -> out.add(c.batch()));
      } else {
        out.add(chunk);
      }
    }
    return out;
  }

  /** Counts how many batches the pass took, to show that it stops reading. */
  private static final class CountingIterable implements Iterable<ByteBuffer> {
    private final List<ByteBuffer> batches;
    private int taken;

    CountingIterable(List<ByteBuffer> batches) {
      this.batches = batches;
    }

    @Override
    public Iterator<ByteBuffer> iterator() {
      Iterator<ByteBuffer> it = batches.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public ByteBuffer next() {
          taken++;
          return it.next();
        }
      };
    }
  }
}

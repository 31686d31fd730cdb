package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.send.SentRecordStore.Progress;
import io.rowstream.send.SentRecordStore.Taken.Position;
import org.junit.jupiter.api.Test;

/** Where a piece of a move starts reading: the latest of its lower bounds, as one position. */
class SentRecordStoreStartTest {
  private static Progress progress(String moved, String batch, String batchXid) {
    return new Progress(moved, batch, batchXid, "900:900:");
  }

  @Test
  void a_first_piece_starts_at_the_moved_snapshot_s_xmin() {
    assertThat(SentRecordStore.start(progress("700:705:701,703", null, null), Position.START))
        .isEqualTo(new Position("700", Long.MIN_VALUE));
    assertThat(SentRecordStore.start(progress("1:1:", null, null), Position.START))
        .isEqualTo(new Position("1", Long.MIN_VALUE));
  }

  @Test
  void a_later_piece_starts_after_the_last_row_taken() {
    assertThat(SentRecordStore.start(progress("700:705:", null, null), new Position("700", 12)))
        .isEqualTo(new Position("700", 12));
    assertThat(SentRecordStore.start(progress("700:705:", null, null), new Position("9000", 3)))
        .isEqualTo(new Position("9000", 3));
  }

  @Test
  void during_a_batch_a_piece_starts_after_the_batch_s_last_moved_transaction() {
    Progress batch = progress("700:705:", "800:810:", "805");
    assertThat(SentRecordStore.start(batch, Position.START))
        .isEqualTo(new Position("805", Long.MAX_VALUE));
    assertThat(SentRecordStore.start(batch, new Position("806", 1)))
        .isEqualTo(new Position("806", 1));
  }

  @Test
  void transaction_ids_compare_as_numbers_not_as_text() {
    assertThat(SentRecordStore.start(progress("99:120:", null, null), new Position("100", 1)))
        .isEqualTo(new Position("100", 1));
  }
}

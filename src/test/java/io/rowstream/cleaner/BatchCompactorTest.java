package io.rowstream.cleaner;

import static io.rowstream.cleaner.TestBatches.batch;
import static io.rowstream.cleaner.TestBatches.key;
import static io.rowstream.cleaner.TestBatches.offsets;
import static io.rowstream.cleaner.TestBatches.only;
import static io.rowstream.cleaner.TestBatches.put;
import static io.rowstream.cleaner.TestBatches.read;
import static io.rowstream.cleaner.TestBatches.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.rowstream.cleaner.TestBatches.Read;
import io.rowstream.cleaner.TestBatches.Rec;
import io.rowstream.log.LogRecord;
import io.rowstream.log.RecordBatchCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One stored batch through the cleaner's rule and kafka-clients' rewriting. */
class BatchCompactorTest {
  /** A pass at time 0 with delete.retention.ms 50 s: it stamps horizon 50,000 on a tombstone it keeps first. */
  private static final TombstoneRetention NOT_YET = new TombstoneRetention(0, 50_000);
  /** A pass at 50,000: the horizon stamped by {@link #NOT_YET} has come. */
  private static final TombstoneRetention PASSED = new TombstoneRetention(50_000, 50_000);

  private final OffsetMap map = OffsetMap.withCapacity(100);
  private final BatchCompactor compactor = new BatchCompactor(map, Long.MAX_VALUE);

  @Test
  void kept_records_keep_their_offsets_and_the_batch_keeps_its_last_offset() {
    ByteBuffer original = batch(10, put("a", "1"), put("b", "1"), put("c", "1"));
    map.put(key("a"), 11);
    map.put(key("b"), 11);
    map.put(key("c"), 13);

    CompactedBatch out = compactor.compact(original, NOT_YET).orElseThrow();

    assertThat(read(out.batch()))
        .extracting(Read::offset, Read::key)
        .containsExactly(tuple(11L, "b"));
    MutableRecordBatch b = only(out.batch());
    assertThat(b.baseOffset()).isEqualTo(10);
    assertThat(b.lastOffset())
        .as("last offset delta kept, as Kafka's cleaner does")
        .isEqualTo(12);
    assertThat(b.nextOffset()).isEqualTo(13);
    b.ensureValid();
    assertThat(out)
        .extracting(
            CompactedBatch::baseOffset,
            CompactedBatch::lastOffset,
            CompactedBatch::recordsKept,
            CompactedBatch::recordsDropped,
            CompactedBatch::rewritten)
        .containsExactly(10L, 12L, 1, 2, true);
    assertThat(out.sizeInBytes()).isEqualTo(b.sizeInBytes()).isLessThan(original.remaining());
    assertThat(out.toByteArray()).hasSize(out.sizeInBytes());
  }

  @Test
  void a_key_absent_from_the_map_stays_and_an_untouched_batch_is_the_original_bytes() {
    ByteBuffer original = batch(0, put("a", "1"), put("b", "2"));
    map.put(key("a"), 0);

    CompactedBatch out = compactor.compact(original, PASSED).orElseThrow();

    assertThat(out.rewritten()).isFalse();
    assertThat(out.batch()).isEqualTo(original);
    assertThat(out.recordsKept()).isEqualTo(2);
    assertThat(out.recordsDropped()).isZero();
  }

  @Test
  void a_batch_whose_records_are_all_superseded_disappears() {
    map.put(key("a"), 100);
    map.put(key("b"), 100);

    assertThat(compactor.compact(batch(0, put("a", "1"), put("b", "1"), put("a", "2")), NOT_YET))
        .isEmpty();
  }

  @Test
  void keyless_records_are_dropped() {
    CompactedBatch out = compactor
        .compact(batch(0, put(null, "x"), put("a", "1"), put(null, "y")), NOT_YET)
        .orElseThrow();

    assertThat(offsets(out.batch())).containsExactly(1L);
    assertThat(out.recordsDropped()).isEqualTo(2);
    assertThat(compactor.compact(batch(5, put(null, "x")), NOT_YET)).isEmpty();
  }

  @Test
  void a_latest_tombstone_first_kept_gets_the_pass_time_plus_delete_retention_as_its_horizon() {
    ByteBuffer original =
        batch(0, new Rec("a", "1", 1_000), new Rec("a", null, 2_000), new Rec("b", "1", 3_000));
    map.put(key("a"), 1);
    map.put(key("b"), 2);

    CompactedBatch out = compactor.compact(original, NOT_YET).orElseThrow();

    assertThat(read(out.batch()))
        .extracting(Read::offset, Read::value, Read::timestamp)
        .containsExactly(tuple(1L, null, 2_000L), tuple(2L, "1", 3_000L));
    MutableRecordBatch b = only(out.batch());
    b.ensureValid();
    assertThat(b.deleteHorizonMs())
        .as("KIP-534 stamp: now + delete.retention.ms")
        .hasValue(50_000);
    assertThat(out.tombstoneHorizonMs()).hasValue(50_000);
    assertThat(b.maxTimestamp()).isEqualTo(3_000);
    assertThat(out.minTimestampMs()).isEqualTo(2_000);
    assertThat(out.maxTimestampMs()).isEqualTo(3_000);
  }

  @Test
  void a_kept_tombstone_alone_also_gets_the_horizon_stamp_and_keeps_its_timestamp() {
    ByteBuffer original = batch(0, new Rec("a", null, 1_234));

    CompactedBatch out = compactor.compact(original, NOT_YET).orElseThrow();

    assertThat(out.rewritten()).as("the stamp rewrites the header").isTrue();
    assertThat(only(out.batch()).deleteHorizonMs()).hasValue(50_000);
    assertThat(read(out.batch())).extracting(Read::timestamp).containsExactly(1_234L);
    CompactedBatch again = compactor.compact(out.batch(), NOT_YET).orElseThrow();
    assertThat(again.rewritten())
        .as("a second pass leaves a stamped batch as it is")
        .isFalse();
  }

  @Test
  void a_tombstone_past_its_delete_horizon_is_removed() {
    ByteBuffer original = batch(0, tombstone("a"), put("b", "1"));
    CompactedBatch kept = compactor.compact(original, NOT_YET).orElseThrow();

    CompactedBatch out = compactor.compact(kept.batch(), PASSED).orElseThrow();

    assertThat(read(out.batch())).extracting(Read::key).containsExactly("b");
    assertThat(out.tombstoneHorizonMs()).as("no tombstone left to wait for").isEmpty();
    CompactedBatch firstSeen =
        compactor.compact(batch(3, tombstone("c")), PASSED).orElseThrow();
    assertThat(firstSeen.tombstoneHorizonMs())
        .as("a tombstone no pass kept before waits from now")
        .hasValue(100_000);
    assertThat(compactor.compact(firstSeen.batch(), new TombstoneRetention(99_999, 50_000)))
        .isPresent();
    assertThat(compactor.compact(firstSeen.batch(), new TombstoneRetention(100_000, 50_000)))
        .isEmpty();
  }

  @Test
  void a_tombstone_superseded_by_a_later_put_is_removed_before_its_horizon() {
    map.put(key("a"), 5);

    assertThat(compactor.compact(batch(0, tombstone("a")), NOT_YET)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = CompressionType.class,
      names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
  void compressed_batches_are_rewritten_with_the_same_codec(CompressionType type) {
    Compression codec = Compression.of(type).build();
    ByteBuffer original =
        batch(40, codec, put("a", "old"), put("b", "kept"), put("a", "new"), tombstone("c"));
    map.put(key("a"), 42);
    map.put(key("b"), 41);
    map.put(key("c"), 43);

    CompactedBatch out = compactor.compact(original, NOT_YET).orElseThrow();

    MutableRecordBatch b = only(out.batch());
    b.ensureValid();
    assertThat(b.compressionType()).isEqualTo(type);
    assertThat(b.baseOffset()).isEqualTo(40);
    assertThat(b.lastOffset()).isEqualTo(43);
    assertThat(read(out.batch()))
        .extracting(Read::offset, Read::key, Read::value)
        .containsExactly(tuple(41L, "b", "kept"), tuple(42L, "a", "new"), tuple(43L, "c", null));
    assertThat(out.recordsDropped()).isEqualTo(1);
  }

  @Test
  void producer_id_epoch_sequence_and_leader_epoch_are_preserved() {
    ByteBuffer original = TestBatches.batch(
        7,
        Compression.NONE,
        4242L,
        (short) 3,
        17,
        List.of(put("a", "1"), put("b", "1"), put("c", "1")));
    map.put(key("a"), 9);

    CompactedBatch out = compactor.compact(original, NOT_YET).orElseThrow();

    MutableRecordBatch b = only(out.batch());
    b.ensureValid();

    assertThat(b.producerId()).isEqualTo(4242);
    assertThat(b.producerEpoch()).isEqualTo((short) 3);
    assertThat(b.baseSequence()).isEqualTo(17);
    assertThat(b.lastSequence()).as("the sequence range stays whole").isEqualTo(19);
    assertThat(b.partitionLeaderEpoch()).isEqualTo(7);
    assertThat(offsets(out.batch())).containsExactly(8L, 9L);
  }

  @Test
  void timestamps_headers_and_log_append_time_survive() {
    RecordHeader header = new RecordHeader("h", "v".getBytes(StandardCharsets.UTF_8));
    ByteBuffer original = batch(
        0, new Rec("a", "1", 5_000, header), new Rec("b", "1", 4_000), new Rec("b", "2", 6_000));
    map.put(key("b"), 2);

    CompactedBatch out = compactor.compact(original, NOT_YET).orElseThrow();

    assertThat(read(out.batch()))
        .containsExactly(
            new Read(0, "a", "1", 5_000, List.of("h=v")), new Read(2, "b", "2", 6_000, List.of()));
    assertThat(out.minTimestampMs()).isEqualTo(5_000);

    ByteBuffer appendTime = MemoryRecords.withRecords(
            RecordBatch.CURRENT_MAGIC_VALUE,
            0L,
            Compression.NONE,
            TimestampType.LOG_APPEND_TIME,
            new SimpleRecord(1, "a".getBytes(), "1".getBytes()),
            new SimpleRecord(2, "a".getBytes(), "2".getBytes()))
        .buffer();
    long appendedAt = only(appendTime).maxTimestamp();
    map.put(key("a"), 1);
    CompactedBatch logAppend = compactor.compact(appendTime, NOT_YET).orElseThrow();
    assertThat(only(logAppend.batch()).timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
    assertThat(read(logAppend.batch())).extracting(Read::timestamp).containsExactly(appendedAt);
    assertThat(logAppend.minTimestampMs()).isEqualTo(appendedAt);
    assertThat(logAppend.maxTimestampMs()).isEqualTo(appendedAt);
  }

  @Test
  void chunks_as_rowstream_writes_them_are_cleaned() {
    List<LogRecord> records =
        List.of(record("k", "1"), record(null, "x"), record("k", "2"), record("j", "1"));
    ByteBuffer stored = RecordBatchCodec.encode(100, records, false, 0);
    map.put(key("k"), 102);
    map.put(key("j"), 103);

    CompactedBatch out = compactor.compact(stored, NOT_YET).orElseThrow();

    assertThat(offsets(out.batch())).containsExactly(102L, 103L);
    assertThat(RecordBatchCodec.decode(out.toByteArray(), 0)).hasSize(2);
  }

  @Test
  void a_corrupt_batch_is_refused() {
    ByteBuffer original = batch(3, put("a", "1"));
    original.put(original.limit() - 1, (byte) (original.get(original.limit() - 1) ^ 1));

    assertThatThrownBy(() -> compactor.compact(original, NOT_YET))
        .isInstanceOf(UncleanableBatchException.class)
        .hasMessageContaining("corrupt")
        .extracting(e -> ((UncleanableBatchException) e).baseOffset())
        .isEqualTo(3L);
  }

  @Test
  void two_batches_in_one_chunk_a_truncated_one_and_a_transactional_one_are_refused() {
    ByteBuffer a = batch(0, put("a", "1"));
    ByteBuffer b = batch(1, put("b", "1"));
    ByteBuffer both = ByteBuffer.allocate(a.remaining() + b.remaining())
        .put(a.duplicate())
        .put(b.duplicate())
        .flip();
    ByteBuffer truncated = a.duplicate().limit(a.limit() - 1);
    ByteBuffer transactional = MemoryRecords.withTransactionalRecords(
            Compression.NONE, 1L, (short) 0, 0, new SimpleRecord("a".getBytes(), "1".getBytes()))
        .buffer();

    for (ByteBuffer chunk : List.of(both, truncated, transactional, ByteBuffer.allocate(3))) {
      assertThatThrownBy(() -> compactor.compact(chunk, NOT_YET))
          .isInstanceOf(UncleanableBatchException.class);
    }
  }

  @Test
  void a_batch_reaching_the_end_of_the_mapped_range_is_refused() {
    BatchCompactor bounded = new BatchCompactor(map, 12);

    assertThat(bounded.compact(batch(10, put("a", "1"), put("b", "1")), NOT_YET))
        .isPresent();
    assertThatThrownBy(
            () -> bounded.compact(batch(10, put("a", "1"), put("b", "1"), put("c", "1")), NOT_YET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cleanable end 12");
  }

  @Test
  void the_callers_buffer_is_left_as_it_was() {
    ByteBuffer original = batch(0, put("a", "1"), put("a", "2"));
    map.put(key("a"), 1);
    int position = original.position();

    Optional<CompactedBatch> out = compactor.compact(original, NOT_YET);

    assertThat(out).isPresent();
    assertThat(original.position()).isEqualTo(position);
    assertThat(offsets(original)).containsExactly(0L, 1L);
  }

  private static LogRecord record(String key, String value) {
    return new LogRecord(TestBatches.bytes(key), TestBatches.bytes(value), List.of(), 1_000);
  }
}

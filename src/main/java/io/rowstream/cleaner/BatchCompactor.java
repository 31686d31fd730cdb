package io.rowstream.cleaner;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.utils.internals.BufferSupplier;

/**
 * Rewrites one stored batch without the records the offset map supersedes, through kafka-clients'
 * {@link MemoryRecords#filterTo}: the kept records keep their offsets and timestamps, the batch
 * keeps its base offset, last offset delta, producer id, epoch, base sequence, partition leader
 * epoch, timestamp type and compression codec, and gets a fresh CRC.
 */
final class BatchCompactor {
  private final OffsetMap map;
  private final long endOffset;
  private final BufferSupplier decompressionBuffers = BufferSupplier.create();

  /** A compactor for batches below {@code endOffset}, where {@code map} is complete. */
  BatchCompactor(OffsetMap map, long endOffset) {
    this.map = map;
    this.endOffset = endOffset;
  }

  /**
   * The chunk cleaned, or empty when none of its records stays.
   *
   * @throws IllegalArgumentException when the chunk reaches {@code endOffset}
   */
  Optional<CompactedBatch> compact(ByteBuffer chunk, TombstoneRetention tombstones) {
    MemoryRecords records = StoredBatch.open(chunk);
    MutableRecordBatch original = StoredBatch.only(records);
    if (original.lastOffset() >= endOffset) {
      throw new IllegalArgumentException("the batch at offsets " + original.baseOffset() + ".."
          + original.lastOffset() + " reaches the cleanable end " + endOffset + " of this pass");
    }
    LatestPerKeyFilter filter = new LatestPerKeyFilter(map, tombstones);
    MemoryRecords.FilterResult result;
    try {
      result = records.filterTo(
          filter,
          ByteBuffer.allocate(chunk.remaining()),
          decompressionBuffers,
          Records.SOFT_MAX_ARRAY_LENGTH);
    } catch (KafkaException e) {
      throw StoredBatch.unreadable(original.baseOffset(), e);
    }
    int kept = result.messagesRetained();
    if (kept == 0) {
      return Optional.empty();
    }
    ByteBuffer out = result.outputBuffer().flip();
    MutableRecordBatch written = StoredBatch.only(MemoryRecords.readableRecords(out.duplicate()));
    if (written.baseOffset() != original.baseOffset()
        || written.lastOffset() != original.lastOffset()) {
      throw new IllegalStateException(
          "the batch at " + original.baseOffset() + " was rewritten to offsets "
              + written.baseOffset() + ".." + written.lastOffset() + ", which indicates a bug");
    }
    OptionalLong horizon =
        filter.keptTombstone() ? written.deleteHorizonMs() : OptionalLong.empty();
    if (filter.keptTombstone() && horizon.isEmpty()) {
      throw new IllegalStateException("the batch at " + original.baseOffset()
          + " keeps a tombstone but carries no delete horizon, which indicates a bug");
    }
    return Optional.of(new CompactedBatch(
        out,
        original.baseOffset(),
        original.lastOffset(),
        kept,
        result.messagesRead() - kept,
        filter.minTimestamp(),
        filter.maxTimestamp(),
        horizon,
        !out.equals(chunk)));
  }
}

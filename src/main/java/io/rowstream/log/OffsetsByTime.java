package io.rowstream.log;

import java.util.List;
import java.util.OptionalLong;

/**
 * Kafka's {@code offsetsForTimes} (ListOffsets by time): the offset of a partition's first record
 * with a timestamp at or after a time. The time index ({@link ChunkStore#firstChunkReaching}) finds
 * the first chunk that can hold it; that chunk and the ones after it are read until a record
 * reaches the time.
 */
public final class OffsetsByTime {
  private static final long SCAN_BYTES = 1 << 20;

  private final ChunkStore chunks;
  private final PartitionLog log;

  public OffsetsByTime(ChunkStore chunks, PartitionLog log) {
    this.chunks = chunks;
    this.log = log;
  }

  /**
   * The offset of the first record in [{@code logStartOffset}, {@code logEndOffset}) with a
   * timestamp at or after {@code timestampMs} (ms since the epoch); empty when there is none.
   */
  public OptionalLong offsetForTime(
      PartitionKey key, long logStartOffset, long logEndOffset, long timestampMs) {
    long from = logStartOffset;
    OptionalLong chunk = chunks.firstChunkReaching(key, from, timestampMs);
    if (chunk.isEmpty()) {
      return OptionalLong.empty();
    }
    from = Math.max(from, chunk.getAsLong());
    while (from < logEndOffset) {
      List<StoredRecord> records = log.readOnce(key, from, SCAN_BYTES).records();
      if (records.isEmpty()) {
        break;
      }
      for (StoredRecord r : records) {
        if (r.record().timestamp() >= timestampMs) {
          return OptionalLong.of(r.offset());
        }
      }
      from = records.getLast().offset() + 1;
    }
    return OptionalLong.empty();
  }
}

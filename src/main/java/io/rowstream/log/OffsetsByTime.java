package io.rowstream.log;

import java.util.List;
import java.util.Optional;
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
    return recordForTime(key, logStartOffset, logEndOffset, timestampMs)
        .map(r -> OptionalLong.of(r.offset()))
        .orElse(OptionalLong.empty());
  }

  /**
   * Where a read from a time starts: the first offset at or after it, else the log end (nothing
   * is that recent yet), as a consumer seeking to a time starts (Kafka's {@code offsetsForTimes}).
   */
  public long readFrom(PartitionKey key, long logStartOffset, long logEndOffset, long timestampMs) {
    return offsetForTime(key, logStartOffset, logEndOffset, timestampMs).orElse(logEndOffset);
  }

  /**
   * As {@link #offsetForTime}, with that record's own timestamp, which Kafka's ListOffsets answers
   * beside its offset.
   */
  public Optional<TimestampAndOffset> recordForTime(
      PartitionKey key, long logStartOffset, long logEndOffset, long timestampMs) {
    long from = logStartOffset;
    OptionalLong chunk = chunks.firstChunkReaching(key, from, timestampMs);
    if (chunk.isEmpty()) {
      return Optional.empty();
    }
    from = Math.max(from, chunk.getAsLong());
    while (from < logEndOffset) {
      List<StoredRecord> records = log.readOnce(key, from, SCAN_BYTES).records();
      if (records.isEmpty()) {
        break;
      }
      for (StoredRecord r : records) {
        if (r.record().timestamp() >= timestampMs) {
          return Optional.of(new TimestampAndOffset(r.record().timestamp(), r.offset()));
        }
      }
      from = records.getLast().offset() + 1;
    }
    return Optional.empty();
  }

  /** A record's offset and timestamp. */
  public record TimestampAndOffset(long timestampMs, long offset) {}

  /**
   * Kafka's ListOffsets MAX_TIMESTAMP (-3): the record with the largest timestamp in [{@code
   * logStartOffset}, log end), the first of them in offset order when several share it; empty when
   * the partition holds no record. The chunk rows' largest timestamps find its chunk; only that
   * chunk is decoded.
   */
  public Optional<TimestampAndOffset> maxTimestamp(PartitionKey key, long logStartOffset) {
    Optional<ChunkStore.ChunkTime> chunk = chunks.chunkWithMaxTimestamp(key, logStartOffset);
    if (chunk.isEmpty()) {
      return Optional.empty();
    }
    long from = Math.max(logStartOffset, chunk.get().baseOffset());
    StoredRecord best = null;
    byte[] batch = log.readBatches(key, from, 0, true).records();
    for (StoredRecord r : RecordBatchCodec.decode(batch, from)) {
      if (r.offset() >= from
          && (best == null || r.record().timestamp() > best.record().timestamp())) {
        best = r;
      }
    }
    return Optional.ofNullable(best)
        .map(r -> new TimestampAndOffset(r.record().timestamp(), r.offset()));
  }
}

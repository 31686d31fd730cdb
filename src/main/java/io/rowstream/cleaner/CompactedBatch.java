package io.rowstream.cleaner;

import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * A chunk after cleaning: its v2 batch, still at the chunk's base offset and still ending at its
 * last offset, and the figures the chunk row keeps.
 *
 * @param batch the batch's bytes, from position 0 to its limit; the caller must not change them
 * @param baseOffset the original chunk's base offset
 * @param lastOffset the original chunk's last offset, kept even when its last record went
 * @param recordsKept records in {@code batch}: the chunk row's record count
 * @param recordsDropped records the pass removed from the chunk
 * @param minTimestampMs smallest record timestamp among the records kept
 * @param maxTimestampMs largest record timestamp among the records kept
 * @param tombstoneHorizonMs the delete horizon stamped in the batch when it keeps a tombstone (the
 *     time from which a pass removes it), empty when it keeps none
 * @param rewritten false when nothing changed and {@code batch} holds the original bytes, so the
 *     caller may leave the chunk as it is
 */
public record CompactedBatch(
    ByteBuffer batch,
    long baseOffset,
    long lastOffset,
    int recordsKept,
    int recordsDropped,
    long minTimestampMs,
    long maxTimestampMs,
    OptionalLong tombstoneHorizonMs,
    boolean rewritten) {

  /** Size of the batch in bytes. */
  public int sizeInBytes() {
    return batch.remaining();
  }

  /** A copy of the batch, for a {@code bytea} parameter. */
  public byte[] toByteArray() {
    byte[] out = new byte[batch.remaining()];
    batch.duplicate().get(out);
    return out;
  }
}

package io.rowstream.log;

import java.time.OffsetDateTime;

/**
 * One segment of a partition's log as an operator sees it: its offsets {@code [baseOffset,
 * nextOffset)}, the bytes of its record batches, its records, its record time range (null when it
 * holds no record), when it was opened, and when it was rolled (null for the active segment).
 */
public record LogSegment(
    long baseOffset,
    long nextOffset,
    long sizeBytes,
    long recordCount,
    Long minTimestampMs,
    Long maxTimestampMs,
    OffsetDateTime createdAt,
    OffsetDateTime rolledAt) {

  /** Whether appends still go to this segment. */
  public boolean active() {
    return rolledAt == null;
  }
}

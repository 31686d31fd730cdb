package io.rowstream.retention;

import java.util.List;
import java.util.OptionalLong;

/**
 * Kafka's delete retention over one partition's segments, in offset order: the oldest rolled
 * segments go while their newest record is older than {@code retention.ms}, or while the partition
 * without them still holds at least {@code retention.bytes} (so, as in Kafka, a partition is trimmed
 * back towards its limit and never below it). Only a prefix of the log goes, never the active segment.
 */
public record RetentionPolicy(long retentionMs, long retentionBytes) {

  /** Kafka's "no limit" value for both settings. */
  public static final long UNLIMITED = -1;

  public boolean isUnlimited() {
    return retentionMs < 0 && retentionBytes < 0;
  }

  /**
   * The new log start offset: the next offset of the last segment to delete; empty when none goes.
   *
   * @param segments the partition's segments in offset order
   * @param nowMs the database clock, ms since the epoch
   */
  public OptionalLong newLogStart(List<SegmentInfo> segments, long nowMs) {
    long excess = retentionBytes < 0 ? Long.MIN_VALUE : totalBytes(segments) - retentionBytes;
    long newStart = -1;
    for (SegmentInfo segment : segments) {
      if (segment.active()) {
        break;
      }
      boolean expired = retentionMs >= 0
          && (segment.maxTimestampMs() == null || nowMs - segment.maxTimestampMs() > retentionMs);
      boolean overSize = excess != Long.MIN_VALUE && excess - segment.sizeBytes() >= 0;
      if (!expired && !overSize) {
        break;
      }
      if (excess != Long.MIN_VALUE) {
        excess -= segment.sizeBytes();
      }
      newStart = segment.nextOffset();
    }
    return newStart < 0 ? OptionalLong.empty() : OptionalLong.of(newStart);
  }

  private static long totalBytes(List<SegmentInfo> segments) {
    long total = 0;
    for (SegmentInfo segment : segments) {
      total += segment.sizeBytes();
    }
    return total;
  }
}

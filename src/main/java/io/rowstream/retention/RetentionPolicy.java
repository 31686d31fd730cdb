package io.rowstream.retention;

import java.util.List;

/**
 * Kafka's delete retention over one partition's segments, in offset order: the oldest segments go
 * while their newest record is older than {@code retention.ms}, or while the partition without them
 * still holds at least {@code retention.bytes} (so, as in Kafka, a partition is trimmed back towards
 * its limit and never below it; 0 empties it). Only a prefix of the log goes. As in Kafka's
 * {@code UnifiedLog.deleteOldSegments}, the active segment is part of that prefix unless it is empty:
 * a quiet partition's data expires too, after the active segment is rolled (see
 * {@link SegmentStore#rollActive}).
 */
public record RetentionPolicy(long retentionMs, long retentionBytes) {

  /** Kafka's "no limit" value for both settings. */
  public static final long UNLIMITED = -1;

  public boolean isUnlimited() {
    return retentionMs < 0 && retentionBytes < 0;
  }

  /**
   * The segments to delete, a prefix of {@code segments}; it ends with the active segment when that
   * one goes too, and is empty when none goes.
   *
   * @param segments the partition's segments in offset order, the active one last
   * @param nowMs the database clock, ms since the epoch
   */
  public List<SegmentInfo> deletablePrefix(List<SegmentInfo> segments, long nowMs) {
    long excess = retentionBytes < 0 ? Long.MIN_VALUE : totalBytes(segments) - retentionBytes;
    int deletable = 0;
    for (SegmentInfo segment : segments) {
      if (segment.active() && segment.nextOffset() == segment.baseOffset()) {
        break; // an empty active segment (a database from before V32) stays
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
      deletable++;
    }
    return segments.subList(0, deletable);
  }

  private static long totalBytes(List<SegmentInfo> segments) {
    long total = 0;
    for (SegmentInfo segment : segments) {
      total += segment.sizeBytes();
    }
    return total;
  }
}

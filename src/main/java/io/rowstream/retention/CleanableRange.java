package io.rowstream.retention;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Which part of a compacted partition a pass may clean, and whether it should, as Kafka's
 * {@code LogCleanerManager} decides it. The cleanable part runs from the first dirty segment up to
 * the first uncleanable one: the active segment, or, with {@code min.compaction.lag.ms}, the first
 * dirty segment whose newest record is younger than the lag. The partition is cleaned when
 * cleanable bytes over all bytes from the log start to that point exceed
 * {@code min.cleanable.dirty.ratio}, or when there are cleanable bytes and a dirty segment's first
 * batch is older than {@code max.compaction.lag.ms}.
 *
 * @param firstUncleanableOffset base offset of the first segment this pass may not clean
 * @param cleanBytes bytes of the segments below the first dirty offset
 * @param cleanableBytes bytes of the dirty segments below {@link #firstUncleanableOffset}
 * @param overdue true when a dirty segment's first batch is older than {@code max.compaction.lag.ms}
 */
record CleanableRange(
    long firstUncleanableOffset, long cleanBytes, long cleanableBytes, boolean overdue) {

  /** A topic's settings of the cleaner. */
  record Settings(
      long minCompactionLagMs, long maxCompactionLagMs, double minCleanableDirtyRatio) {}

  /**
   * The range of a partition's {@code segments} (in offset order, the active one last) whose first
   * uncleaned offset is {@code dirtyStart}, judged at {@code nowMs}. {@code firstBatchTimestamp}
   * gives a dirty rolled segment's first batch's newest timestamp (Kafka's rolling timestamp; -1
   * when unknown); it is asked only when {@code max.compaction.lag.ms} can have passed.
   */
  static CleanableRange of(
      List<SegmentInfo> segments,
      long dirtyStart,
      long nowMs,
      Settings settings,
      ToLongFunction<SegmentInfo> firstBatchTimestamp) {
    long youngAfter = nowMs - settings.minCompactionLagMs();
    long firstUncleanable = Long.MAX_VALUE;
    long clean = 0;
    long cleanable = 0;
    boolean overdue = false;
    long overdueBefore =
        nowMs - settings.maxCompactionLagMs(); // no overflow: both are non-negative
    for (SegmentInfo s : segments) {
      if (s.nextOffset() <= dirtyStart) {
        clean += s.sizeBytes();
        continue;
      }
      if (s.active()) {
        firstUncleanable = Math.min(firstUncleanable, s.baseOffset());
        break;
      }
      if (overdueBefore > 0 && !overdue) {
        long first = firstBatchTimestamp.applyAsLong(s);
        overdue = first > 0 && first < overdueBefore;
      }
      if (firstUncleanable == Long.MAX_VALUE
          && settings.minCompactionLagMs() > 0
          && s.maxTimestampMs() != null
          && s.maxTimestampMs() > youngAfter) {
        firstUncleanable = s.baseOffset();
      }
      if (firstUncleanable == Long.MAX_VALUE) {
        cleanable += s.sizeBytes();
      }
    }
    if (firstUncleanable == Long.MAX_VALUE) {
      firstUncleanable = segments.isEmpty() ? dirtyStart : segments.getLast().nextOffset();
    }
    return new CleanableRange(Math.max(firstUncleanable, dirtyStart), clean, cleanable, overdue);
  }

  /** Dirty bytes this pass may clean over all bytes up to the first uncleanable segment. */
  double cleanableRatio() {
    long total = cleanBytes + cleanableBytes;
    return total == 0 ? 0 : (double) cleanableBytes / total;
  }

  /** Whether to clean now: Kafka's {@code (needCompactionNow && cleanableBytes > 0) || ratio > min}. */
  boolean due(Settings settings) {
    return cleanableBytes > 0 && (overdue || cleanableRatio() > settings.minCleanableDirtyRatio());
  }
}

package io.rowstream.log;

import java.util.Optional;

/**
 * Kafka's OffsetForLeaderEpoch on a Rowstream log: the end offset of a leader epoch, which is where
 * the next epoch's batches begin. Every stored batch carries the partition's leader epoch it was
 * appended under (append_chunks writes it), and epochs only grow along the log, so the first batch
 * of a later epoch is found by a binary search over the chunks, a few index lookups reading 4
 * bytes each. The answer follows Kafka's {@code LeaderEpochFileCache.endOffsetFor}: the current
 * epoch ends at the log end; an epoch above it is unknown (-1, -1); an older one ends at the first
 * offset appended under a later epoch (the log end when there is none yet), answered with the
 * latest epoch at or below it that holds batches (the one asked for when none does). Batches
 * stored before epochs were written into them count as epoch -1, older than any.
 */
public final class EpochEndOffsets {
  /** An epoch and the offset it ends at (exclusive); -1 and -1 when the epoch is unknown. */
  public record EpochEnd(int leaderEpoch, long endOffset) {
    public static final EpochEnd UNDEFINED = new EpochEnd(-1, -1);
  }

  private final ChunkStore chunks;

  public EpochEndOffsets(ChunkStore chunks) {
    this.chunks = chunks;
  }

  /**
   * The end of {@code requested} in the partition whose current leader epoch is {@code current}
   * and whose log spans {@code logStart}..{@code logEnd}.
   */
  public EpochEnd endOffsetFor(
      PartitionKey key, int requested, int current, long logStart, long logEnd) {
    if (requested < 0 || requested > current) {
      return EpochEnd.UNDEFINED;
    }
    if (requested == current) {
      return new EpochEnd(current, logEnd);
    }
    long lo = logStart;
    long hi = logEnd; // the answer lies in lo..hi: the first offset of a batch of a later epoch
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      Optional<ChunkStore.ChunkEpoch> c = chunks.chunkAtOrBefore(key, mid);
      if (c.isEmpty() || c.get().baseOffset() < lo) {
        lo = mid + 1; // no chunk begins in lo..mid
      } else if (c.get().leaderEpoch() > requested) {
        hi = c.get().baseOffset();
      } else {
        lo = Math.max(mid, c.get().lastOffset()) + 1;
      }
    }
    int floor = requested;
    if (hi > logStart) {
      Optional<ChunkStore.ChunkEpoch> before = chunks.chunkAtOrBefore(key, hi - 1);
      if (before.isPresent()
          && before.get().leaderEpoch() >= 0
          && before.get().leaderEpoch() <= requested) {
        floor = before.get().leaderEpoch();
      }
    }
    return new EpochEnd(floor, hi);
  }
}

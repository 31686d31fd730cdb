package io.rowstream.cleaner;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One cleaning pass over one partition: {@link #plan} reads the dirty range into an offset map and
 * fixes the cleanable end; {@link #filter} then rewrites, one by one, every chunk below that end
 * (the clean part from the log start and the dirty part alike). Chunks at or after the end are not
 * this pass's to touch. Not thread-safe; the map belongs to the pass until the pass is done.
 */
public final class CleanerPass {
  private final OffsetMap map;
  private final long dirtyStartOffset;
  private final long cleanableEndOffset;
  private final BatchCompactor compactor;

  private CleanerPass(OffsetMap map, long dirtyStartOffset, long cleanableEndOffset) {
    this.map = map;
    this.dirtyStartOffset = dirtyStartOffset;
    this.cleanableEndOffset = cleanableEndOffset;
    this.compactor = new BatchCompactor(map, cleanableEndOffset);
  }

  /**
   * Plans a pass: clears {@code map} and fills it with the latest offset of every key in
   * {@code dirtyBatches} — the stored batches from {@code dirtyStartOffset} (the first offset not yet
   * cleaned) up to the start of the active segment, in offset order — stopping at the first batch
   * that no longer fits. Batches after that are not read.
   *
   * @throws OffsetMapTooSmallException when the first dirty batch alone does not fit {@code map}
   * @throws UncleanableBatchException when a batch is corrupt, or not a plain v2 batch
   */
  public static CleanerPass plan(
      long dirtyStartOffset, Iterable<ByteBuffer> dirtyBatches, OffsetMap map) {
    return new CleanerPass(
        map, dirtyStartOffset, OffsetMapBuilder.fill(map, dirtyStartOffset, dirtyBatches));
  }

  /** The first offset this pass considered dirty. */
  public long dirtyStartOffset() {
    return dirtyStartOffset;
  }

  /**
   * The offset up to which the map is complete, at a batch boundary: the pass cleans the chunks
   * below it, and the next pass's dirty range starts there. Equal to {@link #dirtyStartOffset()}
   * when there was nothing dirty (the pass then has nothing to do).
   */
  public long cleanableEndOffset() {
    return cleanableEndOffset;
  }

  /** True when the pass has work: some dirty batch made it into the map. */
  public boolean hasWork() {
    return cleanableEndOffset > dirtyStartOffset;
  }

  /** Keys in the map: the distinct keys of the dirty range up to the cleanable end. */
  public int keysMapped() {
    return map.size();
  }

  /**
   * Cleans one stored batch below the cleanable end; empty when none of its records stays, and the
   * chunk is to be dropped. A tombstone that stays gets its batch stamped with a delete horizon, or
   * goes once the horizon stamped by an earlier pass has come ({@link TombstoneRetention}); a
   * tombstone superseded by a later record of its key goes regardless.
   *
   * @throws IllegalArgumentException when the batch reaches the cleanable end
   * @throws UncleanableBatchException when the batch is corrupt, or not a plain v2 batch
   */
  public Optional<CompactedBatch> filter(ByteBuffer batch, TombstoneRetention tombstones) {
    return compactor.compact(batch, tombstones);
  }
}

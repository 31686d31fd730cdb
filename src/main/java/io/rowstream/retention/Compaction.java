package io.rowstream.retention;

import io.rowstream.cleaner.CleanerPass;
import io.rowstream.cleaner.CompactedBatch;
import io.rowstream.cleaner.OffsetMap;
import io.rowstream.cleaner.TombstoneRetention;
import io.rowstream.logging.LogText;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction of one partition of a {@code cleanup.policy=compact} topic, Kafka's log cleaner over
 * segment storages. When the partition is due ({@link CleanableRange}: dirty ratio, compaction
 * lags), maps the latest offset of every key from the checkpoint up to the first uncleanable
 * segment ({@link CleanerPass}), then rewrites each rolled segment that ends below the mapped end
 * into a new storage keeping the latest record per key (offsets unchanged; a kept tombstone's batch
 * stamped with its delete horizon the first time, the tombstone gone once that horizon came), and
 * points the segment at it in one transaction. When it is not due, only the segments whose kept
 * tombstones are due ({@code segment.delete_horizon_ms}) are rewritten, so tombstones leave a
 * partition nobody writes to any more. A segment whose chunks all stay as they are is left alone.
 * The old storages are dropped by {@link StorageDropper}, so a rewrite leaves no dead tuples either.
 * One segment's chunks are in memory at a time.
 */
final class Compaction {
  private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);

  private final CompactionStore store;
  private final long mapBytes;
  /** Allocated at the first partition with dirty segments, then reused: a node without compacted topics holds none. */
  private OffsetMap map;

  /** {@code mapBytes}: the memory of the offset map (Kafka's {@code log.cleaner.dedupe.buffer.size}). */
  Compaction(CompactionStore store, long mapBytes) {
    this.store = store;
    this.mapBytes = mapBytes;
  }

  /** One pass over one partition's segments (in offset order); returns the segments rewritten. */
  int clean(Topic topic, List<SegmentInfo> segments, long nowMs) {
    if (segments.isEmpty()) {
      return 0;
    }
    int partition = segments.getFirst().partition();
    long dirtyStart = store.dirtyStart(topic.id(), partition);
    CleanableRange.Settings settings = new CleanableRange.Settings(
        Long.parseLong(topic.config(TopicConfig.MIN_COMPACTION_LAG_MS)),
        Long.parseLong(topic.config(TopicConfig.MAX_COMPACTION_LAG_MS)),
        Double.parseDouble(topic.config(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO)));
    CleanableRange range = CleanableRange.of(
        segments, dirtyStart, nowMs, settings, s -> store.firstBatchTimestamp(s.storageId()));
    TombstoneRetention tombstones = new TombstoneRetention(
        nowMs, Long.parseLong(topic.config(TopicConfig.DELETE_RETENTION_MS)));
    List<SegmentInfo> rolled = segments.stream().filter(s -> !s.active()).toList();
    if (!range.due(settings)) {
      return removeDueTombstones(topic, partition, rolled, dirtyStart, tombstones);
    }
    List<SegmentInfo> dirty = rolled.stream()
        .filter(
            s -> s.nextOffset() > dirtyStart && s.nextOffset() <= range.firstUncleanableOffset())
        .toList();
    CleanerPass pass = CleanerPass.plan(dirtyStart, () -> batchesOf(dirty), map());
    if (!pass.hasWork()) {
      return 0;
    }
    int rewritten = 0;
    long cleanedTo = -1;
    for (SegmentInfo segment : rolled) {
      if (segment.nextOffset() > pass.cleanableEndOffset()) {
        break;
      }
      if (rewrite(topic, segment, pass, tombstones)) {
        rewritten++;
      }
      cleanedTo = segment.nextOffset();
    }
    if (cleanedTo > 0) {
      store.checkpoint(topic.id(), partition, cleanedTo);
    }
    if (rewritten > 0) {
      LOG.info(
          "compaction rewrote segments topic={} partition={} segments={} cleanedTo={} keys={}",
          LogText.of(topic.name()),
          partition,
          rewritten,
          cleanedTo,
          pass.keysMapped());
    }
    return rewritten;
  }

  /**
   * A partition not due for cleaning: rewrites, with an empty key map, the cleaned segments whose
   * tombstones' delete horizon has come, so that they go though nothing new was written.
   */
  private int removeDueTombstones(
      Topic topic,
      int partition,
      List<SegmentInfo> rolled,
      long dirtyStart,
      TombstoneRetention tombstones) {
    Set<Long> due = store.segmentsWithTombstonesDue(topic.id(), partition, tombstones.nowMs());
    if (due.isEmpty()) {
      return 0;
    }
    CleanerPass pass = CleanerPass.plan(dirtyStart, List.of(), map());
    int rewritten = 0;
    for (SegmentInfo segment : rolled) {
      if (due.contains(segment.baseOffset())
          && segment.nextOffset() <= dirtyStart
          && rewrite(topic, segment, pass, tombstones)) {
        rewritten++;
      }
    }
    if (rewritten > 0) {
      LOG.info(
          "compaction removed due tombstones topic={} partition={} segments={}",
          LogText.of(topic.name()),
          partition,
          rewritten);
    }
    return rewritten;
  }

  private OffsetMap map() {
    if (map == null) {
      map = OffsetMap.withMemory(mapBytes);
    }
    return map;
  }

  private boolean rewrite(
      Topic topic, SegmentInfo segment, CleanerPass pass, TombstoneRetention tombstones) {
    List<CompactionStore.Rewrite> kept = new ArrayList<>();
    boolean changed = false;
    Long horizon = null;
    for (StoredChunk chunk : store.chunks(segment.storageId())) {
      Optional<CompactedBatch> cleaned = pass.filter(ByteBuffer.wrap(chunk.batch()), tombstones);
      if (cleaned.isEmpty()) {
        changed = true;
        continue;
      }
      changed |= cleaned.get().rewritten();
      OptionalLong h = cleaned.get().tombstoneHorizonMs();
      if (h.isPresent()) {
        horizon = horizon == null ? h.getAsLong() : Math.min(horizon, h.getAsLong());
      }
      kept.add(new CompactionStore.Rewrite(chunk, cleaned.get()));
    }
    if (!changed) {
      store.deleteHorizon(segment, topic.id(), horizon);
      return false;
    }
    return store.replaceSegment(segment, topic.id(), segment.storageId(), kept, horizon);
  }

  /** The dirty segments' batches in offset order, one segment read at a time. */
  private Iterator<ByteBuffer> batchesOf(List<SegmentInfo> dirty) {
    Iterator<SegmentInfo> segmentIt = dirty.iterator();
    return new Iterator<>() {
      private Iterator<StoredChunk> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && segmentIt.hasNext()) {
          current = store.chunks(segmentIt.next().storageId()).iterator();
        }
        return current.hasNext();
      }

      @Override
      public ByteBuffer next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ByteBuffer.wrap(current.next().batch());
      }
    };
  }
}

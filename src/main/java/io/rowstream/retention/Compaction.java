package io.rowstream.retention;

import io.rowstream.LogText;
import io.rowstream.cleaner.CleanerPass;
import io.rowstream.cleaner.CompactedBatch;
import io.rowstream.cleaner.DeleteHorizon;
import io.rowstream.cleaner.OffsetMap;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction of one partition of a {@code cleanup.policy=compact} topic, Kafka's log cleaner over
 * segment storages: maps the latest offset of every key from the checkpoint up to the active segment
 * ({@link CleanerPass}), then rewrites each rolled segment that ends below the mapped end into a new
 * storage keeping the latest record per key (offsets unchanged; tombstones gone once
 * {@code delete.retention.ms} passed since their append), and points the segment at it in one
 * transaction. A segment whose chunks all stay as they are is left alone. The old storages are
 * dropped by {@link StorageDropper}, so a rewrite leaves no dead tuples either. One segment's chunks
 * are in memory at a time.
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
    List<SegmentInfo> rolled = segments.stream().filter(s -> !s.active()).toList();
    List<SegmentInfo> dirty = rolled.stream().filter(s -> s.nextOffset() > dirtyStart).toList();
    if (dirty.isEmpty()) {
      return 0;
    }
    if (map == null) {
      map = OffsetMap.withMemory(mapBytes);
    }
    CleanerPass pass = CleanerPass.plan(dirtyStart, () -> batchesOf(dirty), map);
    if (!pass.hasWork()) {
      return 0;
    }
    long deleteRetentionMs = Long.parseLong(topic.config(TopicConfig.DELETE_RETENTION_MS));
    int rewritten = 0;
    long cleanedTo = -1;
    for (SegmentInfo segment : rolled) {
      if (segment.nextOffset() > pass.cleanableEndOffset()) {
        break;
      }
      if (rewrite(topic, segment, pass, deleteRetentionMs, nowMs)) {
        rewritten++;
      }
      cleanedTo = segment.nextOffset();
    }
    if (cleanedTo > 0) {
      store.checkpoint(topic.id(), partition, cleanedTo);
    }
    if (rewritten > 0) {
      LOG.info("compaction rewrote segments topic={} partition={} segments={} cleanedTo={} keys={}",
          LogText.of(topic.name()), partition, rewritten, cleanedTo, pass.keysMapped());
    }
    return rewritten;
  }

  private boolean rewrite(Topic topic, SegmentInfo segment, CleanerPass pass, long deleteRetentionMs, long nowMs) {
    List<CompactionStore.Rewrite> kept = new ArrayList<>();
    boolean changed = false;
    List<StoredChunk> chunks = store.chunks(segment.storageId());
    for (StoredChunk chunk : chunks) {
      Optional<CompactedBatch> cleaned = pass.filter(ByteBuffer.wrap(chunk.batch()),
          DeleteHorizon.of(chunk.appendedAtMs(), deleteRetentionMs, nowMs));
      if (cleaned.isEmpty()) {
        changed = true;
        continue;
      }
      changed |= cleaned.get().rewritten();
      kept.add(new CompactionStore.Rewrite(chunk, cleaned.get()));
    }
    return changed && store.replaceSegment(segment, topic.id(), segment.storageId(), kept);
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

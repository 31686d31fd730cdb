package io.rowstream.retention;

import static io.rowstream.db.schema.Tables.SEGMENT;
import static io.rowstream.db.schema.Tables.TOPIC_PARTITION;

import io.rowstream.cleaner.CompactedBatch;
import io.rowstream.db.StorageTable;
import io.rowstream.db.Tx;
import io.rowstream.topic.TopicStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The queries of compaction: chunks of a storage, the checkpoint, a segment's rewrite, and the
 * segments' cached delete horizons.
 */
final class CompactionStore {
  private final DSLContext dsl;

  CompactionStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  CompactionStore(Tx tx) {
    this(tx.dsl());
  }

  /** Where the partition's uncleaned part begins (never before its log start). */
  long dirtyStart(long topicId, int partition) {
    return dsl.select(
            DSL.greatest(TOPIC_PARTITION.CLEANER_CHECKPOINT, TOPIC_PARTITION.LOG_START_OFFSET))
        .from(TOPIC_PARTITION)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topicId), TOPIC_PARTITION.PARTITION_ID.eq(partition))
        .fetchOptional(0, Long.class)
        .orElse(Long.MAX_VALUE);
  }

  /** A storage's chunks in offset order (one segment's worth in memory). */
  List<StoredChunk> chunks(long storageId) {
    return dsl.resultQuery(
            "select base_offset, last_offset, (extract(epoch from appended_at) * 1000)::bigint, batch "
                + "from {0} where storage_id = {1} order by base_offset",
            DSL.table(StorageTable.of(storageId)), DSL.val(storageId))
        .fetch(r -> new StoredChunk(
            r.get(0, Long.class),
            r.get(1, Long.class),
            r.get(2, Long.class),
            r.get(3, byte[].class)));
  }

  /**
   * The newest timestamp of a storage's first batch (Kafka's rolling timestamp of a segment, which
   * {@code max.compaction.lag.ms} is measured from); -1 when the storage holds no chunk.
   */
  long firstBatchTimestamp(long storageId) {
    return dsl.resultQuery(
            "select max_timestamp_ms from {0} where storage_id = {1} order by base_offset limit 1",
            DSL.table(StorageTable.of(storageId)), DSL.val(storageId))
        .fetchOptional(r -> r.get(0, Long.class))
        .orElse(-1L);
  }

  /** Base offsets of a partition's segments keeping a tombstone whose delete horizon is at or before {@code nowMs}. */
  Set<Long> segmentsWithTombstonesDue(long topicId, int partition, long nowMs) {
    return new HashSet<>(dsl.select(SEGMENT.BASE_OFFSET)
        .from(SEGMENT)
        .where(
            SEGMENT.TOPIC_ID.eq(topicId),
            SEGMENT.PARTITION_ID.eq(partition),
            SEGMENT.DELETE_HORIZON_MS.le(nowMs))
        .fetch(SEGMENT.BASE_OFFSET));
  }

  /**
   * Records the earliest delete horizon among the tombstones a segment keeps (null: none) when a
   * pass left its chunks as they were, unless retention deleted it or compaction replaced it meanwhile.
   */
  void deleteHorizon(SegmentInfo segment, long topicId, Long horizonMs) {
    new SegmentStore(dsl).deleteHorizon(segment, topicId, horizonMs);
  }

  /** What a rewritten chunk becomes: the cleaned batch, or the original when nothing changed. */
  record Rewrite(StoredChunk original, CompactedBatch cleaned) {}

  /**
   * Puts a segment's cleaned chunks into a new storage and points the segment at it, in one
   * transaction: a fetch reads either the old storage or the new one, never a mix. Refused (false)
   * when the segment no longer points at {@code oldStorageId} (retention deleted it meanwhile).
   * {@code deleteHorizonMs}: the earliest delete horizon of the tombstones kept, null when none.
   */
  boolean replaceSegment(
      SegmentInfo segment,
      long topicId,
      long oldStorageId,
      List<Rewrite> kept,
      Long deleteHorizonMs) {
    return dsl.transactionResult(tx -> {
      DSLContext t = tx.dsl();
      SegmentStore segments = new SegmentStore(t);
      Long current = segments.lockStorageOf(topicId, segment.partition(), segment.baseOffset());
      if (current == null || current != oldStorageId) {
        return false;
      }
      long storage = t.select(DSL.field(
              "create_chunk_storage({0}, {1}, {2})",
              Long.class,
              DSL.val(topicId),
              DSL.val(segment.partition()),
              DSL.val(segment.baseOffset())))
          .fetchSingle()
          .value1();
      long bytes = 0;
      long records = 0;
      Long minTs = null;
      Long maxTs = null;
      for (Rewrite r : kept) {
        CompactedBatch c = r.cleaned();
        byte[] batch = c.toByteArray();
        t.execute(
            "insert into {0} (storage_id, topic_id, partition_id, base_offset, last_offset, segment_base_offset, "
                + "record_count, min_timestamp_ms, max_timestamp_ms, size_bytes, batch, appended_at) "
                + "values ({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, to_timestamp({12} / 1000.0))",
            DSL.table(StorageTable.of(storage)),
            DSL.val(storage),
            DSL.val(topicId),
            DSL.val(segment.partition()),
            DSL.val(r.original().baseOffset()),
            DSL.val(r.original().lastOffset()),
            DSL.val(segment.baseOffset()),
            DSL.val(c.recordsKept()),
            DSL.val(c.minTimestampMs()),
            DSL.val(c.maxTimestampMs()),
            DSL.val(batch.length),
            DSL.val(batch),
            DSL.val(r.original().appendedAtMs()));
        bytes += batch.length;
        records += c.recordsKept();
        minTs = minTs == null ? c.minTimestampMs() : Math.min(minTs, c.minTimestampMs());
        maxTs = maxTs == null ? c.maxTimestampMs() : Math.max(maxTs, c.maxTimestampMs());
      }
      segments.pointAt(
          topicId,
          segment.partition(),
          segment.baseOffset(),
          new SegmentStore.Contents(storage, bytes, records, minTs, maxTs, deleteHorizonMs));
      return true;
    });
  }

  /** Moves the checkpoint forward (never back). */
  void checkpoint(long topicId, int partition, long offset) {
    new TopicStore(dsl).advanceCleanerCheckpoint(topicId, partition, offset);
  }
}

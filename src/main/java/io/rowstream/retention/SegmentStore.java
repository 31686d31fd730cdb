package io.rowstream.retention;

import static io.rowstream.db.schema.Tables.CHUNK_STORAGE;
import static io.rowstream.db.schema.Tables.SEGMENT;

import io.rowstream.db.StorageTable;
import io.rowstream.db.Tx;
import io.rowstream.topic.TopicStore;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The segment and storage queries of log maintenance: the one Java writer of {@code segment} and
 * {@code chunk_storage} rows (besides the log's SQL functions, which open and roll segments as
 * they append).
 */
final class SegmentStore {
  private final DSLContext dsl;

  SegmentStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  SegmentStore(Tx tx) {
    this(tx.dsl());
  }

  /** The database clock, ms since the epoch: retention.ms is measured on it, as leases are. */
  long nowMs() {
    return dsl.fetchSingle("select (extract(epoch from clock_timestamp()) * 1000)::bigint")
        .into(Long.class);
  }

  /**
   * The topics that have a segment at all: a pass asks for the segments of these only, so topics
   * never written (or emptied by retention) cost it nothing, however many partitions they have.
   */
  Set<Long> topicsWithSegments() {
    return Set.copyOf(dsl.selectDistinct(SEGMENT.TOPIC_ID).from(SEGMENT).fetch(SEGMENT.TOPIC_ID));
  }

  /** A topic's segments, by partition then offset. */
  List<SegmentInfo> segmentsOf(long topicId) {
    return dsl.select(
            SEGMENT.PARTITION_ID,
            SEGMENT.BASE_OFFSET,
            SEGMENT.NEXT_OFFSET,
            SEGMENT.SIZE_BYTES,
            SEGMENT.MAX_TIMESTAMP_MS,
            SEGMENT.ROLLED_AT.isNull(),
            SEGMENT.STORAGE_ID)
        .from(SEGMENT)
        .where(SEGMENT.TOPIC_ID.eq(topicId))
        .orderBy(SEGMENT.PARTITION_ID, SEGMENT.BASE_OFFSET)
        .fetch(r -> new SegmentInfo(
            r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7()));
  }

  /**
   * Rolls a partition's active segment if it still ends at {@code nextOffset}, that is if no
   * append reached it since maintenance read it; under the partition's row lock, as appends roll
   * ({@code roll_active_segment} in {@code sql/R__segment_functions.sql}). No segment opens in its
   * place: the partition's next append opens one, with its table, at the log end. Returns whether
   * it rolled.
   */
  boolean rollActive(long topicId, int partition, long nextOffset) {
    return dsl.resultQuery(
            "select roll_active_segment({0}, {1}, {2})",
            DSL.val(topicId), DSL.val(partition), DSL.val(nextOffset))
        .fetchSingle()
        .get(0, Boolean.class);
  }

  /**
   * The storages of a partition's rolled segments that end at or before {@code newLogStart}: the
   * segments {@link #deleteSegmentsBefore} deletes, read ahead so that their tables can be
   * detached first.
   */
  List<Long> storagesBefore(long topicId, int partition, long newLogStart) {
    return dsl.select(SEGMENT.STORAGE_ID)
        .from(SEGMENT)
        .where(before(topicId, partition, newLogStart))
        .fetch(SEGMENT.STORAGE_ID);
  }

  /** The storage a segment points to, its row locked until the transaction ends; null when it is gone. */
  Long lockStorageOf(long topicId, int partition, long baseOffset) {
    return dsl.select(SEGMENT.STORAGE_ID)
        .from(SEGMENT)
        .where(segment(topicId, partition, baseOffset))
        .forUpdate()
        .fetchOne(SEGMENT.STORAGE_ID);
  }

  /** What a segment holds after compaction: its new storage and that storage's totals. */
  record Contents(
      long storageId,
      long sizeBytes,
      long recordCount,
      Long minTimestampMs,
      Long maxTimestampMs,
      Long deleteHorizonMs) {}

  /** Points a segment at a new storage (compaction's), with what it holds. */
  void pointAt(long topicId, int partition, long baseOffset, Contents contents) {
    dsl.update(SEGMENT)
        .set(SEGMENT.STORAGE_ID, contents.storageId())
        .set(SEGMENT.SIZE_BYTES, contents.sizeBytes())
        .set(SEGMENT.RECORD_COUNT, contents.recordCount())
        .set(SEGMENT.MIN_TIMESTAMP_MS, contents.minTimestampMs())
        .set(SEGMENT.MAX_TIMESTAMP_MS, contents.maxTimestampMs())
        .set(SEGMENT.DELETE_HORIZON_MS, contents.deleteHorizonMs())
        .where(segment(topicId, partition, baseOffset))
        .execute();
  }

  /**
   * Records the earliest delete horizon among the tombstones a segment keeps (null: none), unless
   * retention deleted it or compaction replaced its storage meanwhile.
   */
  void deleteHorizon(SegmentInfo segment, long topicId, Long horizonMs) {
    dsl.update(SEGMENT)
        .set(SEGMENT.DELETE_HORIZON_MS, horizonMs)
        .where(
            segment(topicId, segment.partition(), segment.baseOffset()),
            SEGMENT.STORAGE_ID.eq(segment.storageId()),
            SEGMENT.DELETE_HORIZON_MS.isDistinctFrom(horizonMs))
        .execute();
  }

  private static Condition segment(long topicId, int partition, long baseOffset) {
    return SEGMENT
        .TOPIC_ID
        .eq(topicId)
        .and(SEGMENT.PARTITION_ID.eq(partition))
        .and(SEGMENT.BASE_OFFSET.eq(baseOffset));
  }

  /** A partition's rolled segments that end at or before {@code newLogStart}. */
  private static Condition before(long topicId, int partition, long newLogStart) {
    return SEGMENT
        .TOPIC_ID
        .eq(topicId)
        .and(SEGMENT.PARTITION_ID.eq(partition))
        .and(SEGMENT.ROLLED_AT.isNotNull())
        .and(SEGMENT.NEXT_OFFSET.le(newLogStart));
  }

  /**
   * Deletes a partition's rolled segments that end at or before {@code newLogStart}, moves its log
   * start there, and drops those segments' tables among {@code detached} (tables already detached
   * from {@code chunk}, see {@link StorageDropper#detach}), all in one transaction: a fetch sees
   * either the old log or the new one, and the space goes with the segments, not after them. The
   * tables are dropped first, so that the partition row (which every append locks) is held only
   * for the last few statements. A storage that was not detached is left for
   * {@link StorageDropper#dropUnreferenced}. Returns the number of segments deleted.
   */
  int deleteSegmentsBefore(long topicId, int partition, long newLogStart, Set<Long> detached) {
    try {
      return dsl.transactionResult(tx -> {
        Condition below = before(topicId, partition, newLogStart);
        List<Long> dropping = tx
            .dsl()
            .select(SEGMENT.STORAGE_ID)
            .from(SEGMENT)
            .where(below)
            .fetch(SEGMENT.STORAGE_ID)
            .stream()
            .filter(detached::contains)
            .toList();
        if (!dropping.isEmpty()) {
          tx.dsl()
              .execute(
                  "set local lock_timeout = '" + StorageDropper.LOCK_TIMEOUT.toMillis() + "ms'");
        }
        for (long storage : dropping) {
          tx.dsl().dropTableIfExists(DSL.table(StorageTable.of(storage))).execute();
        }
        if (!new TopicStore(tx.dsl()).advanceLogStart(topicId, partition, newLogStart)) {
          throw new PartitionGone(); // rolls the drops back: the tables go with their segments or
          // not at all
        }
        int deleted = tx.dsl().deleteFrom(SEGMENT).where(below).execute();
        forgetStorages(tx.dsl(), dropping);
        return deleted;
      });
    } catch (PartitionGone e) {
      return 0; // deleted meanwhile, with its topic: its storages are unreferenced now
    }
  }

  /** The partition was deleted while retention worked on it. */
  private static final class PartitionGone extends RuntimeException {
    PartitionGone() {
      super(null, null, false, false);
    }
  }

  /** Deletes the rows of storages whose tables were dropped, unless a segment points to one still. */
  void forgetStorages(Collection<Long> storages) {
    forgetStorages(dsl, storages);
  }

  private static void forgetStorages(DSLContext dsl, Collection<Long> storages) {
    if (storages.isEmpty()) {
      return;
    }
    dsl.deleteFrom(CHUNK_STORAGE)
        .where(CHUNK_STORAGE.STORAGE_ID.in(storages))
        .andNotExists(
            DSL.selectOne().from(SEGMENT).where(SEGMENT.STORAGE_ID.eq(CHUNK_STORAGE.STORAGE_ID)))
        .execute();
  }

  /**
   * Up to {@code limit} storages a segment points to whose table exists but is not a partition of
   * {@code chunk} at all (a detach that is still pending does not count): detached by a retention
   * pass that then deleted nothing.
   */
  List<Long> detachedReferencedStorages(int limit) {
    return dsl.resultQuery("""
            select s.storage_id from rowstream.segment s
             where to_regclass('rowstream_chunks.s' || s.storage_id) is not null
               and not exists (select 1 from pg_inherits i
                                where i.inhrelid = to_regclass('rowstream_chunks.s' || s.storage_id)
                                  and i.inhparent = 'rowstream.chunk'::regclass)
             order by s.storage_id
             limit {0}""", DSL.val(limit)).fetch(r -> r.get(0, Long.class));
  }

  /** Storages no segment points to (deleted by retention or with their topic, or replaced by compaction). */
  List<Long> unreferencedStorages(int limit) {
    return dsl.select(CHUNK_STORAGE.STORAGE_ID)
        .from(CHUNK_STORAGE)
        .whereNotExists(
            DSL.selectOne().from(SEGMENT).where(SEGMENT.STORAGE_ID.eq(CHUNK_STORAGE.STORAGE_ID)))
        .orderBy(CHUNK_STORAGE.STORAGE_ID)
        .limit(limit)
        .fetch(CHUNK_STORAGE.STORAGE_ID);
  }
}

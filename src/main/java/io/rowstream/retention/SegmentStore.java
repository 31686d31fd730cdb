package io.rowstream.retention;

import static io.rowstream.db.schema.Tables.CHUNK_STORAGE;
import static io.rowstream.db.schema.Tables.SEGMENT;
import static io.rowstream.db.schema.Tables.TOPIC_PARTITION;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The segment and storage queries of log maintenance. */
final class SegmentStore {
  private final DSLContext dsl;

  SegmentStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** The database clock, ms since the epoch: retention.ms is measured on it, as leases are. */
  long nowMs() {
    return dsl.fetchSingle("select (extract(epoch from clock_timestamp()) * 1000)::bigint").into(Long.class);
  }

  /** A topic's segments, by partition then offset. */
  List<SegmentInfo> segmentsOf(long topicId) {
    return dsl.select(SEGMENT.PARTITION_ID, SEGMENT.BASE_OFFSET, SEGMENT.NEXT_OFFSET, SEGMENT.SIZE_BYTES,
            SEGMENT.MAX_TIMESTAMP_MS, SEGMENT.ROLLED_AT.isNull(), SEGMENT.STORAGE_ID)
        .from(SEGMENT)
        .where(SEGMENT.TOPIC_ID.eq(topicId))
        .orderBy(SEGMENT.PARTITION_ID, SEGMENT.BASE_OFFSET)
        .fetch(r -> new SegmentInfo(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
            r.value7()));
  }

  /**
   * Deletes a partition's rolled segments that end at or before {@code newLogStart} and moves its
   * log start there, in one transaction: a fetch sees either the old log or the new one. The
   * segments' storages are left for {@link StorageDropper}. Returns the number of segments deleted.
   */
  int deleteSegmentsBefore(long topicId, int partition, long newLogStart) {
    return dsl.transactionResult(tx -> {
      int moved = tx.dsl().update(TOPIC_PARTITION)
          .set(TOPIC_PARTITION.LOG_START_OFFSET, DSL.greatest(TOPIC_PARTITION.LOG_START_OFFSET, DSL.val(newLogStart)))
          .where(TOPIC_PARTITION.TOPIC_ID.eq(topicId), TOPIC_PARTITION.PARTITION_ID.eq(partition),
              TOPIC_PARTITION.LOG_END_OFFSET.ge(newLogStart))
          .execute();
      if (moved == 0) {
        return 0;  // the partition went away meanwhile
      }
      return tx.dsl().deleteFrom(SEGMENT)
          .where(SEGMENT.TOPIC_ID.eq(topicId), SEGMENT.PARTITION_ID.eq(partition),
              SEGMENT.ROLLED_AT.isNotNull(), SEGMENT.NEXT_OFFSET.le(newLogStart))
          .execute();
    });
  }

  /** Storages no segment points to (deleted by retention or with their topic, or replaced by compaction). */
  List<Long> unreferencedStorages(int limit) {
    return dsl.select(CHUNK_STORAGE.STORAGE_ID).from(CHUNK_STORAGE)
        .whereNotExists(DSL.selectOne().from(SEGMENT).where(SEGMENT.STORAGE_ID.eq(CHUNK_STORAGE.STORAGE_ID)))
        .orderBy(CHUNK_STORAGE.STORAGE_ID)
        .limit(limit)
        .fetch(CHUNK_STORAGE.STORAGE_ID);
  }
}

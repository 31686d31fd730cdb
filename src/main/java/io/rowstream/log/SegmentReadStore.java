package io.rowstream.log;

import static io.rowstream.db.schema.Tables.SEGMENT;

import io.rowstream.db.Tx;
import io.rowstream.log.LogSegments.PartitionSize;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The reads of {@link LogSegments} on {@code segment} rows (which the log's SQL functions and
 * {@code retention.SegmentStore} write).
 */
final class SegmentReadStore {
  private final DSLContext dsl;

  SegmentReadStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  List<LogSegment> segments(PartitionKey partition) {
    return dsl.select(
            SEGMENT.BASE_OFFSET,
            SEGMENT.NEXT_OFFSET,
            SEGMENT.SIZE_BYTES,
            SEGMENT.RECORD_COUNT,
            SEGMENT.MIN_TIMESTAMP_MS,
            SEGMENT.MAX_TIMESTAMP_MS,
            SEGMENT.CREATED_AT,
            SEGMENT.ROLLED_AT)
        .from(SEGMENT)
        .where(
            SEGMENT.TOPIC_ID.eq(partition.topicId()),
            SEGMENT.PARTITION_ID.eq(partition.partition()))
        .orderBy(SEGMENT.BASE_OFFSET)
        .fetch(r -> new LogSegment(
            r.value1(),
            r.value2(),
            r.value3(),
            r.value4(),
            r.value5(),
            r.value6(),
            r.value7(),
            r.value8()));
  }

  Map<Integer, PartitionSize> sizes(long topicId) {
    return dsl.select(SEGMENT.PARTITION_ID, DSL.sum(SEGMENT.SIZE_BYTES), DSL.count())
        .from(SEGMENT)
        .where(SEGMENT.TOPIC_ID.eq(topicId))
        .groupBy(SEGMENT.PARTITION_ID)
        .fetchMap(r -> r.value1(), r -> new PartitionSize(r.value2().longValue(), r.value3()));
  }
}

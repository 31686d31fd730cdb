package io.rowstream.log;

import static io.rowstream.db.schema.Tables.CHUNK;
import static io.rowstream.db.schema.Tables.SEGMENT;

import java.util.OptionalLong;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Kafka's time index, from the chunk and segment rows: where in a partition the first record
 * with a timestamp at or after a given time is (Kafka's {@code offsetsForTimes}).
 */
public final class TimestampIndex {
  private final DSLContext dsl;

  public TimestampIndex(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * The base offset of the first chunk, in offset order and at or after {@code fromOffset}, that
   * holds a record with a timestamp at or after {@code timestampMs}; empty when no chunk does.
   * Segments narrow the search to those whose largest timestamp reaches the time.
   */
  public OptionalLong firstChunkReaching(PartitionKey key, long fromOffset, long timestampMs) {
    var firstSegment = DSL.select(DSL.min(SEGMENT.BASE_OFFSET)).from(SEGMENT)
        .where(SEGMENT.TOPIC_ID.eq(key.topicId()), SEGMENT.PARTITION_ID.eq(key.partition()),
            SEGMENT.MAX_TIMESTAMP_MS.ge(timestampMs));
    return dsl.select(CHUNK.BASE_OFFSET).from(CHUNK)
        .where(CHUNK.TOPIC_ID.eq(key.topicId()), CHUNK.PARTITION_ID.eq(key.partition()),
            CHUNK.LAST_OFFSET.ge(fromOffset), CHUNK.MAX_TIMESTAMP_MS.ge(timestampMs),
            CHUNK.SEGMENT_BASE_OFFSET.ge(firstSegment.asField()))
        .orderBy(CHUNK.BASE_OFFSET)
        .limit(1)
        .fetchOptional(CHUNK.BASE_OFFSET)
        .map(OptionalLong::of)
        .orElse(OptionalLong.empty());
  }
}

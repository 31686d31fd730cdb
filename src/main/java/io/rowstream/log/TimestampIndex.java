package io.rowstream.log;

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
   * Segments narrow the search to those whose largest timestamp reaches the time; each is searched
   * in its own table ({@link StorageTable}); a search that finds a table dropped under it starts again.
   */
  public OptionalLong firstChunkReaching(PartitionKey key, long fromOffset, long timestampMs) {
    return StorageTable.readRetryingDrops(() -> search(key, fromOffset, timestampMs));
  }

  private OptionalLong search(PartitionKey key, long fromOffset, long timestampMs) {
    var storages = dsl.select(SEGMENT.STORAGE_ID)
        .from(SEGMENT)
        .where(
            SEGMENT.TOPIC_ID.eq(key.topicId()),
            SEGMENT.PARTITION_ID.eq(key.partition()),
            SEGMENT.NEXT_OFFSET.gt(fromOffset),
            SEGMENT.MAX_TIMESTAMP_MS.ge(timestampMs))
        .orderBy(SEGMENT.BASE_OFFSET)
        .fetch(SEGMENT.STORAGE_ID);
    for (long storage : storages) {
      var found = dsl.resultQuery(
              "select base_offset from {0} where storage_id = {3} and last_offset >= {1} "
                  + "and max_timestamp_ms >= {2} order by base_offset limit 1",
              DSL.table(StorageTable.of(storage)),
              DSL.val(fromOffset),
              DSL.val(timestampMs),
              DSL.val(storage))
          .fetchOptional(0, Long.class);
      if (found.isPresent()) {
        return OptionalLong.of(found.get());
      }
    }
    return OptionalLong.empty();
  }
}

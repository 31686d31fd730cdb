package io.rowstream.log;

import static io.rowstream.db.schema.Tables.CHUNK;
import static io.rowstream.db.schema.Tables.SEGMENT;
import static io.rowstream.db.schema.Tables.TOPIC_PARTITION;

import io.rowstream.BrokerException;
import io.rowstream.db.SqlErrors;
import io.rowstream.db.schema.tables.records.SegmentRecord;
import io.rowstream.topic.Topic;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Appends chunks to partitions. All of one request's chunks are written in one transaction that
 * locks the partition rows (in partition order, so concurrent requests cannot deadlock), takes
 * each chunk's offsets from the row's log end offset, and moves it: offsets are contiguous, never
 * reused, and become visible in offset order because the row lock orders the commits.
 */
public final class PartitionAppender {
  private final DSLContext dsl;
  private final Clock clock;

  public PartitionAppender(DSLContext dsl, Clock clock) {
    this.dsl = dsl;
    this.clock = clock;
  }

  /** Appends each partition's records as one chunk; all or nothing. */
  public List<AppendResult> append(Topic topic, SortedMap<Integer, List<LogRecord>> recordsByPartition) {
    try {
      return dsl.transactionResult(tx -> {
        List<AppendResult> results = new ArrayList<>(recordsByPartition.size());
        for (Map.Entry<Integer, List<LogRecord>> e : recordsByPartition.entrySet()) {
          results.add(appendChunk(tx.dsl(), topic, e.getKey(), e.getValue()));
        }
        return results;
      });
    } catch (DataAccessException e) {
      throw SqlErrors.translate(e);
    }
  }

  private AppendResult appendChunk(DSLContext tx, Topic topic, int partition, List<LogRecord> records) {
    Record2<Long, Integer> row = tx.select(TOPIC_PARTITION.LOG_END_OFFSET, TOPIC_PARTITION.LEADER_EPOCH)
        .from(TOPIC_PARTITION)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topic.id()), TOPIC_PARTITION.PARTITION_ID.eq(partition))
        .forUpdate()
        .fetchOptional()
        .orElseThrow(() -> BrokerException.partitionNotFound(topic.name(), partition));
    long baseOffset = row.value1();
    long lastOffset = baseOffset + records.size() - 1;
    long appendTime = clock.millis();
    ByteBuffer batch = RecordBatchCodec.encode(baseOffset, records, topic.logAppendTime(), appendTime);
    int size = batch.remaining();
    long minTs = appendTime;
    long maxTs = appendTime;
    if (!topic.logAppendTime()) {
      minTs = Long.MAX_VALUE;
      maxTs = Long.MIN_VALUE;
      for (LogRecord r : records) {
        minTs = Math.min(minTs, r.timestamp());
        maxTs = Math.max(maxTs, r.timestamp());
      }
    }

    long segmentBase = activeSegmentFor(tx, topic, partition, baseOffset, size);
    tx.insertInto(CHUNK)
        .set(CHUNK.TOPIC_ID, topic.id())
        .set(CHUNK.PARTITION_ID, partition)
        .set(CHUNK.BASE_OFFSET, baseOffset)
        .set(CHUNK.LAST_OFFSET, lastOffset)
        .set(CHUNK.SEGMENT_BASE_OFFSET, segmentBase)
        .set(CHUNK.RECORD_COUNT, records.size())
        .set(CHUNK.MIN_TIMESTAMP_MS, minTs)
        .set(CHUNK.MAX_TIMESTAMP_MS, maxTs)
        .set(CHUNK.SIZE_BYTES, size)
        .set(CHUNK.BATCH, toArray(batch))
        .execute();
    tx.update(SEGMENT)
        .set(SEGMENT.NEXT_OFFSET, lastOffset + 1)
        .set(SEGMENT.SIZE_BYTES, SEGMENT.SIZE_BYTES.plus((long) size))
        .set(SEGMENT.RECORD_COUNT, SEGMENT.RECORD_COUNT.plus((long) records.size()))
        .set(SEGMENT.MIN_TIMESTAMP_MS, DSL.least(DSL.coalesce(SEGMENT.MIN_TIMESTAMP_MS, minTs), DSL.val(minTs)))
        .set(SEGMENT.MAX_TIMESTAMP_MS, DSL.greatest(DSL.coalesce(SEGMENT.MAX_TIMESTAMP_MS, maxTs), DSL.val(maxTs)))
        .where(SEGMENT.TOPIC_ID.eq(topic.id()), SEGMENT.PARTITION_ID.eq(partition),
            SEGMENT.BASE_OFFSET.eq(segmentBase))
        .execute();
    tx.update(TOPIC_PARTITION)
        .set(TOPIC_PARTITION.LOG_END_OFFSET, lastOffset + 1)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topic.id()), TOPIC_PARTITION.PARTITION_ID.eq(partition))
        .execute();
    return new AppendResult(partition, baseOffset, lastOffset, appendTime);
  }

  /**
   * The base offset of the segment the next chunk goes into, rolling the active segment first when
   * the chunk would take it past {@code segment.bytes} or it is older than {@code segment.ms}.
   * Runs under the partition row lock, so no other append races it.
   */
  private long activeSegmentFor(DSLContext tx, Topic topic, int partition, long baseOffset, int chunkSize) {
    var due = DSL.field("{0} + ({1} * interval '1 millisecond') <= now()", Boolean.class,
        SEGMENT.CREATED_AT, DSL.val(topic.segmentMs()));
    var active = tx.select(SEGMENT.BASE_OFFSET, SEGMENT.SIZE_BYTES, due)
        .from(SEGMENT)
        .where(SEGMENT.TOPIC_ID.eq(topic.id()), SEGMENT.PARTITION_ID.eq(partition), SEGMENT.ROLLED_AT.isNull())
        .fetchOptional();
    if (active.isPresent()) {
      long size = active.get().value2();
      boolean full = size > 0 && size + chunkSize > topic.segmentBytes();
      boolean old = size > 0 && Boolean.TRUE.equals(active.get().value3());
      if (!full && !old) {
        return active.get().value1();
      }
      tx.update(SEGMENT).set(SEGMENT.ROLLED_AT, DSL.currentOffsetDateTime())
          .where(SEGMENT.TOPIC_ID.eq(topic.id()), SEGMENT.PARTITION_ID.eq(partition),
              SEGMENT.BASE_OFFSET.eq(active.get().value1()))
          .execute();
    }
    SegmentRecord segment = tx.newRecord(SEGMENT);
    segment.setTopicId(topic.id());
    segment.setPartitionId(partition);
    segment.setBaseOffset(baseOffset);
    segment.setNextOffset(baseOffset);
    segment.insert();
    return baseOffset;
  }

  private static byte[] toArray(ByteBuffer buffer) {
    if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
        && buffer.remaining() == buffer.array().length) {
      return buffer.array();
    }
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}

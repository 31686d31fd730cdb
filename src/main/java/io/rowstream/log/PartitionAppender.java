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
          results.add(appendChunks(tx.dsl(), topic, e.getKey(), List.of(e.getValue())).getFirst());
        }
        return results;
      });
    } catch (DataAccessException e) {
      throw SqlErrors.translate(e);
    }
  }

  /**
   * Appends several chunks to one partition in one transaction (group commit): one row lock, one
   * multi-row insert, contiguous offsets in the order given. All or nothing.
   */
  public List<AppendResult> appendChunks(Topic topic, int partition, List<List<LogRecord>> chunks) {
    try {
      return dsl.transactionResult(tx -> appendChunks(tx.dsl(), topic, partition, chunks));
    } catch (DataAccessException e) {
      throw SqlErrors.translate(e);
    }
  }

  private List<AppendResult> appendChunks(DSLContext tx, Topic topic, int partition, List<List<LogRecord>> chunks) {
    long next = tx.select(TOPIC_PARTITION.LOG_END_OFFSET)
        .from(TOPIC_PARTITION)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topic.id()), TOPIC_PARTITION.PARTITION_ID.eq(partition))
        .forUpdate()
        .fetchOptional(TOPIC_PARTITION.LOG_END_OFFSET)
        .orElseThrow(() -> BrokerException.partitionNotFound(topic.name(), partition));
    long appendTime = clock.millis();
    SegmentCursor segment = openSegment(tx, topic, partition, next);
    var insert = tx.insertInto(CHUNK, CHUNK.TOPIC_ID, CHUNK.PARTITION_ID, CHUNK.BASE_OFFSET, CHUNK.LAST_OFFSET,
        CHUNK.SEGMENT_BASE_OFFSET, CHUNK.RECORD_COUNT, CHUNK.MIN_TIMESTAMP_MS, CHUNK.MAX_TIMESTAMP_MS, CHUNK.SIZE_BYTES,
        CHUNK.BATCH);
    List<AppendResult> results = new ArrayList<>(chunks.size());
    for (List<LogRecord> records : chunks) {
      long last = next + records.size() - 1;
      ByteBuffer batch = RecordBatchCodec.encode(next, records, topic.logAppendTime(), appendTime);
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
      if (segment.mustRollBefore(size, topic.segmentBytes())) {
        segment = segment.roll(tx, next);
      }
      segment.add(last + 1, size, records.size(), minTs, maxTs);
      insert = insert.values(topic.id(), partition, next, last, segment.baseOffset, records.size(), minTs, maxTs,
          size, toArray(batch));
      results.add(new AppendResult(partition, next, last, appendTime));
      next = last + 1;
    }
    insert.execute();
    segment.save(tx);
    tx.update(TOPIC_PARTITION)
        .set(TOPIC_PARTITION.LOG_END_OFFSET, next)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(topic.id()), TOPIC_PARTITION.PARTITION_ID.eq(partition))
        .execute();
    return results;
  }

  /** The active segment as this transaction fills it; stats are written once, at the end or at a roll. */
  private static final class SegmentCursor {
    final long topicId;
    final int partition;
    final long baseOffset;
    final boolean old;
    long size;
    long nextOffset;
    long addedBytes;
    long addedRecords;
    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;

    SegmentCursor(long topicId, int partition, long baseOffset, long size, boolean old) {
      this.topicId = topicId;
      this.partition = partition;
      this.baseOffset = baseOffset;
      this.size = size;
      this.old = old;
    }

    boolean mustRollBefore(int chunkSize, long segmentBytes) {
      return size > 0 && (size + chunkSize > segmentBytes || old);
    }

    void add(long nextOffset, int bytes, int records, long minTs, long maxTs) {
      this.nextOffset = nextOffset;
      size += bytes;
      addedBytes += bytes;
      addedRecords += records;
      this.minTs = Math.min(this.minTs, minTs);
      this.maxTs = Math.max(this.maxTs, maxTs);
    }

    /** Closes this segment and opens the next at {@code baseOffset}. */
    SegmentCursor roll(DSLContext tx, long nextBase) {
      save(tx);
      tx.update(SEGMENT).set(SEGMENT.ROLLED_AT, DSL.currentOffsetDateTime())
          .where(SEGMENT.TOPIC_ID.eq(topicId), SEGMENT.PARTITION_ID.eq(partition), SEGMENT.BASE_OFFSET.eq(baseOffset))
          .execute();
      insertSegment(tx, topicId, partition, nextBase);
      return new SegmentCursor(topicId, partition, nextBase, 0, false);
    }

    void save(DSLContext tx) {
      if (addedRecords == 0) {
        return;
      }
      tx.update(SEGMENT)
          .set(SEGMENT.NEXT_OFFSET, nextOffset)
          .set(SEGMENT.SIZE_BYTES, SEGMENT.SIZE_BYTES.plus(addedBytes))
          .set(SEGMENT.RECORD_COUNT, SEGMENT.RECORD_COUNT.plus(addedRecords))
          .set(SEGMENT.MIN_TIMESTAMP_MS, DSL.least(DSL.coalesce(SEGMENT.MIN_TIMESTAMP_MS, minTs), DSL.val(minTs)))
          .set(SEGMENT.MAX_TIMESTAMP_MS, DSL.greatest(DSL.coalesce(SEGMENT.MAX_TIMESTAMP_MS, maxTs), DSL.val(maxTs)))
          .where(SEGMENT.TOPIC_ID.eq(topicId), SEGMENT.PARTITION_ID.eq(partition), SEGMENT.BASE_OFFSET.eq(baseOffset))
          .execute();
      addedBytes = 0;
      addedRecords = 0;
    }
  }

  /**
   * The partition's active segment (opening one at {@code next} when there is none). Runs under the
   * partition row lock, so no other append races it.
   */
  private static SegmentCursor openSegment(DSLContext tx, Topic topic, int partition, long next) {
    var due = DSL.field("{0} + ({1} * interval '1 millisecond') <= now()", Boolean.class,
        SEGMENT.CREATED_AT, DSL.val(topic.segmentMs()));
    var active = tx.select(SEGMENT.BASE_OFFSET, SEGMENT.SIZE_BYTES, due)
        .from(SEGMENT)
        .where(SEGMENT.TOPIC_ID.eq(topic.id()), SEGMENT.PARTITION_ID.eq(partition), SEGMENT.ROLLED_AT.isNull())
        .fetchOptional();
    if (active.isPresent()) {
      return new SegmentCursor(topic.id(), partition, active.get().value1(), active.get().value2(),
          Boolean.TRUE.equals(active.get().value3()));
    }
    insertSegment(tx, topic.id(), partition, next);
    return new SegmentCursor(topic.id(), partition, next, 0, false);
  }

  private static void insertSegment(DSLContext tx, long topicId, int partition, long baseOffset) {
    SegmentRecord segment = tx.newRecord(SEGMENT);
    segment.setTopicId(topicId);
    segment.setPartitionId(partition);
    segment.setBaseOffset(baseOffset);
    segment.setNextOffset(baseOffset);
    segment.insert();
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

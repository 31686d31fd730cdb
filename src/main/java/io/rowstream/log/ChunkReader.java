package io.rowstream.log;

import static io.rowstream.db.schema.Tables.TOPIC_PARTITION;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record2;

/** Reads committed records of one partition from an offset, whole chunks by one indexed range query. */
public final class ChunkReader {
  /**
   * Chunks from the one holding {@code from} onward, only as many as fit in the byte budget (the
   * running sum is computed on the small columns, so only the chosen batches are de-TOASTed).
   */
  private static final String READ_CHUNKS = """
      with candidate as (
        select base_offset, size_bytes,
               sum(size_bytes) over (order by base_offset rows unbounded preceding) as running_bytes
        from chunk
        where topic_id = {0} and partition_id = {1}
          and base_offset >= coalesce((select max(base_offset) from chunk
                                       where topic_id = {0} and partition_id = {1} and base_offset <= {2}), {2})
        order by base_offset
        limit 10000)
      select c.base_offset, c.batch
      from candidate k join chunk c
        on c.topic_id = {0} and c.partition_id = {1} and c.base_offset = k.base_offset
      where k.running_bytes - k.size_bytes < {3}
      order by c.base_offset
      """;

  private final DSLContext dsl;

  public ChunkReader(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** The partition's committed range: [log start, log end). */
  public Record2<Long, Long> bounds(PartitionKey key) {
    return dsl.select(TOPIC_PARTITION.LOG_START_OFFSET, TOPIC_PARTITION.LOG_END_OFFSET)
        .from(TOPIC_PARTITION)
        .where(TOPIC_PARTITION.TOPIC_ID.eq(key.topicId()), TOPIC_PARTITION.PARTITION_ID.eq(key.partition()))
        .fetchOptional()
        .orElseThrow(() -> new BrokerException(BrokerError.PARTITION_NOT_FOUND, "Partition no longer exists."));
  }

  /**
   * Records from {@code from} in offset order, up to about {@code maxBytes} of keys, values and
   * headers but at least one record when there is any. Never returns uncommitted records: a chunk
   * is visible only once the transaction that moved the log end past it has committed.
   */
  public List<StoredRecord> read(PartitionKey key, long from, long maxBytes) {
    var rows = dsl.resultQuery(READ_CHUNKS, key.topicId(), key.partition(), from, maxBytes).fetch();
    List<StoredRecord> out = new ArrayList<>();
    long budget = maxBytes;
    for (var row : rows) {
      for (StoredRecord r : RecordBatchCodec.decode(row.get(1, byte[].class), from)) {
        long size = sizeOf(r.record());
        if (!out.isEmpty() && size > budget) {
          return out;
        }
        out.add(r);
        budget -= size;
      }
    }
    return out;
  }

  /** The bytes a record counts for against a fetch's {@code max_bytes}: key, value and headers. */
  public static long sizeOf(LogRecord r) {
    long size = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
    for (LogRecord.Header h : r.headers()) {
      size += h.name().length() + (h.value() == null ? 0 : h.value().length);
    }
    return size;
  }
}

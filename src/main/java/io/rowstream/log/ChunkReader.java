package io.rowstream.log;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import io.rowstream.db.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads committed records of one partition from an offset: the partition's range and whole
 * chunks, by one statement over one snapshot, sliced in memory. Plain JDBC, as the append: this
 * runs on every fetch.
 */
public final class ChunkReader {
  /**
   * The partition's [log start, log end) and, when {@code from} lies inside it, the chunks from the
   * one holding {@code from} onward, only as many as fit in the byte budget (the running sum is
   * computed on the small columns, so only the chosen batches are de-TOASTed). One statement, one
   * snapshot: a chunk is there exactly when the log end that covers it is.
   */
  private static final String READ = """
      select p.log_start_offset, p.log_end_offset, c.batch
      from topic_partition p
      left join lateral (
        select k.base_offset, ch.batch
        from (select base_offset, size_bytes,
                     sum(size_bytes) over (order by base_offset rows unbounded preceding) as running_bytes
              from chunk
              where topic_id = p.topic_id and partition_id = p.partition_id
                and ?::bigint >= p.log_start_offset and ?::bigint < p.log_end_offset
                and base_offset >= coalesce((select max(base_offset) from chunk
                                             where topic_id = p.topic_id and partition_id = p.partition_id
                                               and base_offset <= ?::bigint), ?::bigint)
              order by base_offset
              limit 10000) k
        join chunk ch on ch.topic_id = p.topic_id and ch.partition_id = p.partition_id
                     and ch.base_offset = k.base_offset
        where k.running_bytes - k.size_bytes < ?::bigint) c on true
      where p.topic_id = ? and p.partition_id = ?
      order by c.base_offset
      """;

  private final DataSource dataSource;

  public ChunkReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Records from {@code from} in offset order, up to about {@code maxBytes} of keys, values and
   * headers but at least one record when there is any, with the range they were read in. Never
   * returns uncommitted records.
   */
  public FetchResult read(PartitionKey key, long from, long maxBytes) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(READ)) {
      ps.setLong(1, from);
      ps.setLong(2, from);
      ps.setLong(3, from);
      ps.setLong(4, from);
      ps.setLong(5, maxBytes);
      ps.setLong(6, key.topicId());
      ps.setInt(7, key.partition());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new BrokerException(BrokerError.PARTITION_NOT_FOUND, "Partition no longer exists.");
        }
        long start = rs.getLong(1);
        long end = rs.getLong(2);
        List<StoredRecord> out = new ArrayList<>();
        long budget = maxBytes;
        do {
          byte[] batch = rs.getBytes(3);
          if (batch == null) {
            break; // from is outside [start, end): no chunk joined
          }
          for (StoredRecord r : RecordBatchCodec.decode(batch, from)) {
            long size = sizeOf(r.record());
            if (!out.isEmpty() && size > budget) {
              return new FetchResult(out, start, end);
            }
            out.add(r);
            budget -= size;
          }
        } while (rs.next());
        return new FetchResult(out, start, end);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
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

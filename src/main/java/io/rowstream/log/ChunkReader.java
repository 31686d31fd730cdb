package io.rowstream.log;

import io.rowstream.db.SqlErrors;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads committed records of one partition from an offset: the partition's range and whole
 * chunks, by one call of {@code read_chunks} over one snapshot, sliced in memory. Its cost follows
 * what it returns, not the size of the partition. Plain JDBC, as the append: this runs on every fetch.
 */
public final class ChunkReader {
  /**
   * {@code read_chunks} ({@code sql/R__log_functions.sql}): the range, then the chunks from
   * {@code from} within the byte budget.
   */
  private static final String READ =
      "select log_start_offset, log_end_offset, batch from read_chunks(?, ?, ?, ?, ?)";
  /** At most this many chunks per read, however small they are. */
  static final int MAX_CHUNKS_PER_READ = 10_000;

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
    try {
      return StorageTable.readRetryingDrops(() -> readOnce(key, from, maxBytes));
    } catch (SQLException e) {
      throw SqlErrors.translate(e);
    }
  }

  private FetchResult readOnce(PartitionKey key, long from, long maxBytes) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(READ)) {
      ps.setLong(1, key.topicId());
      ps.setInt(2, key.partition());
      ps.setLong(3, from);
      ps.setLong(4, maxBytes);
      ps.setInt(5, MAX_CHUNKS_PER_READ);
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
            break; // from is outside [start, end), or at the end: the range alone
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

package io.rowstream.produce;

import io.rowstream.log.LogRecord;
import java.util.List;

/**
 * A record as a produce request gives it, before a partition is chosen.
 *
 * @param partition explicit partition, or null to let the partitioner choose
 * @param timestamp ms since the epoch, or null for "now"
 */
public record ProduceRecord(
    Integer partition, byte[] key, byte[] value, List<LogRecord.Header> headers, Long timestamp) {
  public ProduceRecord {
    headers = headers == null ? List.of() : List.copyOf(headers);
  }
}

package io.rowstream.log;

import java.util.List;

/**
 * One record as a producer gives it or a consumer reads it: key and value bytes (either may be
 * null), headers, and a timestamp in ms since the epoch.
 */
public record LogRecord(byte[] key, byte[] value, List<Header> headers, long timestamp) {

  public LogRecord {
    headers = List.copyOf(headers);
  }

  /** A record header; the value may be null, as in Kafka. */
  public record Header(String name, byte[] value) {}
}

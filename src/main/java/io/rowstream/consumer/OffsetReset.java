package io.rowstream.consumer;

import java.util.Locale;

/**
 * Kafka's {@code auto.offset.reset}: where a consumer starts in a partition it has no position in,
 * or whose position fell outside the log.
 */
public enum OffsetReset {
  /** The log start offset. */
  EARLIEST,
  /** The log end offset: only records produced from now on. */
  LATEST,
  /** No reset: the read fails until the client seeks. */
  NONE;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value stored in {@code consumer_instance}, which its check constraint keeps valid. */
  static OffsetReset ofConfigName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}

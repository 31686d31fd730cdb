package io.rowstream.produce;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicConfig;

/**
 * The window of record timestamps a topic accepts around the broker's clock (Kafka's KIP-937,
 * {@code LogValidator.validateTimestamp}): a CreateTime record more than
 * {@code message.timestamp.before.max.ms} before now or more than
 * {@code message.timestamp.after.max.ms} after it is refused with INVALID_TIMESTAMP. A LogAppendTime
 * topic overwrites every timestamp with the append time, so it has no window.
 *
 * <p>"Now" is the appending node's clock, the clock that stamps LogAppendTime records and records
 * sent without a timestamp, as a Kafka broker validates against its own clock.
 */
record TimestampBounds(long beforeMaxMs, long afterMaxMs) {
  private static final TimestampBounds NONE = new TimestampBounds(Long.MAX_VALUE, Long.MAX_VALUE);

  static TimestampBounds of(Topic topic) {
    if (topic.logAppendTime()) {
      return NONE;
    }
    return new TimestampBounds(
        Long.parseLong(topic.config(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS)),
        Long.parseLong(topic.config(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS)));
  }

  /**
   * Refuses record {@code index}'s {@code timestamp} (not negative) when it lies outside the window
   * around {@code now}. Neither difference overflows: both times are at least 0.
   */
  void check(long timestamp, long now, int index) {
    long behind = now - timestamp;
    if (behind > beforeMaxMs) {
      throw refused(
          index,
          timestamp,
          now,
          behind + " ms before",
          TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS,
          beforeMaxMs);
    }
    if (-behind > afterMaxMs) {
      throw refused(
          index,
          timestamp,
          now,
          -behind + " ms after",
          TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS,
          afterMaxMs);
    }
  }

  private static BrokerException refused(
      int index, long timestamp, long now, String distance, TopicConfig bound, long limit) {
    return new BrokerException(
        BrokerError.INVALID_TIMESTAMP,
        "Record " + index + " has timestamp " + timestamp
            + ", " + distance + " the broker's time " + now + ": out of range for the topic's "
            + bound.kafkaName()
            + "=" + limit + ". Nothing was written.");
  }
}

package io.rowstream.topic;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.util.function.Function;

/**
 * Kafka's check across configs ({@code LogConfig.validateValues}): a record may not have to wait
 * longer before compaction than it may wait at most, so {@code min.compaction.lag.ms} is at most
 * {@code max.compaction.lag.ms}, both as they resolve (override, cluster default, built-in).
 */
final class ConfigConsistency {
  private ConfigConsistency() {}

  /** INVALID_CONFIG, with Kafka's message, when the configs as {@code valueOf} resolves them conflict. */
  static void require(Function<TopicConfig, String> valueOf) {
    long min = Long.parseLong(valueOf.apply(TopicConfig.MIN_COMPACTION_LAG_MS));
    long max = Long.parseLong(valueOf.apply(TopicConfig.MAX_COMPACTION_LAG_MS));
    if (min > max) {
      throw new BrokerException(
          BrokerError.INVALID_CONFIG,
          "conflict topic config setting "
              + TopicConfig.MIN_COMPACTION_LAG_MS.kafkaName() + " (" + min + ") > "
              + TopicConfig.MAX_COMPACTION_LAG_MS.kafkaName() + " (" + max + ")");
    }
  }
}

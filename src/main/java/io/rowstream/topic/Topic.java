package io.rowstream.topic;

import java.util.Map;

/**
 * A topic as stored: its id, name, partition count and config overrides (Kafka names).
 */
public record Topic(long id, String name, int partitionCount, int replicationFactor, Map<String, String> overrides) {

  public Topic {
    overrides = Map.copyOf(overrides);
  }

  /** The effective value: the topic's override, else the broker default. */
  public String config(TopicConfig config) {
    return overrides.getOrDefault(config.kafkaName(), config.defaultValue());
  }

  public boolean isOverridden(TopicConfig config) {
    return overrides.containsKey(config.kafkaName());
  }

  public int maxMessageBytes() {
    return Integer.parseInt(config(TopicConfig.MAX_MESSAGE_BYTES));
  }

  public long segmentBytes() {
    return Long.parseLong(config(TopicConfig.SEGMENT_BYTES));
  }

  public long segmentMs() {
    return Long.parseLong(config(TopicConfig.SEGMENT_MS));
  }

  public boolean logAppendTime() {
    return config(TopicConfig.MESSAGE_TIMESTAMP_TYPE).equals("LogAppendTime");
  }

  public boolean hasPartition(int partition) {
    return partition >= 0 && partition < partitionCount;
  }
}

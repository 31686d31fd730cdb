package io.rowstream.topic;

/**
 * How many partitions one topic may have ({@code ROWSTREAM_MAX_PARTITIONS_PER_TOPIC}), and all
 * topics of the cluster together ({@code ROWSTREAM_MAX_PARTITIONS}). A request beyond the first is
 * INVALID_PARTITIONS, beyond the second POLICY_VIOLATION; either writes nothing.
 */
public record PartitionLimits(int perTopic, int perCluster) {
  public PartitionLimits {
    if (perTopic < 1 || perCluster < perTopic) {
      throw new IllegalArgumentException("partition limits need 1 <= per topic <= per cluster, got "
          + perTopic + " and " + perCluster);
    }
  }
}

package io.rowstream.consumer;

import io.rowstream.log.PartitionKey;

/** A partition assigned to a consumer instance and its position (null until first set or reset). */
public record AssignedPartition(long topicId, String topic, int partition, Long position) {
  public PartitionKey key() {
    return new PartitionKey(topicId, partition);
  }
}

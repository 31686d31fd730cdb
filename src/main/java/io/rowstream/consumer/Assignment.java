package io.rowstream.consumer;

import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;

/**
 * One assigned partition of an instance, with its position and the partition's log range when
 * read.
 *
 * @param position next offset to fetch; null until a seek, the committed offset or auto.offset.reset sets it
 * @param generation group generation that gave the partition; null for a manual assignment
 */
record Assignment(
    TopicPartition partition,
    PartitionKey key,
    Long position,
    long logStartOffset,
    long logEndOffset,
    Integer generation) {

  /** Whether the position is set and inside [log start, log end]. */
  boolean hasValidPosition() {
    return position != null && position >= logStartOffset && position <= logEndOffset;
  }
}

package io.rowstream.consumer;

import io.rowstream.log.PartitionKey;

/**
 * One assigned partition of an instance, with its position and the partition's log range when
 * read.
 *
 * @param position next offset to fetch; null until a seek or auto.offset.reset sets it
 */
record Assignment(TopicPartition partition, PartitionKey key, Long position, long logStartOffset, long logEndOffset) {

  /** Whether the position is set and inside [log start, log end]. */
  boolean hasValidPosition() {
    return position != null && position >= logStartOffset && position <= logEndOffset;
  }
}

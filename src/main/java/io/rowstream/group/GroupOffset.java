package io.rowstream.group;

import io.rowstream.log.PartitionKey;

/**
 * An offset of the group in a partition, to commit or as committed: the next offset to read
 * (Kafka convention), with the client's metadata ({@code ""} when none) and the leader epoch of
 * the last record consumed before it (Kafka's committed leader epoch; null when not known).
 */
public record GroupOffset(PartitionKey key, long offset, String metadata, Integer leaderEpoch) {

  /** An offset committed without a leader epoch (an HTTP commit). */
  public GroupOffset(PartitionKey key, long offset, String metadata) {
    this(key, offset, metadata, null);
  }
}

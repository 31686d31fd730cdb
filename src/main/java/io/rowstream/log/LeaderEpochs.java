package io.rowstream.log;

/**
 * The leader epoch this node believes a partition has. Every append carries it, and
 * {@code append_chunks} refuses the append when the partition's epoch has moved on (fencing).
 */
public interface LeaderEpochs {
  /** The epoch appends to {@code key} are made under; null: not checked. */
  Integer epoch(PartitionKey key);

  /** An append under this node's epoch was refused: forget it and read it again. */
  void stale(PartitionKey key);
}

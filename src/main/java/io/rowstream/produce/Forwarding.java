package io.rowstream.produce;

import io.rowstream.log.AppendResult;
import io.rowstream.log.LogRecord;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.ProducerBatch;
import io.rowstream.topic.Topic;
import java.util.List;
import java.util.Optional;

/**
 * How a produce that reaches a node which does not lead a partition gets to the leader, so that
 * the leader orders and batches (group commit) each partition's appends.
 */
public interface Forwarding {
  /** The base URL of the partition's leader when another live node leads it; empty: append here. */
  Optional<String> leaderElsewhere(PartitionKey key);

  /**
   * Appends one partition's records on the leader at {@code leaderUrl} (as an idempotent
   * producer's when {@code producer} is not null). Throws {@link
   * LeaderUnreachable} when the leader could not be reached at all (nothing was sent), and the
   * {@link io.rowstream.error.BrokerException} the leader answered with otherwise.
   */
  AppendResult forward(
      String leaderUrl, Topic topic, int partition, List<LogRecord> records, ProducerBatch producer)
      throws LeaderUnreachable;

  /** The leader did not accept a connection: the request never reached it. */
  final class LeaderUnreachable extends Exception {
    public LeaderUnreachable(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }
}

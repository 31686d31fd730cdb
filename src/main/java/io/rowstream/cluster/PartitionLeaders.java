package io.rowstream.cluster;

import io.rowstream.topic.PartitionState;
import java.util.List;

/**
 * Who leads each partition and which replicas it has, as metadata reports it.
 *
 * <p>Interim rule, until a controller assigns leadership: a partition whose row names a
 * {@code leader_node_id} is led by that broker; otherwise by a deterministic live broker, the
 * {@code partition % n}-th of the live brokers sorted by id. Either way the partition has one
 * replica, that broker, leader and in sync: every node reads and writes the same PostgreSQL, so
 * there is no copy to lag behind. With no live broker and no assigned leader, the leader is -1
 * (Kafka's "none") and there are no replicas. The controller replaces this class.
 */
public final class PartitionLeaders {
  public static final int NO_LEADER = -1;

  /** A replica of a partition on one broker. */
  public record Replica(int broker, boolean leader, boolean inSync) {}

  /** A partition's leader ({@link #NO_LEADER} when none) and replicas. */
  public record Leadership(int partition, int leader, List<Replica> replicas) {}

  private final BrokerRegistry brokers;

  public PartitionLeaders(BrokerRegistry brokers) {
    this.brokers = brokers;
  }

  /** Leadership of each partition, in the order given; one look at the broker table for all. */
  public List<Leadership> of(List<PartitionState> partitions) {
    List<Integer> live = brokers.liveBrokers().stream().map(BrokerInfo::nodeId).sorted().toList();
    return partitions.stream().map(p -> leadership(p, live)).toList();
  }

  public Leadership of(PartitionState partition) {
    return of(List.of(partition)).getFirst();
  }

  private static Leadership leadership(PartitionState p, List<Integer> liveSorted) {
    int leader;
    if (p.leaderNodeId() != null) {
      leader = p.leaderNodeId();
    } else if (!liveSorted.isEmpty()) {
      leader = liveSorted.get(p.partition() % liveSorted.size());
    } else {
      return new Leadership(p.partition(), NO_LEADER, List.of());
    }
    return new Leadership(p.partition(), leader, List.of(new Replica(leader, true, true)));
  }
}

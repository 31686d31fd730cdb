package io.rowstream.cluster;

import io.rowstream.db.Transactions;
import io.rowstream.topic.PartitionState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who leads each partition and which replicas it has, as metadata reports it: the leader from
 * the partition's row, the replicas from the {@code replica_state} rows the controller keeps (a
 * replica per registered broker, by id; {@code in_sync} for the leader and live followers: every
 * node reads and writes the same PostgreSQL, so a live follower has nothing to catch up on). A
 * partition the controller has not reached yet reports its row's leader as its only replica, or
 * {@link #NO_LEADER} (Kafka's "none") and no replicas when it has none.
 */
public final class PartitionLeaders {
  public static final int NO_LEADER = -1;

  /** A replica of a partition on one broker. */
  public record Replica(int broker, boolean leader, boolean inSync) {}

  /** A partition's leader ({@link #NO_LEADER} when none) and replicas. */
  public record Leadership(int partition, int leader, List<Replica> replicas) {}

  /** A replica of one partition of a topic. */
  public record TopicReplica(String topic, int partition, Replica replica) {}

  /**
   * A partition whose replica set is changing: {@code adding} are registered brokers the controller
   * has not recorded a replica of it on yet (a broker that just registered, a partition just
   * created). Rowstream never removes a replica (a broker that stops stays an offline replica), so
   * {@code removing} is empty.
   */
  public record Reassignment(
      String topic, int partition, List<Integer> adding, List<Integer> removing) {}

  private final ReplicaStore store;

  public PartitionLeaders(Transactions transactions) {
    this.store = new ReplicaStore(transactions.autocommit());
  }

  /** Leadership of each partition (all of one topic), in the order given; one query for all. */
  public List<Leadership> of(List<PartitionState> partitions) {
    if (partitions.isEmpty()) {
      return List.of();
    }
    Set<Integer> ids =
        partitions.stream().map(PartitionState::partition).collect(Collectors.toSet());
    Map<Integer, List<Replica>> replicas = store.replicas(partitions.getFirst().topicId(), ids);
    return partitions.stream()
        .map(p -> leadership(p, replicas.getOrDefault(p.partition(), List.of())))
        .toList();
  }

  /**
   * Leadership of the partitions of several topics ({@code partitionsByTopic}, each topic's in the
   * order given), by topic id: two queries in all (the caller's of the partitions, and one of every
   * replica), however many topics, as Kafka's Metadata for all topics asks.
   */
  public Map<Long, List<Leadership>> ofTopics(Map<Long, List<PartitionState>> partitionsByTopic) {
    Map<Long, Map<Integer, List<Replica>>> replicas = store.allReplicas();
    Map<Long, List<Leadership>> byTopic = new HashMap<>();
    partitionsByTopic.forEach((topicId, partitions) -> {
      Map<Integer, List<Replica>> ofTopic = replicas.getOrDefault(topicId, Map.of());
      byTopic.put(
          topicId,
          partitions.stream()
              .map(p -> leadership(p, ofTopic.getOrDefault(p.partition(), List.of())))
              .toList());
    });
    return byTopic;
  }

  public Leadership of(PartitionState partition) {
    return of(List.of(partition)).getFirst();
  }

  /** Every replica on the broker, by topic and partition. */
  public List<TopicReplica> onBroker(int broker) {
    return store.onBroker(broker);
  }

  /** Partitions whose replica set is changing, of every topic ({@code topic} null) or of one; by topic and partition. */
  public List<Reassignment> reassignments(String topic) {
    return store.reassignments(topic);
  }

  static Replica replica(int broker, String state) {
    return new Replica(broker, "leader".equals(state), !"offline".equals(state));
  }

  private static Leadership leadership(PartitionState p, List<Replica> replicas) {
    if (p.leaderNodeId() == null) {
      return new Leadership(p.partition(), NO_LEADER, replicas);
    }
    if (replicas.isEmpty()) {
      replicas = List.of(new Replica(p.leaderNodeId(), true, true));
    }
    return new Leadership(p.partition(), p.leaderNodeId(), replicas);
  }
}

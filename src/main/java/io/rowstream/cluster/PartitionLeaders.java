package io.rowstream.cluster;

import static io.rowstream.db.schema.Tables.REPLICA_STATE;

import io.rowstream.topic.PartitionState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;

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

  private final DSLContext dsl;

  public PartitionLeaders(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Leadership of each partition (all of one topic), in the order given; one query for all. */
  public List<Leadership> of(List<PartitionState> partitions) {
    if (partitions.isEmpty()) {
      return List.of();
    }
    Set<Integer> ids = partitions.stream().map(PartitionState::partition).collect(Collectors.toSet());
    Map<Integer, List<Replica>> replicas = new HashMap<>();
    dsl.select(REPLICA_STATE.PARTITION_ID, REPLICA_STATE.NODE_ID, REPLICA_STATE.STATE)
        .from(REPLICA_STATE)
        .where(REPLICA_STATE.TOPIC_ID.eq(partitions.getFirst().topicId()), REPLICA_STATE.PARTITION_ID.in(ids))
        .orderBy(REPLICA_STATE.PARTITION_ID, REPLICA_STATE.NODE_ID)
        .forEach(r -> replicas.computeIfAbsent(r.value1(), p -> new ArrayList<>())
            .add(new Replica(r.value2(), "leader".equals(r.value3()), !"offline".equals(r.value3()))));
    return partitions.stream().map(p -> leadership(p, replicas.getOrDefault(p.partition(), List.of()))).toList();
  }

  public Leadership of(PartitionState partition) {
    return of(List.of(partition)).getFirst();
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

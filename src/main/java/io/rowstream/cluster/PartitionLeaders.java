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

  /** A replica of one partition of a topic. */
  public record TopicReplica(String topic, int partition, Replica replica) {}

  /**
   * A partition whose replica set is changing: {@code adding} are registered brokers the controller
   * has not recorded a replica of it on yet (a broker that just registered, a partition just
   * created). Rowstream never removes a replica (a broker that stops stays an offline replica), so
   * {@code removing} is empty.
   */
  public record Reassignment(String topic, int partition, List<Integer> adding, List<Integer> removing) {}

  /**
   * The replicas a broker holds, as {@link #of} reports them: its {@code replica_state} rows, and
   * the partitions it leads that the controller has not reached yet.
   */
  private static final String ON_BROKER = """
      select t.name, p.partition_id, coalesce(r.state, 'leader')
        from topic_partition p
        join topic t using (topic_id)
        left join replica_state r
          on r.topic_id = p.topic_id and r.partition_id = p.partition_id and r.node_id = ?
       where r.node_id is not null
          or (p.leader_node_id = ? and not exists (select 1 from replica_state x
                where x.topic_id = p.topic_id and x.partition_id = p.partition_id))
       order by t.name, p.partition_id""";

  /** Registered brokers without a replica of a partition yet (its leader counts as one: {@link #of}). */
  private static final String ADDING = """
      select t.name, p.partition_id, array_agg(b.node_id order by b.node_id)
        from topic_partition p
        join topic t using (topic_id)
        cross join broker b
       where b.node_id is distinct from p.leader_node_id
         and not exists (select 1 from replica_state r
               where r.topic_id = p.topic_id and r.partition_id = p.partition_id and r.node_id = b.node_id)
         and (?::text is null or t.name = ?)
       group by t.name, p.partition_id
       order by t.name, p.partition_id""";

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
            .add(replica(r.value2(), r.value3())));
    return partitions.stream().map(p -> leadership(p, replicas.getOrDefault(p.partition(), List.of()))).toList();
  }

  public Leadership of(PartitionState partition) {
    return of(List.of(partition)).getFirst();
  }

  /** Every replica on the broker, by topic and partition. */
  public List<TopicReplica> onBroker(int broker) {
    return dsl.resultQuery(ON_BROKER, broker, broker).fetch(r -> new TopicReplica(r.get(0, String.class),
        r.get(1, Integer.class), replica(broker, r.get(2, String.class))));
  }

  /** Partitions whose replica set is changing, of every topic ({@code topic} null) or of one; by topic and partition. */
  public List<Reassignment> reassignments(String topic) {
    return dsl.resultQuery(ADDING, topic, topic).fetch(r -> new Reassignment(r.get(0, String.class),
        r.get(1, Integer.class), List.of(r.get(2, Integer[].class)), List.of()));
  }

  private static Replica replica(int broker, String state) {
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

package io.rowstream.cluster;

import static io.rowstream.db.schema.Tables.REPLICA_STATE;

import io.rowstream.cluster.PartitionLeaders.Reassignment;
import io.rowstream.cluster.PartitionLeaders.Replica;
import io.rowstream.cluster.PartitionLeaders.TopicReplica;
import io.rowstream.db.Tx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The reads of {@link PartitionLeaders} on the {@code replica_state} rows the controller keeps
 * ({@link ControllerStore} writes them), with their partitions, topics and brokers.
 */
final class ReplicaStore {
  /**
   * The replicas a broker holds, as {@link PartitionLeaders#of} reports them: its
   * {@code replica_state} rows, and the partitions it leads that the controller has not reached yet.
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

  /**
   * Registered brokers without a replica of a partition yet (its leader counts as one:
   * {@link PartitionLeaders#of}).
   */
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

  ReplicaStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** The recorded replicas of some partitions of a topic, by partition, each by broker id. */
  Map<Integer, List<Replica>> replicas(long topicId, Set<Integer> partitions) {
    Map<Integer, List<Replica>> replicas = new HashMap<>();
    dsl.select(REPLICA_STATE.PARTITION_ID, REPLICA_STATE.NODE_ID, REPLICA_STATE.STATE)
        .from(REPLICA_STATE)
        .where(
            REPLICA_STATE.TOPIC_ID.eq(topicId),
            // one array parameter, not one per partition (a topic may have 10,000 and more)
            REPLICA_STATE.PARTITION_ID.eq(DSL.any(partitions.toArray(Integer[]::new))))
        .orderBy(REPLICA_STATE.PARTITION_ID, REPLICA_STATE.NODE_ID)
        .forEach(r -> replicas
            .computeIfAbsent(r.value1(), p -> new ArrayList<>())
            .add(PartitionLeaders.replica(r.value2(), r.value3())));
    return replicas;
  }

  /** The replicas of every partition of every topic, by topic then partition: one query. */
  Map<Long, Map<Integer, List<Replica>>> allReplicas() {
    Map<Long, Map<Integer, List<Replica>>> replicas = new HashMap<>();
    dsl.select(
            REPLICA_STATE.TOPIC_ID,
            REPLICA_STATE.PARTITION_ID,
            REPLICA_STATE.NODE_ID,
            REPLICA_STATE.STATE)
        .from(REPLICA_STATE)
        .orderBy(REPLICA_STATE.TOPIC_ID, REPLICA_STATE.PARTITION_ID, REPLICA_STATE.NODE_ID)
        .forEach(r -> replicas
            .computeIfAbsent(r.value1(), t -> new HashMap<>())
            .computeIfAbsent(r.value2(), p -> new ArrayList<>())
            .add(PartitionLeaders.replica(r.value3(), r.value4())));
    return replicas;
  }

  /** Every replica on the broker, by topic and partition. */
  List<TopicReplica> onBroker(int broker) {
    return dsl.resultQuery(ON_BROKER, broker, broker)
        .fetch(r -> new TopicReplica(
            r.get(0, String.class),
            r.get(1, Integer.class),
            PartitionLeaders.replica(broker, r.get(2, String.class))));
  }

  /** Partitions whose replica set is changing, of every topic ({@code topic} null) or of one; by topic and partition. */
  List<Reassignment> reassignments(String topic) {
    return dsl.resultQuery(ADDING, topic, topic)
        .fetch(r -> new Reassignment(
            r.get(0, String.class),
            r.get(1, Integer.class),
            List.of(r.get(2, Integer[].class)),
            List.of()));
  }
}

package io.rowstream.cluster;

import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import java.time.Duration;
import java.util.List;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * All SQL on the {@code controller} and {@code replica_state} tables, run on the controller's
 * session (the one that holds the controller lock, {@link AdvisoryLocks#CONTROLLER}), in the
 * transaction its caller opened there (the {@link Tx} it passes). {@link Controller} decides; this writes.
 */
final class ControllerStore {
  private static final String LIVE_NODES = """
      select b.node_id
        from broker b
       where b.lease_expires_at > now()
         and exists (select 1 from pg_locks l
                      where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                        and l.database = (select oid from pg_database where datname = current_database())
                        and l.classid::bigint = ? and l.objid::bigint = b.node_id)
       order by b.node_id""";
  /** Every (partition, registered broker): leader, follower when live, else offline; rows only change when they differ. */
  private static final String REPLICA_STATES = """
      insert into replica_state (topic_id, partition_id, node_id, state, leader_epoch)
      select p.topic_id, p.partition_id, b.node_id,
             case when p.leader_node_id = b.node_id and b.node_id = any(?::int[]) then 'leader'
                  when b.node_id = any(?::int[]) then 'follower'
                  else 'offline' end,
             p.leader_epoch
        from topic_partition p cross join broker b
      on conflict (topic_id, partition_id, node_id) do update
         set state = excluded.state, leader_epoch = excluded.leader_epoch, changed_at = now()
       where (replica_state.state, replica_state.leader_epoch) is distinct from (excluded.state, excluded.leader_epoch)""";

  private ControllerStore() {}

  /** Takes the controller row for {@code nodeId}, bumping the controller epoch; returns the new epoch. */
  static int elect(Tx tx, int nodeId, Duration lease) {
    return tx.dsl().resultQuery("""
        insert into controller (node_id, controller_epoch, lease_expires_at)
        values (?, 1, now() + ? * interval '1 millisecond')
        on conflict (singleton) do update
           set node_id = excluded.node_id, controller_epoch = controller.controller_epoch + 1,
               elected_at = now(), renewed_at = now(), lease_expires_at = excluded.lease_expires_at
        returning controller_epoch""", nodeId, lease.toMillis()).fetchSingle().get(0, Integer.class);
  }

  /**
   * A controller that holds the lock but let its lease lapse is paused or cut off: its session is
   * terminated, which frees the lock for the next election (and fails whatever it writes next).
   * Returns the node ids of the sessions terminated.
   */
  static List<Integer> terminateHoldersOfLapsedRole(Tx tx) {
    return tx.dsl()
        .resultQuery("""
        select pg_terminate_backend(l.pid), c.node_id
          from controller c, pg_locks l
         where c.lease_expires_at < now() and l.locktype = 'advisory' and l.granted and l.objsubid = 1
           and l.database = (select oid from pg_database where datname = current_database())
           and l.classid::bigint = ? and l.objid::bigint = ? and l.pid <> pg_backend_pid()""", AdvisoryLocks.CONTROLLER >>> 32, AdvisoryLocks.CONTROLLER & 0xffff_ffffL)
        .fetch(1, Integer.class);
  }

  /** Ends the lease of controller {@code nodeId} in {@code epoch} now (clean shutdown). */
  static void endLease(Tx tx, int nodeId, int epoch) {
    tx.dsl()
        .execute(
            "update controller set lease_expires_at = now() where node_id = ? and controller_epoch = ?",
            nodeId,
            epoch);
  }

  /** Renews the lease of controller {@code nodeId} in {@code epoch}; false when the row is no longer its. */
  static boolean renew(Tx tx, int nodeId, int epoch, Duration lease) {
    return tx.dsl().execute("""
        update controller set renewed_at = now(), lease_expires_at = now() + ? * interval '1 millisecond'
         where node_id = ? and controller_epoch = ?""", lease.toMillis(), nodeId, epoch) == 1;
  }

  /** Nodes whose lease is current and whose node lock is held, by id. */
  static List<Integer> liveNodes(Tx tx) {
    return tx.dsl().resultQuery(LIVE_NODES, AdvisoryLocks.NODE_CLASS).fetch(0, Integer.class);
  }

  /**
   * What tells the controller the set of partitions changed: topics counted, their partitions
   * summed, and the newest topic id (a topic deleted and another created shows there).
   */
  record TopicsVersion(long topics, long partitions, long newestTopicId) {}

  /** The {@link TopicsVersion} now: one row from the small {@code topic} table. */
  static TopicsVersion topicsVersion(Tx tx) {
    return tx.dsl()
        .resultQuery(
            "select count(*), coalesce(sum(partition_count), 0), coalesce(max(topic_id), 0)"
                + " from topic")
        .fetchSingle(r ->
            new TopicsVersion(r.get(0, Long.class), r.get(1, Long.class), r.get(2, Long.class)));
  }

  /** Every partition and its leader. */
  static List<LeaderAssignment.Current> partitions(Tx tx) {
    return tx.dsl()
        .resultQuery("select topic_id, partition_id, leader_node_id from topic_partition")
        .fetch(r -> new LeaderAssignment.Current(
            new PartitionKey(r.get(0, Long.class), r.get(1, Integer.class)),
            r.get(2, Integer.class)));
  }

  /** Tells every node that leaderships changed: they re-read them when the version moves. */
  static void bumpAssignmentVersion(Tx tx) {
    tx.dsl().execute("update controller set assignment_version = assignment_version + 1");
  }

  /** The version {@link #bumpAssignmentVersion} moves; 0 before any controller. */
  static long assignmentVersion(Tx tx) {
    return tx.dsl()
        .resultQuery("select assignment_version from controller")
        .fetchOptional(0, Long.class)
        .orElse(0L);
  }

  /** Rewrites the replica state of every (partition, registered broker) that changed. */
  static void recordReplicaStates(Tx tx, List<Integer> live) {
    var liveArray = DSL.val(live.toArray(Integer[]::new), SQLDataType.INTEGER.array());
    tx.dsl().execute(REPLICA_STATES, liveArray, liveArray);
  }
}

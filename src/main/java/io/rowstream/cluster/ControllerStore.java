package io.rowstream.cluster;

import io.rowstream.db.AdvisoryLocks;
import io.rowstream.log.PartitionKey;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * All SQL on the {@code controller} and {@code replica_state} tables, run on the controller's
 * session connection (the one that holds the controller lock, {@link AdvisoryLocks#CONTROLLER}),
 * in the transaction its caller opened there. {@link Controller} decides; this writes.
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
  static int elect(Connection session, int nodeId, Duration lease) throws SQLException {
    try (PreparedStatement ps = session.prepareStatement("""
        insert into controller (node_id, controller_epoch, lease_expires_at)
        values (?, 1, now() + ? * interval '1 millisecond')
        on conflict (singleton) do update
           set node_id = excluded.node_id, controller_epoch = controller.controller_epoch + 1,
               elected_at = now(), renewed_at = now(), lease_expires_at = excluded.lease_expires_at
        returning controller_epoch""")) {
      ps.setInt(1, nodeId);
      ps.setLong(2, lease.toMillis());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * A controller that holds the lock but let its lease lapse is paused or cut off: its session is
   * terminated, which frees the lock for the next election (and fails whatever it writes next).
   * Returns the node ids of the sessions terminated.
   */
  static List<Integer> terminateHoldersOfLapsedRole(Connection session) throws SQLException {
    List<Integer> terminated = new ArrayList<>();
    try (PreparedStatement ps = session.prepareStatement("""
        select pg_terminate_backend(l.pid), c.node_id
          from controller c, pg_locks l
         where c.lease_expires_at < now() and l.locktype = 'advisory' and l.granted and l.objsubid = 1
           and l.database = (select oid from pg_database where datname = current_database())
           and l.classid::bigint = ? and l.objid::bigint = ? and l.pid <> pg_backend_pid()""")) {
      ps.setLong(1, AdvisoryLocks.CONTROLLER >>> 32);
      ps.setLong(2, AdvisoryLocks.CONTROLLER & 0xffff_ffffL);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          terminated.add(rs.getInt(2));
        }
      }
    }
    return terminated;
  }

  /** Ends the lease of controller {@code nodeId} in {@code epoch} now (clean shutdown). */
  static void endLease(Connection session, int nodeId, int epoch) throws SQLException {
    try (PreparedStatement ps = session.prepareStatement(
        "update controller set lease_expires_at = now() where node_id = ? and controller_epoch = ?")) {
      ps.setInt(1, nodeId);
      ps.setInt(2, epoch);
      ps.executeUpdate();
    }
  }

  /** Renews the lease of controller {@code nodeId} in {@code epoch}; false when the row is no longer its. */
  static boolean renew(Connection session, int nodeId, int epoch, Duration lease)
      throws SQLException {
    try (PreparedStatement ps = session.prepareStatement("""
        update controller set renewed_at = now(), lease_expires_at = now() + ? * interval '1 millisecond'
         where node_id = ? and controller_epoch = ?""")) {
      ps.setLong(1, lease.toMillis());
      ps.setInt(2, nodeId);
      ps.setInt(3, epoch);
      return ps.executeUpdate() == 1;
    }
  }

  /** Nodes whose lease is current and whose node lock is held, by id. */
  static List<Integer> liveNodes(Connection session) throws SQLException {
    List<Integer> live = new ArrayList<>();
    try (PreparedStatement ps = session.prepareStatement(LIVE_NODES)) {
      ps.setLong(1, AdvisoryLocks.NODE_CLASS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          live.add(rs.getInt(1));
        }
      }
    }
    return live;
  }

  /** Every partition and its leader. */
  static List<LeaderAssignment.Current> partitions(Connection session) throws SQLException {
    List<LeaderAssignment.Current> out = new ArrayList<>();
    try (PreparedStatement ps = session.prepareStatement(
            "select topic_id, partition_id, leader_node_id from topic_partition");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new LeaderAssignment.Current(
            new PartitionKey(rs.getLong(1), rs.getInt(2)), (Integer) rs.getObject(3)));
      }
    }
    return out;
  }

  /** Tells every node that leaderships changed: they re-read them when the version moves. */
  static void bumpAssignmentVersion(Connection session) throws SQLException {
    try (PreparedStatement ps = session.prepareStatement(
        "update controller set assignment_version = assignment_version + 1")) {
      ps.executeUpdate();
    }
  }

  /** The version {@link #bumpAssignmentVersion} moves; 0 before any controller. */
  static long assignmentVersion(Connection session) throws SQLException {
    try (PreparedStatement ps =
            session.prepareStatement("select assignment_version from controller");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Rewrites the replica state of every (partition, registered broker) that changed. */
  static void recordReplicaStates(Connection session, List<Integer> live) throws SQLException {
    Array liveArray = session.createArrayOf("int4", live.toArray(Integer[]::new));
    try (PreparedStatement ps = session.prepareStatement(REPLICA_STATES)) {
      ps.setArray(1, liveArray);
      ps.setArray(2, liveArray);
      ps.executeUpdate();
    }
  }
}

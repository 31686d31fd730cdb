package io.rowstream.cluster;

import io.rowstream.db.AdvisoryLock;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.log.PartitionKey;
import io.rowstream.topic.TopicStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller role, run on a node's session connection (see {@link ClusterNode}): the role is
 * the session advisory lock {@link AdvisoryLocks#CONTROLLER} on that very connection, so every write a
 * controller makes goes through the connection that holds the lock, and a controller whose
 * connection died cannot write anything. The {@code controller} row shows the role in SQL.
 *
 * <p>Each pass, in one transaction: renew the row, read which nodes are live (lease current and
 * node lock held), give orphaned partitions a live leader and rebalance ({@link LeaderAssignment}),
 * bump the leader epoch of each partition that changes leader, and record replica states.
 */
final class Controller {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  private static final AdvisoryLock LOCK = AdvisoryLocks.controller();

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

  private final int nodeId;
  private final Duration lease;
  private int epoch;
  /** What the last pass saw, so that replica states are rewritten only when something changed. */
  private List<Integer> lastLive = List.of();
  private long lastPartitions = -1;

  Controller(int nodeId, Duration lease) {
    this.nodeId = nodeId;
    this.lease = lease;
  }

  /** Tries to take the role on {@code session}; true when this node now holds it. */
  boolean tryElect(Connection session) throws SQLException {
    if (!LOCK.tryLock(session)) {
      terminateHolderOfLapsedRole(session);
      return false;
    }
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
        epoch = rs.getInt(1);
      }
    }
    lastLive = List.of();
    lastPartitions = -1;
    LOG.info("controller elected nodeId={} controllerEpoch={}", nodeId, epoch);
    return true;
  }

  /**
   * A controller that holds the lock but let its lease lapse is paused or cut off: its session is
   * terminated, which frees the lock for the next election (and fails whatever it writes next).
   */
  private void terminateHolderOfLapsedRole(Connection session) throws SQLException {
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
          LOG.warn("terminated the session of a controller whose lease lapsed nodeId={}", rs.getInt(2));
        }
      }
    }
  }

  /** Gives up the role (clean shutdown): the lease ends now and the lock is released. */
  void resign(Connection session) throws SQLException {
    try (PreparedStatement ps = session.prepareStatement(
        "update controller set lease_expires_at = now() where node_id = ? and controller_epoch = ?")) {
      ps.setInt(1, nodeId);
      ps.setInt(2, epoch);
      ps.executeUpdate();
    }
    LOCK.unlock(session);
  }

  /**
   * One pass, in one transaction on the session that holds the lock. Returns false when the row
   * is no longer this controller's (it lost the role), in which case nothing was changed.
   */
  boolean pass(Connection session) throws SQLException {
    session.setAutoCommit(false);
    try {
      if (!renew(session)) {
        session.rollback();
        return false;
      }
      List<Integer> live = liveNodes(session);
      List<LeaderAssignment.Current> partitions = partitions(session);
      Map<PartitionKey, Integer> changes = LeaderAssignment.changes(partitions, live);
      if (!changes.isEmpty()) {
        move(session, changes);
        LOG.info("controller moved leadership partitions={} liveNodes={}", changes.size(), live);
      }
      if (!changes.isEmpty() || !live.equals(lastLive) || partitions.size() != lastPartitions) {
        recordReplicaStates(session, live);
        lastLive = live;
        lastPartitions = partitions.size();
      }
      session.commit();
      return true;
    } catch (SQLException | RuntimeException e) {
      lastPartitions = -1;
      rollbackQuietly(session);
      throw e;
    } finally {
      session.setAutoCommit(true);
    }
  }

  private boolean renew(Connection session) throws SQLException {
    try (PreparedStatement ps = session.prepareStatement("""
        update controller set renewed_at = now(), lease_expires_at = now() + ? * interval '1 millisecond'
         where node_id = ? and controller_epoch = ?""")) {
      ps.setLong(1, lease.toMillis());
      ps.setInt(2, nodeId);
      ps.setInt(3, epoch);
      return ps.executeUpdate() == 1;
    }
  }

  private static List<Integer> liveNodes(Connection session) throws SQLException {
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

  private static List<LeaderAssignment.Current> partitions(Connection session) throws SQLException {
    List<LeaderAssignment.Current> out = new ArrayList<>();
    try (PreparedStatement ps = session.prepareStatement(
        "select topic_id, partition_id, leader_node_id from topic_partition");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new LeaderAssignment.Current(new PartitionKey(rs.getLong(1), rs.getInt(2)),
            (Integer) rs.getObject(3)));
      }
    }
    return out;
  }

  private static void move(Connection session, Map<PartitionKey, Integer> changes) throws SQLException {
    new TopicStore(DSL.using(session, SQLDialect.POSTGRES)).moveLeaders(changes.entrySet().stream()
        .map(c -> new TopicStore.LeaderMove(c.getKey().topicId(), c.getKey().partition(), c.getValue()))
        .toList());
    try (PreparedStatement ps = session.prepareStatement(
        "update controller set assignment_version = assignment_version + 1")) {
      ps.executeUpdate();
    }
  }

  private static void recordReplicaStates(Connection session, List<Integer> live) throws SQLException {
    Array liveArray = session.createArrayOf("int4", live.toArray(Integer[]::new));
    try (PreparedStatement ps = session.prepareStatement(REPLICA_STATES)) {
      ps.setArray(1, liveArray);
      ps.setArray(2, liveArray);
      ps.executeUpdate();
    }
  }

  private static void rollbackQuietly(Connection session) {
    try {
      if (!session.isClosed()) {
        session.rollback();
      }
    } catch (SQLException e) {
      LOG.debug("rollback failed error={}", e.getMessage());
    }
  }

}

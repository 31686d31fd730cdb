package io.rowstream.cluster;

import io.rowstream.db.AdvisoryLock;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Session;
import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import io.rowstream.topic.TopicStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller role, run on a node's cluster {@link Session} (see {@link ClusterNode}): the role
 * is the session advisory lock {@link AdvisoryLocks#CONTROLLER} on that very session, so every
 * write a controller makes goes through the session that holds the lock, and a controller whose
 * session died cannot write anything. The {@code controller} row shows the role in SQL; its SQL
 * and that of {@code replica_state} is {@link ControllerStore}'s.
 *
 * <p>Each pass, in one transaction: renew the row, read which nodes are live (lease current and
 * node lock held), give orphaned partitions a live leader and rebalance ({@link LeaderAssignment}),
 * bump the leader epoch of each partition that changes leader, and record replica states.
 */
final class Controller {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  private static final AdvisoryLock LOCK = AdvisoryLocks.controller();

  private final int nodeId;
  private final Duration lease;
  private int epoch;
  /**
   * How often a pass reads every partition even though neither the live nodes nor the topics
   * changed: a safety net only, as nothing else moves leaders.
   */
  static final Duration FULL_PASS_EVERY = Duration.ofMinutes(5);

  /** What the last pass saw, so that partitions are read, and replica states rewritten, only when something changed. */
  private List<Integer> lastLive = List.of();

  private ControllerStore.TopicsVersion lastTopics;
  private long lastFullPassNanos;

  Controller(int nodeId, Duration lease) {
    this.nodeId = nodeId;
    this.lease = lease;
  }

  /** Tries to take the role on {@code session}; true when this node now holds it. */
  boolean tryElect(Session session) {
    if (!session.tryLock(LOCK)) {
      for (int holder : ControllerStore.terminateHoldersOfLapsedRole(session.autocommit())) {
        LOG.warn("terminated the session of a controller whose lease lapsed nodeId={}", holder);
      }
      return false;
    }
    epoch = ControllerStore.elect(session.autocommit(), nodeId, lease);
    lastLive = List.of();
    lastTopics = null;
    LOG.info("controller elected nodeId={} controllerEpoch={}", nodeId, epoch);
    return true;
  }

  /** Gives up the role (clean shutdown): the lease ends now and the lock is released. */
  void resign(Session session) {
    ControllerStore.endLease(session.autocommit(), nodeId, epoch);
    session.unlock(LOCK);
  }

  /**
   * One pass, in one transaction on the session that holds the lock. Returns false when the row
   * is no longer this controller's (it lost the role), in which case nothing was changed.
   */
  boolean pass(Session session) {
    try {
      return session.result(this::pass);
    } catch (RuntimeException e) {
      lastTopics = null;
      throw e;
    }
  }

  /**
   * Reads every partition only when the live nodes or the topics (created, deleted, grown) changed
   * since the last pass, or {@link #FULL_PASS_EVERY} passed: leaders change through this pass
   * alone, so an idle cluster's pass costs three small queries however many partitions it has.
   */
  private boolean pass(Tx tx) {
    if (!ControllerStore.renew(tx, nodeId, epoch, lease)) {
      return false;
    }
    List<Integer> live = ControllerStore.liveNodes(tx);
    ControllerStore.TopicsVersion topics = ControllerStore.topicsVersion(tx);
    boolean changed = !live.equals(lastLive) || !topics.equals(lastTopics);
    if (!changed && System.nanoTime() - lastFullPassNanos < FULL_PASS_EVERY.toNanos()) {
      return true;
    }
    List<LeaderAssignment.Current> partitions = ControllerStore.partitions(tx);
    Map<PartitionKey, Integer> changes = LeaderAssignment.changes(partitions, live);
    if (!changes.isEmpty()) {
      move(tx, changes);
      LOG.info("controller moved leadership partitions={} liveNodes={}", changes.size(), live);
    }
    if (!changes.isEmpty() || changed) {
      ControllerStore.recordReplicaStates(tx, live);
    }
    lastLive = live;
    lastTopics = topics;
    lastFullPassNanos = System.nanoTime();
    return true;
  }

  private static void move(Tx tx, Map<PartitionKey, Integer> changes) {
    new TopicStore(tx)
        .moveLeaders(changes.entrySet().stream()
            .map(c -> new TopicStore.LeaderMove(
                c.getKey().topicId(), c.getKey().partition(), c.getValue()))
            .toList());
    ControllerStore.bumpAssignmentVersion(tx);
  }
}

package io.rowstream.cluster;

import io.rowstream.background.BackgroundLoop;
import io.rowstream.config.ClusterTimings;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Database;
import io.rowstream.db.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of the cluster, on one dedicated {@link Session} outside the pool (the
 * cluster session): it holds the node's advisory lock ({@link AdvisoryLocks#node}) for as long as
 * the process lives, renews the broker lease every heartbeat, competes for the controller role
 * and, while it holds it, runs the controller's passes; and it re-reads leaderships into the
 * {@link LeaderView} whenever the controller changed them (and, every heartbeat, the live brokers
 * and the {@link DurableCopies}). All of it on one thread, every tick.
 *
 * <p>A lost session is lost membership: the node's lock and any controller role go with it (the
 * controller moves its partitions away), and the next tick opens a new session and takes the
 * lock again.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  private final Database database;
  private final int nodeId;
  private final ClusterTimings timings;
  private final LeaderView view;
  private final DurableCopies copies;
  private final Controller controller;
  private BackgroundLoop loop;
  private Session session;
  private boolean nodeLocked;
  private volatile boolean isController;
  private boolean warnedLockTaken;
  private long lastHeartbeatNanos;
  private long seenAssignmentVersion = -1;
  private volatile boolean suspended;

  private ClusterNode(
      Database database,
      int nodeId,
      ClusterTimings timings,
      LeaderView view,
      DurableCopies copies) {
    this.database = database;
    this.nodeId = nodeId;
    this.timings = timings;
    this.view = view;
    this.copies = copies;
    this.controller = new Controller(nodeId, timings.lease());
  }

  /** Joins the cluster: the first tick runs before this returns, so the node is live once started. */
  public static ClusterNode start(
      Database database,
      int nodeId,
      ClusterTimings timings,
      LeaderView view,
      DurableCopies copies) {
    ClusterNode node = new ClusterNode(database, nodeId, timings, view, copies);
    node.loop = BackgroundLoop.everyAfterFirstPass("cluster-" + nodeId, timings.tick(), node::tick);
    return node;
  }

  public boolean isController() {
    return isController;
  }

  /**
   * Test hook: the node stops renewing its lease and acting as controller, while its session
   * (and so its locks) stays open, as a paused or cut-off process would; {@code false} resumes.
   */
  public void suspend(boolean suspend) {
    this.suspended = suspend;
  }

  private void tick() {
    if (suspended) {
      return;
    }
    try {
      if (session == null || session.isClosed()) {
        session = Session.dedicated(database, "cluster");
        nodeLocked = false;
        isController = false;
      }
      if (!nodeLocked) {
        nodeLocked = tryNodeLock();
        if (!nodeLocked && !warnedLockTaken) {
          LOG.warn(
              "node lock held by another session (a previous incarnation's, or node id {} used twice?)",
              nodeId);
        }
        warnedLockTaken = !nodeLocked;
      }
      if (System.nanoTime() - lastHeartbeatNanos >= timings.heartbeat().toNanos()
          || lastHeartbeatNanos == 0) {
        heartbeat();
        view.reloadBrokers(); // nodes that joined or left since
        copies.refresh(session.autocommit());
      }
      if (!isController) {
        isController = controller.tryElect(session);
      }
      if (isController && !controller.pass(session)) {
        LOG.warn("controller role lost nodeId={}", nodeId);
        isController = false;
      }
      long version = ControllerStore.assignmentVersion(session.autocommit());
      if (version != seenAssignmentVersion) {
        view.reload();
        seenAssignmentVersion = version;
      }
    } catch (RuntimeException e) {
      LOG.warn("cluster tick failed, reconnecting nodeId={} error={}", nodeId, e.getMessage());
      closeSession();
    }
  }

  private boolean tryNodeLock() {
    return session.tryLock(AdvisoryLocks.node(nodeId));
  }

  /** Renews the broker lease through the session, so that a node whose session hangs lets it lapse. */
  private void heartbeat() {
    new BrokerStore(session.autocommit()).heartbeat(nodeId, timings.lease());
    lastHeartbeatNanos = System.nanoTime();
  }

  private void closeSession() {
    isController = false;
    nodeLocked = false;
    if (session != null) {
      session.close();
      session = null;
    }
  }

  /** Leaves the cluster: resigns the controller role, then closes the session (freeing the node lock). */
  @Override
  public void close() {
    loop.close();
    if (isController && session != null) {
      try {
        controller.resign(session);
      } catch (RuntimeException e) {
        LOG.warn("resigning the controller role failed nodeId={} error={}", nodeId, e.getMessage());
      }
    }
    closeSession();
  }
}

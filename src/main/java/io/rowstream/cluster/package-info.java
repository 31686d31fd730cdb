/**
 * The cluster: nodes, the controller, partition leadership and replica states.
 *
 * <p>Decisions, and why:
 *
 * <ul>
 *   <li>Liveness is two facts: a lease on the database clock (renewed every heartbeat) and a
 *       session advisory lock held on the node's cluster session, a dedicated {@code db.Session}
 *       ({@link ClusterNode}). The lock goes the instant the process dies (PostgreSQL sees the
 *       socket close), so a crash is noticed at the controller's next tick; the lease covers what
 *       the lock cannot see, a paused or cut-off node whose connection stays open.
 *   <li>The controller role is a second advisory lock on that same session, and every
 *       controller write goes through it ({@link Controller}): a controller that lost its
 *       session cannot write. A controller that holds the lock but let its lease lapse is
 *       paused; the next candidate terminates its session.
 *   <li>Leadership moves bump {@code topic_partition.leader_epoch}; appends carry the epoch the
 *       node knows ({@link LeaderView}) and {@code append_chunks} refuses stale ones under the row
 *       lock it takes anyway, so fencing costs no round trip.
 *   <li>The controller moves as little as it can ({@link LeaderAssignment}): orphans to the least
 *       loaded live node, then single moves until no node leads two more than another.
 *   <li>Default timings (lease 6 s, heartbeat 1 s, tick 250 ms): a crash fails over in about a
 *       tick; a pause in about a lease. Tests use shorter ones.
 * </ul>
 *
 * <p>What a door calls: {@link BrokerRegistry} {@code brokers()}, {@code liveBrokers()} and
 * {@code controller()} (Kafka's Metadata and DescribeCluster); {@link PartitionLeaders}
 * {@code of(partition rows)}, {@code onBroker(id)} and {@code reassignments(topic)} (leaders,
 * replicas, in-sync state); {@link LeaderView} {@code urlOf(node)} (where a partition's leader
 * answers); {@link NodeHealth} {@code readiness()} (the database answers, the schema is current).
 *
 * <p>Its SQL: {@code BrokerStore} ({@code broker}, {@code cluster}), {@code ControllerStore}
 * ({@code controller}, {@code replica_state}, on the controller's session) and
 * {@code ReplicaStore} (replica reads), {@code StandbyStore} (the synchronous standbys, for
 * {@link DurableCopies}); {@link NodeHealth} asks {@code db}'s {@code Database} and
 * {@code Migrations}. The classes that decide pass the stores a {@code db.Tx}. Leaderships move
 * through {@code topic}'s {@code TopicStore}, the one writer of {@code topic_partition}. The tick
 * runs on a {@code background} loop.
 */
package io.rowstream.cluster;

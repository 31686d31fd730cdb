package io.rowstream.config;

import java.time.Duration;

/**
 * How fast the cluster notices a dead node and moves its partitions.
 *
 * <p>A node holds a session advisory lock for as long as its process lives, so a crashed or killed
 * node (its connection closed by the operating system) is noticed at the controller's next
 * {@code tick}. A node that is paused or cut off keeps its connection open: it is noticed when its
 * {@code lease} lapses, which it renews every {@code heartbeat}. Failover after a crash therefore
 * takes about one tick; after a pause or a network partition, about one lease.
 *
 * @param lease how long a heartbeat keeps a node (and the controller role) live, database clock
 * @param heartbeat how often a node renews its lease; a few heartbeats fit in a lease
 * @param tick how often the controller checks liveness and leadership, and nodes re-read
 *     leaderships when the controller changed them
 */
public record ClusterTimings(Duration lease, Duration heartbeat, Duration tick) {
  public static final ClusterTimings DEFAULT =
      new ClusterTimings(Duration.ofSeconds(6), Duration.ofSeconds(1), Duration.ofMillis(250));

  public ClusterTimings {
    if (tick.toMillis() < 10) {
      throw new IllegalArgumentException(
          "cluster tick must be at least 10 ms, got " + tick.toMillis());
    }
    if (heartbeat.compareTo(tick) < 0) {
      throw new IllegalArgumentException(
          "heartbeat must be at least one tick (" + tick.toMillis() + " ms)");
    }
    if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("broker lease must be at least two heartbeats, got "
          + lease.toMillis() + " ms for a " + heartbeat.toMillis() + " ms heartbeat");
    }
  }

  public static ClusterTimings ofMillis(long leaseMs, long heartbeatMs, long tickMs) {
    return new ClusterTimings(
        Duration.ofMillis(leaseMs), Duration.ofMillis(heartbeatMs), Duration.ofMillis(tickMs));
  }
}

package io.rowstream.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Which node each partition of a topic is sent to: its leader, or a follower (the next node after
 * the leader in id order, so that every node forwards an equal share). Read from
 * {@code topic_partition.leader_node_id} once the controller has spread the topic's leadership
 * over all the nodes.
 */
record NodeRoutes(Map<Integer, Integer> leaders, List<Integer> nodeIds) {

  /** Leaders of the topic's partitions once every one of {@code nodeIds} leads its share (they differ by at most one). */
  static NodeRoutes awaitBalanced(BenchDatabase db, String topic, List<Integer> nodeIds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<Integer, Integer> leaders = Map.of();
    while (System.nanoTime() < deadline) {
      leaders = leaders(db, topic);
      Map<Integer, Integer> led = new HashMap<>();
      nodeIds.forEach(id -> led.put(id, 0));
      leaders.values().forEach(id -> led.merge(id, 1, Integer::sum));
      Collection<Integer> counts = led.values();
      if (!leaders.isEmpty() && !leaders.containsValue(null) && led.size() == nodeIds.size()
          && counts.stream().mapToInt(i -> i).max().getAsInt() - counts.stream().mapToInt(i -> i).min().getAsInt() <= 1) {
        return new NodeRoutes(leaders, List.copyOf(nodeIds));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the leadership of " + topic + " was not spread over nodes " + nodeIds
        + " within 60 s: " + leaders);
  }

  private static Map<Integer, Integer> leaders(BenchDatabase db, String topic) throws SQLException {
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("""
        select p.partition_id, p.leader_node_id from rowstream.topic_partition p
          join rowstream.topic t using (topic_id) where t.name = ?""")) {
      s.setString(1, topic);
      Map<Integer, Integer> leaders = new TreeMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          int leader = rs.getInt(2);
          leaders.put(rs.getInt(1), rs.wasNull() ? null : leader);
        }
      }
      return leaders;
    }
  }

  /** The node a client of {@code partition} talks to: its leader, or the follower after it. */
  int nodeFor(int partition, boolean throughFollower) {
    int leader = leaders.get(partition);
    if (!throughFollower) {
      return leader;
    }
    return nodeIds.get((nodeIds.indexOf(leader) + 1) % nodeIds.size());
  }
}

package io.rowstream.cluster;

import io.rowstream.log.PartitionKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The controller's rule for partition leadership, as a pure function of what it reads: every
 * partition whose leader is not live gets the live node that leads the fewest partitions of its
 * topic, then the fewest overall (then the lowest id); then, while one node leads two or more
 * partitions more than another, one partition moves from the busiest node to the idlest (so a new
 * node gets its share), choosing a topic the idle node leads least of. Partitions that already
 * have a live leader and are not needed for balance stay where they are: every move bumps an epoch
 * and briefly fences the old leader's appends.
 */
final class LeaderAssignment {
  private LeaderAssignment() {}

  /** A partition and its current leader (null: none). */
  record Current(PartitionKey key, Integer leader) {}

  /** The new leader of each partition that changes, in partition order. */
  static Map<PartitionKey, Integer> changes(List<Current> partitions, List<Integer> liveNodes) {
    Map<PartitionKey, Integer> changes = new LinkedHashMap<>();
    if (liveNodes.isEmpty()) {
      return changes;
    }
    List<Integer> live = liveNodes.stream().sorted().toList();
    Map<Integer, Integer> total = new HashMap<>();
    Map<Long, Map<Integer, Integer>> perTopic = new HashMap<>();
    Map<Integer, List<PartitionKey>> led = new HashMap<>();
    live.forEach(n -> {
      total.put(n, 0);
      led.put(n, new ArrayList<>());
    });
    List<PartitionKey> orphans = new ArrayList<>();
    for (Current c : sorted(partitions)) {
      if (c.leader() != null && total.containsKey(c.leader())) {
        count(total, perTopic, c.key(), c.leader(), 1);
        led.get(c.leader()).add(c.key());
      } else {
        orphans.add(c.key());
      }
    }
    for (PartitionKey key : orphans) {
      Map<Integer, Integer> inTopic = perTopic.getOrDefault(key.topicId(), Map.of());
      int node = live.stream()
          .min(Comparator.<Integer>comparingInt(n -> inTopic.getOrDefault(n, 0))
              .thenComparingInt(total::get))
          .orElseThrow();
      count(total, perTopic, key, node, 1);
      led.get(node).add(key);
      changes.put(key, node);
    }
    while (true) {
      int busiest = live.stream()
          .max(Comparator.<Integer>comparingInt(total::get).thenComparing(n -> -n))
          .orElseThrow();
      int idlest = live.stream().min(Comparator.comparingInt(total::get)).orElseThrow();
      if (total.get(busiest) - total.get(idlest) < 2) {
        break;
      }
      PartitionKey move = led.get(busiest).stream()
          .min(Comparator.<PartitionKey>comparingInt(
                  k -> perTopic.get(k.topicId()).getOrDefault(idlest, 0)
                      - perTopic.get(k.topicId()).getOrDefault(busiest, 0))
              .thenComparingLong(PartitionKey::topicId)
              .thenComparingInt(PartitionKey::partition))
          .orElseThrow();
      led.get(busiest).remove(move);
      led.get(idlest).add(move);
      count(total, perTopic, move, busiest, -1);
      count(total, perTopic, move, idlest, 1);
      changes.put(move, idlest);
    }
    Map<PartitionKey, Integer> before = new HashMap<>();
    partitions.forEach(c -> before.put(c.key(), c.leader()));
    changes.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
    return sortedByKey(changes);
  }

  private static void count(
      Map<Integer, Integer> total,
      Map<Long, Map<Integer, Integer>> perTopic,
      PartitionKey key,
      int node,
      int delta) {
    total.merge(node, delta, Integer::sum);
    perTopic.computeIfAbsent(key.topicId(), t -> new HashMap<>()).merge(node, delta, Integer::sum);
  }

  private static List<Current> sorted(List<Current> partitions) {
    return partitions.stream()
        .sorted(Comparator.comparingLong((Current c) -> c.key().topicId())
            .thenComparingInt(c -> c.key().partition()))
        .toList();
  }

  private static Map<PartitionKey, Integer> sortedByKey(Map<PartitionKey, Integer> changes) {
    Map<PartitionKey, Integer> out = new TreeMap<>(
        Comparator.comparingLong(PartitionKey::topicId).thenComparingInt(PartitionKey::partition));
    out.putAll(changes);
    return new LinkedHashMap<>(out);
  }
}

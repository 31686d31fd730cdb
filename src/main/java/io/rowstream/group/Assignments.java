package io.rowstream.group;

import io.rowstream.log.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/** What the assignors share: empty and sorted assignments, subscribers of a topic, all partitions. */
final class Assignments {
  static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private Assignments() {}

  /** Every member with no partitions yet, in member order. */
  static Map<String, List<TopicPartition>> emptyFor(SortedMap<String, Set<String>> subscriptions) {
    Map<String, List<TopicPartition>> out = new LinkedHashMap<>();
    subscriptions.keySet().forEach(m -> out.put(m, new ArrayList<>()));
    return out;
  }

  /** The members subscribed to {@code topic}, in member order. */
  static List<String> subscribersOf(SortedMap<String, Set<String>> subscriptions, String topic) {
    return subscriptions.entrySet().stream()
        .filter(e -> e.getValue().contains(topic))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Every partition of the topics, by topic then partition. */
  static List<TopicPartition> allPartitions(Map<String, Integer> partitionsPerTopic) {
    List<TopicPartition> out = new ArrayList<>();
    for (String topic : new TreeSet<>(partitionsPerTopic.keySet())) {
      for (int p = 0; p < partitionsPerTopic.get(topic); p++) {
        out.add(new TopicPartition(topic, p));
      }
    }
    return out;
  }

  /** The same assignment with each member's partitions sorted. */
  static Map<String, List<TopicPartition>> sorted(Map<String, List<TopicPartition>> assignment) {
    assignment.values().forEach(list -> list.sort(ORDER));
    return assignment;
  }
}

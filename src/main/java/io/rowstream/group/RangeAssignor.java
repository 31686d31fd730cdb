package io.rowstream.group;

import io.rowstream.log.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Kafka's RangeAssignor: topic by topic, the partitions are cut into contiguous ranges, one per
 * member subscribed to the topic in member order; the first {@code partitions % members} members
 * get one more.
 */
final class RangeAssignor implements PartitionAssignor {
  static final String NAME = "range";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, List<TopicPartition>> assign(
      SortedMap<String, Set<String>> subscriptions,
      Map<String, Integer> partitionsPerTopic,
      Map<String, List<TopicPartition>> current) {
    Map<String, List<TopicPartition>> out = Assignments.emptyFor(subscriptions);
    for (String topic : new TreeSet<>(partitionsPerTopic.keySet())) {
      List<String> members = Assignments.subscribersOf(subscriptions, topic);
      if (members.isEmpty()) {
        continue;
      }
      int partitions = partitionsPerTopic.get(topic);
      int each = partitions / members.size();
      int extra = partitions % members.size();
      int next = 0;
      for (int i = 0; i < members.size(); i++) {
        int count = each + (i < extra ? 1 : 0);
        List<TopicPartition> owned = out.get(members.get(i));
        for (int p = next; p < next + count; p++) {
          owned.add(new TopicPartition(topic, p));
        }
        next += count;
      }
    }
    return Assignments.sorted(out);
  }
}

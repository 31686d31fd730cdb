package io.rowstream.group;

import io.rowstream.log.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Kafka's RoundRobinAssignor: all subscribed partitions in topic and partition order are dealt
 * to the members in turn, skipping a member not subscribed to the partition's topic.
 */
final class RoundRobinAssignor implements PartitionAssignor {
  static final String NAME = "roundrobin";

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
    List<String> members = new ArrayList<>(subscriptions.keySet());
    int turn = 0;
    for (TopicPartition tp : Assignments.allPartitions(partitionsPerTopic)) {
      for (int tried = 0; tried < members.size(); tried++) {
        String member = members.get(turn % members.size());
        turn++;
        if (subscriptions.get(member).contains(tp.topic())) {
          out.get(member).add(tp);
          break;
        }
      }
    }
    return Assignments.sorted(out);
  }
}

package io.rowstream.group;

import io.rowstream.log.TopicPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * A sticky assignor in the spirit of Kafka's StickyAssignor: balanced (member counts differ by
 * at most one where subscriptions allow), while moving as few partitions as possible. Each member
 * keeps what it owned and may still own; orphaned partitions go to the least loaded eligible
 * member; then partitions move one at a time from the most to the least loaded member while the
 * two differ by more than one. Every move lowers the sum of squared loads, so it ends.
 */
final class StickyAssignor implements PartitionAssignor {
  static final String NAME = "sticky";

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
    Set<TopicPartition> taken = new HashSet<>();
    for (var member : out.entrySet()) {
      for (TopicPartition tp : current.getOrDefault(member.getKey(), List.of())) {
        if (eligible(subscriptions, partitionsPerTopic, member.getKey(), tp) && taken.add(tp)) {
          member.getValue().add(tp);
        }
      }
    }
    for (TopicPartition tp : Assignments.allPartitions(partitionsPerTopic)) {
      if (!taken.contains(tp)) {
        leastLoaded(subscriptions, out, tp, Integer.MAX_VALUE)
            .ifPresent(m -> out.get(m).add(tp));
      }
    }
    balance(subscriptions, out);
    return Assignments.sorted(out);
  }

  private static void balance(
      SortedMap<String, Set<String>> subscriptions, Map<String, List<TopicPartition>> out) {
    boolean moved = true;
    while (moved) {
      moved = false;
      List<String> byLoad = new ArrayList<>(out.keySet());
      byLoad.sort((a, b) -> Integer.compare(out.get(b).size(), out.get(a).size()));
      for (String from : byLoad) {
        List<TopicPartition> owned = out.get(from);
        for (int i = owned.size() - 1; i >= 0 && !moved; i--) {
          TopicPartition tp = owned.get(i);
          var to = leastLoaded(subscriptions, out, tp, owned.size() - 1);
          if (to.isPresent()) {
            owned.remove(i);
            out.get(to.get()).add(tp);
            moved = true;
          }
        }
        if (moved) {
          break;
        }
      }
    }
  }

  /** The eligible member with the fewest partitions, if it has fewer than {@code below}. */
  private static Optional<String> leastLoaded(
      SortedMap<String, Set<String>> subscriptions,
      Map<String, List<TopicPartition>> out,
      TopicPartition tp,
      int below) {
    String best = null;
    for (String member : out.keySet()) {
      if (subscriptions.get(member).contains(tp.topic())
          && out.get(member).size() < below
          && (best == null || out.get(member).size() < out.get(best).size())) {
        best = member;
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean eligible(
      SortedMap<String, Set<String>> subscriptions,
      Map<String, Integer> partitionsPerTopic,
      String member,
      TopicPartition tp) {
    Integer count = partitionsPerTopic.get(tp.topic());
    return count != null
        && tp.partition() < count
        && subscriptions.get(member).contains(tp.topic());
  }
}

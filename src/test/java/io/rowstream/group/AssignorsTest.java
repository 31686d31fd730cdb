package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.log.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AssignorsTest {
  static final PartitionAssignor RANGE = Assignors.byName("range").orElseThrow();
  static final PartitionAssignor ROUND_ROBIN = Assignors.byName("roundrobin").orElseThrow();
  static final PartitionAssignor STICKY = Assignors.byName("sticky").orElseThrow();

  static SortedMap<String, Set<String>> members(Set<String> topics, String... ids) {
    SortedMap<String, Set<String>> out = new TreeMap<>();
    for (String id : ids) {
      out.put(id, topics);
    }
    return out;
  }

  static List<TopicPartition> tps(String topic, int... partitions) {
    List<TopicPartition> out = new ArrayList<>();
    for (int p : partitions) {
      out.add(new TopicPartition(topic, p));
    }
    return out;
  }

  /** Every partition owned exactly once, and only by a member subscribed to its topic. */
  static void assertComplete(
      Map<String, List<TopicPartition>> result,
      SortedMap<String, Set<String>> subs,
      Map<String, Integer> topics) {
    List<TopicPartition> owned = new ArrayList<>();
    result.forEach((member, partitions) -> {
      partitions.forEach(tp -> assertThat(subs.get(member)).contains(tp.topic()));
      owned.addAll(partitions);
    });
    assertThat(owned)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(Assignments.allPartitions(topics));
    assertThat(result.keySet()).containsExactlyElementsOf(subs.keySet());
  }

  @Test
  void range_gives_each_member_a_contiguous_range_per_topic_the_first_ones_one_more() {
    var subs = members(Set.of("t", "u"), "a", "b", "c");
    Map<String, Integer> topics = Map.of("t", 7, "u", 2);
    var result = RANGE.assign(subs, topics, Map.of());
    assertComplete(result, subs, topics);
    assertThat(result.get("a")).containsExactlyElementsOf(concat(tps("t", 0, 1, 2), tps("u", 0)));
    assertThat(result.get("b")).containsExactlyElementsOf(concat(tps("t", 3, 4), tps("u", 1)));
    assertThat(result.get("c")).containsExactlyElementsOf(tps("t", 5, 6));
  }

  @Test
  void round_robin_deals_partitions_in_turn_skipping_members_not_subscribed() {
    SortedMap<String, Set<String>> subs =
        new TreeMap<>(Map.of("a", Set.of("t"), "b", Set.of("t", "u"), "c", Set.of("t")));
    Map<String, Integer> topics = Map.of("t", 4, "u", 2);
    var result = ROUND_ROBIN.assign(subs, topics, Map.of());
    assertComplete(result, subs, topics);
    assertThat(result.get("a")).containsExactlyElementsOf(tps("t", 0, 3));
    assertThat(result.get("b")).containsExactlyElementsOf(concat(tps("t", 1), tps("u", 0, 1)));
    assertThat(result.get("c")).containsExactlyElementsOf(tps("t", 2));
  }

  @Test
  void every_assignor_is_complete_and_balanced_for_three_members_on_six_partitions() {
    var subs = members(Set.of("t"), "a", "b", "c");
    Map<String, Integer> topics = Map.of("t", 6);
    for (PartitionAssignor assignor : List.of(RANGE, ROUND_ROBIN, STICKY)) {
      var result = assignor.assign(subs, topics, Map.of());
      assertComplete(result, subs, topics);
      result.values().forEach(p -> assertThat(p).as(assignor.name()).hasSize(2));
    }
  }

  @Test
  void sticky_moves_only_the_partitions_of_a_member_that_left() {
    Map<String, Integer> topics = Map.of("t", 6);
    var before = Map.of("a", tps("t", 0, 1), "b", tps("t", 2, 3), "c", tps("t", 4, 5));
    var subs = members(Set.of("t"), "a", "b");
    var result = STICKY.assign(subs, topics, before);
    assertComplete(result, subs, topics);
    assertThat(result.get("a")).hasSize(3).containsAll(tps("t", 0, 1));
    assertThat(result.get("b")).hasSize(3).containsAll(tps("t", 2, 3));
  }

  @Test
  void sticky_gives_a_joining_member_its_share_and_moves_nothing_else() {
    Map<String, Integer> topics = Map.of("t", 6);
    var before = Map.of("a", tps("t", 0, 1, 2), "b", tps("t", 3, 4, 5));
    var subs = members(Set.of("t"), "a", "b", "c");
    var result = STICKY.assign(subs, topics, before);
    assertComplete(result, subs, topics);
    assertThat(moved(before, result)).isEqualTo(2);
    result.values().forEach(p -> assertThat(p).hasSize(2));
  }

  @Test
  void sticky_keeps_the_assignment_when_nothing_changed_and_spreads_new_partitions() {
    Map<String, Integer> topics = new HashMap<>(Map.of("t", 6));
    var subs = members(Set.of("t"), "a", "b", "c");
    var first = STICKY.assign(subs, topics, Map.of());
    assertThat(STICKY.assign(subs, topics, first)).isEqualTo(first);
    topics.put("t", 9);
    var grown = STICKY.assign(subs, topics, first);
    assertComplete(grown, subs, topics);
    assertThat(moved(first, grown)).isZero();
    grown.values().forEach(p -> assertThat(p).hasSize(3));
  }

  @Test
  void sticky_drops_partitions_of_topics_no_longer_subscribed_and_of_members_with_other_topics() {
    SortedMap<String, Set<String>> subs = new TreeMap<>(Map.of("a", Set.of("t"), "b", Set.of("u")));
    Map<String, Integer> topics = Map.of("t", 2, "u", 2);
    var before =
        Map.of("a", concat(tps("t", 0), tps("u", 0)), "b", concat(tps("t", 1), tps("u", 1)));
    var result = STICKY.assign(subs, topics, before);
    assertComplete(result, subs, topics);
    assertThat(result.get("a")).containsExactlyElementsOf(tps("t", 0, 1));
    assertThat(result.get("b")).containsExactlyElementsOf(tps("u", 0, 1));
  }

  @Test
  void a_member_subscribed_to_nothing_that_exists_gets_nothing() {
    SortedMap<String, Set<String>> subs =
        new TreeMap<>(Map.of("a", Set.of("t"), "b", Set.of("gone")));
    for (PartitionAssignor assignor : List.of(RANGE, ROUND_ROBIN, STICKY)) {
      var result = assignor.assign(subs, Map.of("t", 3), Map.of());
      assertThat(result.get("a")).hasSize(3);
      assertThat(result.get("b")).isEmpty();
    }
  }

  @Test
  void assignors_are_found_by_short_name_or_kafka_class() {
    assertThat(Assignors.byName("org.apache.kafka.clients.consumer.CooperativeStickyAssignor"))
        .contains(STICKY);
    assertThat(Assignors.byName("RoundRobinAssignor")).contains(ROUND_ROBIN);
    assertThat(Assignors.byName("Range")).contains(RANGE);
    assertThat(Assignors.byName("uniform")).isEmpty();
  }

  /** Partitions that had an owner before and have another one now. */
  private static int moved(
      Map<String, List<TopicPartition>> before, Map<String, List<TopicPartition>> after) {
    Map<TopicPartition, String> owner = new HashMap<>();
    before.forEach((member, partitions) -> partitions.forEach(tp -> owner.put(tp, member)));
    int moved = 0;
    for (var e : after.entrySet()) {
      for (TopicPartition tp : e.getValue()) {
        if (owner.containsKey(tp) && !owner.get(tp).equals(e.getKey())) {
          moved++;
        }
      }
    }
    return moved;
  }

  private static List<TopicPartition> concat(List<TopicPartition> a, List<TopicPartition> b) {
    List<TopicPartition> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}

package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.cluster.LeaderAssignment.Current;
import io.rowstream.log.PartitionKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderAssignmentTest {

  @Test
  void partitions_without_a_leader_spread_over_the_live_nodes_topic_by_topic() {
    List<Current> partitions = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      partitions.add(new Current(new PartitionKey(1, p), null));
    }
    for (int p = 0; p < 3; p++) {
      partitions.add(new Current(new PartitionKey(2, p), null));
    }
    Map<PartitionKey, Integer> changes = LeaderAssignment.changes(partitions, List.of(1, 2, 3));
    assertThat(changes).hasSize(9);
    assertThat(countPerNode(changes, 1))
        .containsEntry(1, 2)
        .containsEntry(2, 2)
        .containsEntry(3, 2);
    assertThat(countPerNode(changes, 2))
        .containsEntry(1, 1)
        .containsEntry(2, 1)
        .containsEntry(3, 1);
  }

  @Test
  void a_dead_nodes_partitions_go_to_the_live_ones_and_nothing_else_moves() {
    List<Current> partitions = List.of(
        new Current(new PartitionKey(1, 0), 1), new Current(new PartitionKey(1, 1), 2),
        new Current(new PartitionKey(1, 2), 3), new Current(new PartitionKey(1, 3), 1),
        new Current(new PartitionKey(1, 4), 2), new Current(new PartitionKey(1, 5), 3));
    Map<PartitionKey, Integer> changes = LeaderAssignment.changes(partitions, List.of(1, 2));
    assertThat(changes.keySet()).containsExactly(new PartitionKey(1, 2), new PartitionKey(1, 5));
    assertThat(changes.values()).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void a_new_node_gets_a_share_and_a_balanced_cluster_stays_as_it_is() {
    List<Current> partitions = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      partitions.add(new Current(new PartitionKey(1, p), p % 2 + 1));
    }
    Map<PartitionKey, Integer> changes = LeaderAssignment.changes(partitions, List.of(1, 2, 3));
    assertThat(changes).hasSize(2).allSatisfy((k, node) -> assertThat(node).isEqualTo(3));

    List<Current> after = partitions.stream()
        .map(c -> new Current(c.key(), changes.getOrDefault(c.key(), c.leader())))
        .toList();
    assertThat(LeaderAssignment.changes(after, List.of(1, 2, 3))).isEmpty();
  }

  @Test
  void with_no_live_node_nothing_changes() {
    assertThat(LeaderAssignment.changes(List.of(new Current(new PartitionKey(1, 0), 1)), List.of()))
        .isEmpty();
  }

  private static Map<Integer, Integer> countPerNode(
      Map<PartitionKey, Integer> changes, long topic) {
    Map<Integer, Integer> out = new HashMap<>();
    changes.forEach((k, node) -> {
      if (k.topicId() == topic) {
        out.merge(node, 1, Integer::sum);
      }
    });
    return out;
  }
}

package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.group.GroupCalls.Consumed;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A group member is rows, not node memory: created on node A, it is polled, committed and deleted
 * through node B, and stopping node A loses none of its positions or commits.
 */
class GroupAcrossNodesTest {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_nodes", 1_000);

  final TestBroker broker = calls.broker();

  @Test
  void a_member_created_on_node_a_is_served_by_node_b_and_outlives_node_a() {
    TestHttp nodeB = broker.http(0);
    int a = broker.startNode();
    TestHttp nodeA = broker.http(a);
    calls.filledTopic("across", 2, "one", 3);
    String m =
        calls.joined(nodeA, "g-across", "m", Map.of("auto.commit.enable", "false"), "across");

    List<Consumed> first = calls.poll(nodeB, m, 0);
    assertThat(first).hasSize(6);
    var committed = calls.commit(nodeB, m, first);
    assertThat(committed.status()).as(committed.body()).isEqualTo(200);
    var offsets =
        nodeB.method("GET", m + "/offsets", TestHttp.V2, GroupCalls.partitions("across", 0, 1));
    assertThat(offsets.json().get("offsets"))
        .extracting(o -> o.get("offset").asLong())
        .containsExactly(3L, 3L);

    calls.produce("across", 2, "two", 2);
    assertThat(calls.poll(nodeA, m, 0)).hasSize(4);
    broker.stopNode(a);

    // Nothing of the member lived in node A: B serves its assignment, its positions and its
    // commits.
    assertThat(calls.assignment(nodeB, m)).hasSize(2);
    assertThat(calls.poll(nodeB, m, 0))
        .as("positions kept: the records A returned are not returned again")
        .isEmpty();
    assertThat(nodeB.post(m + "/offsets", TestHttp.V2, "").status()).isEqualTo(200);
    assertThat(calls.committed("g-across", "across", 0)).isEqualTo(5);
    assertThat(calls.committed("g-across", "across", 1)).isEqualTo(5);
    calls.produce("across", 2, "three", 1);
    assertThat(calls.poll(nodeB, m, 5_000))
        .extracting(Consumed::value)
        .containsExactlyInAnyOrder("three-0-0", "three-1-0");

    assertThat(nodeB.delete(m).status()).isEqualTo(204);
    TestHttp.assertError(nodeB.get(m + "/assignments"), 404, 40403);
    assertThat(broker.queryText("select state from consumer_group where group_name = 'g-across'"))
        .isEqualTo("EMPTY");
    String next =
        calls.joined(nodeB, "g-across", "next", Map.of("auto.commit.enable", "false"), "across");
    assertThat(calls.poll(nodeB, next, 0))
        .as("a new member starts at the group's committed offsets")
        .extracting(Consumed::value)
        .containsExactlyInAnyOrder("three-0-0", "three-1-0");
  }
}

package io.rowstream.kafka.groups;

import static io.rowstream.kafka.groups.KafkaClassicGroupTest.awaitBalanced;
import static io.rowstream.kafka.groups.KafkaClassicGroupTest.awaitEachReadOnce;
import static io.rowstream.kafka.groups.KafkaClassicGroupTest.produce;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A classic group on a two-node cluster: members whose coordinators are different nodes (every
 * node coordinates any group) rebalance together through the rows, a join on one node waiting for
 * a member that rejoins on the other; when a node stops, its members find the other node and the
 * group goes on, every record read exactly once.
 */
class KafkaClassicGroupAcrossNodesTest {
  private TestBroker broker;
  private final List<PollingMember> members = new ArrayList<>();

  @BeforeEach
  void start() {
    broker = TestBroker.start("kafka-classic-across", PollingMember::allowingShortSessions);
  }

  @AfterEach
  void stop() {
    members.forEach(PollingMember::close);
    broker.close();
  }

  private PollingMember member(
      String name,
      String bootstrap,
      String group,
      String topic,
      ConcurrentLinkedQueue<PollingMember.Read> sink) {
    PollingMember m = new PollingMember(
        name,
        bootstrap,
        group,
        topic,
        Map.of(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName()),
        sink);
    members.add(m);
    return m;
  }

  @Test
  void a_join_on_one_node_waits_for_the_rejoin_of_a_member_on_the_other_node() throws Exception {
    int second = broker.startNode();
    broker.http().createTopic("two-nodes", 2);
    String group = "two-node-barrier";
    try (KafkaWire first = new KafkaWire(broker.node(0).kafkaPort());
        KafkaWire other = new KafkaWire(broker.node(second).kafkaPort())) {
      JoinGroupResponseData one = ClassicWire.joinAsMember(first, group, "two-nodes");
      assertThat(one.generationId()).isEqualTo(1);
      ClassicWire.sync(first, group, 1, one.memberId(), Map.of());
      JoinGroupResponseData required = ClassicWire.join(
          other, (short) 9, group, "", null, "consumer", ClassicWire.range("two-nodes"));
      CompletableFuture<JoinGroupResponseData> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return ClassicWire.join(
              other,
              (short) 9,
              group,
              required.memberId(),
              null,
              "consumer",
              ClassicWire.range("two-nodes"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Await.until("the first member is told to rejoin", Duration.ofSeconds(10), () -> {
        try {
          return ClassicWire.heartbeat(first, group, 1, one.memberId(), null)
              == Errors.REBALANCE_IN_PROGRESS;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(waiting).isNotDone();
      JoinGroupResponseData rejoined = ClassicWire.join(
          first,
          (short) 9,
          group,
          one.memberId(),
          null,
          "consumer",
          ClassicWire.range("two-nodes"));
      JoinGroupResponseData joined = waiting.get(10, TimeUnit.SECONDS);
      assertThat(rejoined.generationId()).isEqualTo(2);
      assertThat(joined.generationId()).isEqualTo(2);
      assertThat(joined.leader()).isEqualTo(one.memberId());
      assertThat(rejoined.members())
          .extracting(m -> m.memberId())
          .containsExactlyInAnyOrder(one.memberId(), required.memberId());
    }
  }

  @Test
  void members_on_two_nodes_share_the_partitions_and_go_on_when_one_node_stops() {
    int second = broker.startNode();
    String topic = "across";
    String group = "across-group";
    broker.http().createTopic(topic, 6);
    ConcurrentLinkedQueue<PollingMember.Read> sink = new ConcurrentLinkedQueue<>();
    String survivor = broker.kafkaBootstrap(0);
    produce(survivor, topic, 0, 60);
    // a and b ask the node that stops first (their coordinator unless it is busy), c the other
    String both = broker.kafkaBootstrap(second) + "," + survivor;
    PollingMember a = member("a", both, group, topic, sink);
    PollingMember b = member("b", both, group, topic, sink);
    PollingMember c = member("c", survivor, group, topic, sink);
    awaitBalanced(topic, List.of(a, b, c));
    awaitEachReadOnce(sink, 60);

    broker.stopNode(second); // the node a and b most likely coordinate the group through
    produce(survivor, topic, 60, 60);
    awaitEachReadOnce(sink, 120);
    PollingMember d = member("d", survivor, group, topic, sink); // a rebalance after the stop
    awaitBalanced(topic, List.of(a, b, c, d));
    produce(survivor, topic, 120, 60);
    awaitEachReadOnce(sink, 180);
    assertThat(members.stream()
            .map(PollingMember::failure)
            .filter(Objects::nonNull)
            .toList())
        .isEmpty();
  }
}

package io.rowstream.kafka.groups;

import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.HEARTBEAT_MS;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.SESSION_MS;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.assertReadOnce;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.awaitReads;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.awaitSpread;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.produce;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ClusterTimings;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * KIP-848 groups of three through failures: a member killed with SIGKILL (its partitions move to
 * the others once its session ends on the database clock), and the node the members talk to
 * stopped in a two-node cluster (they find the other node and keep their membership, which lives
 * in rows). Every record is read exactly once with manual commits.
 */
@Tag("slow")
class KafkaConsumerGroupFailuresTest {
  private static final int PER_PHASE = 150;

  private TestBroker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static String groupSize(TestBroker broker, String group) {
    return broker.queryText("select count(distinct instance_id) || '/' || count(*)"
        + " from rowstream.consumer_assignment where group_name = '" + group + "'");
  }

  @Test
  void a_killed_member_s_partitions_move_after_its_session_and_every_record_is_read_once()
      throws Exception {
    broker = TestBroker.start(
        "kip848-kill",
        c -> c.withKafka(
            c.kafka().withGroups(c.kafka().groups().withConsumer(SESSION_MS, HEARTBEAT_MS))));
    String topic = "killed";
    String group = "killed-group";
    broker.http().createTopic(topic, 6);
    String bootstrap = broker.kafkaBootstrap();
    CommittingMember.Reads reads = new CommittingMember.Reads();
    var settings = GroupProtocolClients.settings(group, "uniform");
    try (CommittingMember a = CommittingMember.subscribe(
            GroupProtocolClients.consumer(bootstrap, settings), List.of(topic), reads);
        CommittingMember b = CommittingMember.subscribe(
            GroupProtocolClients.consumer(bootstrap, settings), List.of(topic), reads);
        ChildMember child = ChildMember.start(bootstrap, group, topic, reads)) {
      Await.until(
          "three members own two partitions each",
          Duration.ofSeconds(60),
          () -> groupSize(broker, group).equals("3/6")
              && a.assignment().size() == 2
              && b.assignment().size() == 2);
      produce(bootstrap, topic, 0, PER_PHASE);
      awaitReads(reads, PER_PHASE); // the child is idle, nothing of it is unprinted
      child.kill();
      produce(bootstrap, topic, PER_PHASE, PER_PHASE);
      awaitSpread(topic, List.of(a, b));
      awaitReads(reads, 2 * PER_PHASE);
      assertThat(groupSize(broker, group)).isEqualTo("2/6");
    }
    assertReadOnce(reads, 2 * PER_PHASE);
  }

  @Test
  void members_keep_reading_once_through_the_stop_of_the_node_they_talk_to() {
    broker = TestBroker.start(
        "kip848-node-stop",
        c -> c.withClusterTimings(ClusterTimings.ofMillis(1_500, 300, 50))
            .withKafka(
                c.kafka().withGroups(c.kafka().groups().withConsumer(SESSION_MS, HEARTBEAT_MS))));
    broker.startNode();
    String topic = "node-stop";
    String group = "node-stop-group";
    broker.http().createTopic(topic, 6);
    String first = broker.kafkaBootstrap(0);
    String both = first + "," + broker.kafkaBootstrap(1);
    CommittingMember.Reads reads = new CommittingMember.Reads();
    var settings = GroupProtocolClients.settings(group, "range");
    try (CommittingMember a = CommittingMember.subscribe(
            GroupProtocolClients.consumer(first, settings), List.of(topic), reads);
        CommittingMember b = CommittingMember.subscribe(
            GroupProtocolClients.consumer(first, settings), List.of(topic), reads);
        CommittingMember c = CommittingMember.subscribe(
            GroupProtocolClients.consumer(first, settings), List.of(topic), reads)) {
      awaitSpread(topic, List.of(a, b, c));
      produce(both, topic, 0, PER_PHASE);
      awaitReads(reads, PER_PHASE);
      broker.stopNode(0);
      produce(broker.kafkaBootstrap(1), topic, PER_PHASE, PER_PHASE);
      awaitReads(reads, 2 * PER_PHASE);
      awaitSpread(topic, List.of(a, b, c));
      assertThat(groupSize(broker, group)).isEqualTo("3/6");
    }
    assertReadOnce(reads, 2 * PER_PHASE);
  }
}

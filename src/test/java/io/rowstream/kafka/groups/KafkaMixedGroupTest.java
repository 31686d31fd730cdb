package io.rowstream.kafka.groups;

import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.HEARTBEAT_MS;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.SESSION_MS;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.assertReadOnce;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.awaitReads;
import static io.rowstream.kafka.groups.KafkaConsumerGroupProtocolTest.produce;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A group of two HTTP consumer instances and one KIP-848 KafkaConsumer sharing a topic: the server
 * assigns all three with the group's assignor, partitions move both ways (HTTP to Kafka when the
 * Kafka member joins, back when it leaves), and every record is read exactly once. The Admin
 * client describes the mixed group with ConsumerGroupDescribe.
 */
class KafkaMixedGroupTest {
  private static final int PER_PHASE = 120;
  private static final String TOPIC = "shared";
  private static final String GROUP = "mixed";

  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "kip848-mixed",
        c -> c.withKafka(
            c.kafka().withGroups(c.kafka().groups().withConsumer(SESSION_MS, HEARTBEAT_MS))));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void two_http_members_and_a_kip848_member_read_every_record_of_a_shared_topic_once()
      throws Exception {
    broker.http().createTopic(TOPIC, 6);
    String bootstrap = broker.kafkaBootstrap();
    CommittingMember.Reads reads = new CommittingMember.Reads();
    try (HttpGroupReader h1 =
            new HttpGroupReader(broker.http(), GROUP, "h1", "range", TOPIC, reads);
        HttpGroupReader h2 =
            new HttpGroupReader(broker.http(), GROUP, "h2", "range", TOPIC, reads)) {
      produce(bootstrap, TOPIC, 0, PER_PHASE);
      awaitReads(reads, PER_PHASE);

      try (CommittingMember kafka = CommittingMember.subscribe(
          GroupProtocolClients.consumer(bootstrap, GroupProtocolClients.settings(GROUP, "range")),
          List.of(TOPIC),
          reads)) {
        Await.until("partitions spread over the three members", Duration.ofSeconds(30), () -> {
          List<Integer> all = new ArrayList<>(h1.assignment());
          all.addAll(h2.assignment());
          kafka.assignment().forEach(tp -> all.add(tp.partition()));
          return all.size() == 6
              && new HashSet<>(all).size() == 6
              && !h1.assignment().isEmpty()
              && !h2.assignment().isEmpty()
              && !kafka.assignment().isEmpty();
        });
        produce(bootstrap, TOPIC, PER_PHASE, PER_PHASE);
        awaitReads(reads, 2 * PER_PHASE);
        assertDescribed(kafka);
      }
      produce(bootstrap, TOPIC, 2 * PER_PHASE, PER_PHASE);
      awaitReads(reads, 3 * PER_PHASE);
      assertThat(h1.failure()).isNull();
      assertThat(h2.failure()).isNull();
    }
    assertReadOnce(reads, 3 * PER_PHASE);
  }

  /** Admin.describeConsumerGroups shows the three members, HTTP ones too, and their partitions. */
  private static void assertDescribed(CommittingMember kafka) throws Exception {
    try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      AtomicReference<ConsumerGroupDescription> seen = new AtomicReference<>();
      Await.until("the mixed group described as stable", Duration.ofSeconds(20), () -> {
        try {
          seen.set(admin
              .describeConsumerGroups(
                  List.of(GROUP),
                  new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
              .describedGroups()
              .get(GROUP)
              .get());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return seen.get().groupState() == GroupState.STABLE;
      });
      ConsumerGroupDescription d = seen.get();
      assertThat(d.type()).isEqualTo(GroupType.CONSUMER);
      assertThat(d.partitionAssignor()).isEqualTo("range");
      assertThat(d.groupEpoch()).isPresent();
      assertThat(d.authorizedOperations())
          .contains(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE);
      assertThat(d.members()).hasSize(3);
      assertThat(d.members()).extracting(MemberDescription::clientId).contains("h1", "h2");
      List<TopicPartition> assigned = new ArrayList<>();
      d.members().forEach(m -> assigned.addAll(m.assignment().topicPartitions()));
      assertThat(new HashSet<>(assigned)).hasSize(6);
      assertThat(assigned).hasSize(6);
      MemberDescription k = d.members().stream()
          .filter(m -> !m.clientId().startsWith("h"))
          .findFirst()
          .orElseThrow();
      assertThat(new HashSet<>(k.assignment().topicPartitions())).isEqualTo(kafka.assignment());
      assertThat(k.targetAssignment().map(t -> t.topicPartitions()))
          .isEqualTo(Optional.of(k.assignment().topicPartitions()));
      assertThat(k.memberEpoch()).hasValue(d.groupEpoch().orElseThrow());
    }
  }
}

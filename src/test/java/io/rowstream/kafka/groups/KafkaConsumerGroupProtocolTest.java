package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java KafkaConsumers with {@code group.protocol=consumer} (KIP-848) in groups of three, with each
 * server assignor: every record is read exactly once with manual commits while a member joins and
 * another leaves, and the partitions are spread over the members.
 */
class KafkaConsumerGroupProtocolTest {
  static final int SESSION_MS = 4_000;
  static final int HEARTBEAT_MS = 200;
  private static final int PARTITIONS = 6;
  private static final int PER_PHASE = 150;

  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "kip848-groups",
        c -> c.withKafka(
            c.kafka().withGroups(c.kafka().groups().withConsumer(SESSION_MS, HEARTBEAT_MS))));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static void produce(String bootstrap, String topic, int from, int count) {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap, Map.of())) {
      for (int i = from; i < from + count; i++) {
        byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8); // spread by key hash
        producer.send(new ProducerRecord<>(topic, key, ("r" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  static void awaitReads(CommittingMember.Reads reads, int count) {
    Await.until(
        count + " records read and committed", Duration.ofSeconds(60), () -> reads.size() >= count);
  }

  /** Waits until {@code members} hold every partition of {@code topic} between them, each once. */
  static void awaitSpread(String topic, List<CommittingMember> members) {
    Await.until(
        "partitions spread over " + members.size() + " members", Duration.ofSeconds(30), () -> {
          List<TopicPartition> all = new ArrayList<>();
          members.forEach(m -> all.addAll(m.assignment()));
          return all.size() == PARTITIONS
              && new HashSet<>(all).size() == PARTITIONS
              && members.stream().allMatch(m -> !m.assignment().isEmpty());
        });
    assertThat(members.stream().map(m -> m.failure()).filter(f -> f != null).toList())
        .isEmpty();
  }

  static void assertReadOnce(CommittingMember.Reads reads, int count) {
    List<CommittingMember.Read> all = reads.all();
    Set<CommittingMember.Read> distinct = new HashSet<>(all);
    assertThat(distinct).as("records read").hasSize(count);
    assertThat(all).as("records read, counting repeats").hasSize(count);
  }

  @ParameterizedTest
  @ValueSource(strings = {"uniform", "range"})
  void a_group_of_three_reads_every_record_once_through_a_join_and_a_leave(String assignor) {
    String topic = "kip848-" + assignor;
    String group = "g-" + assignor;
    broker.http().createTopic(topic, PARTITIONS);
    String bootstrap = broker.kafkaBootstrap();
    CommittingMember.Reads reads = new CommittingMember.Reads();
    Map<String, Object> settings = GroupProtocolClients.settings(group, assignor);
    CommittingMember a = CommittingMember.subscribe(
        GroupProtocolClients.consumer(bootstrap, settings), List.of(topic), reads);
    CommittingMember b = CommittingMember.subscribe(
        GroupProtocolClients.consumer(bootstrap, settings), List.of(topic), reads);
    CommittingMember c = null;
    try {
      awaitSpread(topic, List.of(a, b));
      produce(bootstrap, topic, 0, PER_PHASE);
      awaitReads(reads, PER_PHASE);

      c = CommittingMember.subscribe(
          GroupProtocolClients.consumer(bootstrap, settings), List.of(topic), reads);
      produce(bootstrap, topic, PER_PHASE, PER_PHASE);
      awaitSpread(topic, List.of(a, b, c));
      awaitReads(reads, 2 * PER_PHASE);

      b.close();
      produce(bootstrap, topic, 2 * PER_PHASE, PER_PHASE);
      awaitSpread(topic, List.of(a, c));
      awaitReads(reads, 3 * PER_PHASE);
    } finally {
      a.close();
      b.close();
      if (c != null) {
        c.close();
      }
    }
    assertReadOnce(reads, 3 * PER_PHASE);
    assertThat(broker.queryText(
            "select assignor from rowstream.consumer_group where group_name = '" + group + "'"))
        .isEqualTo(assignor);
  }

  @org.junit.jupiter.api.Test
  void a_regex_subscription_picks_up_a_topic_created_later() {
    String bootstrap = broker.kafkaBootstrap();
    broker.http().createTopic("regex-first", 2);
    CommittingMember.Reads reads = new CommittingMember.Reads();
    try (CommittingMember member = CommittingMember.subscribe(
        GroupProtocolClients.consumer(
            bootstrap, GroupProtocolClients.settings("regex-group", "uniform")),
        "regex-.*",
        reads)) {
      produce(bootstrap, "regex-first", 0, 20);
      awaitReads(reads, 20);
      broker.http().createTopic("regex-later", 3);
      broker.http().createTopic("other-later", 1);
      Await.until(
          "the new topic assigned",
          Duration.ofSeconds(30),
          () -> member.assignment().stream().anyMatch(tp -> tp.topic().equals("regex-later")));
      produce(bootstrap, "regex-later", 0, 30);
      produce(bootstrap, "other-later", 0, 5);
      awaitReads(reads, 50);
      assertThat(member.assignment())
          .extracting(TopicPartition::topic)
          .containsOnly("regex-first", "regex-later");
      assertThat(member.failure()).isNull();
    }
    assertReadOnce(reads, 50);
    assertThat(reads.all()).extracting(CommittingMember.Read::topic).doesNotContain("other-later");
  }

  @org.junit.jupiter.api.Test
  void a_static_member_that_restarts_takes_its_partitions_back_without_a_rebalance() {
    String topic = "static-restart";
    String group = "static-group";
    broker.http().createTopic(topic, PARTITIONS);
    String bootstrap = broker.kafkaBootstrap();
    CommittingMember.Reads reads = new CommittingMember.Reads();
    Map<String, Object> dynamic = GroupProtocolClients.settings(group, "uniform");
    Map<String, Object> fixed = new java.util.HashMap<>(dynamic);
    fixed.put(
        org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "static-a");
    String generation =
        "select generation from rowstream.consumer_group where group_name = '" + group + "'";
    try (CommittingMember b = CommittingMember.subscribe(
        GroupProtocolClients.consumer(bootstrap, dynamic), List.of(topic), reads)) {
      CommittingMember a = CommittingMember.subscribe(
          GroupProtocolClients.consumer(bootstrap, fixed), List.of(topic), reads);
      awaitSpread(topic, List.of(a, b));
      Set<TopicPartition> held = a.assignment();
      long before = broker.queryLong(generation);
      a.close(); // leaves with epoch -2: its place and partitions wait for it
      assertThat(broker.queryLong("select count(*) from rowstream.consumer_assignment"
              + " where group_name = '" + group + "' and instance_id = 'static-a'"))
          .isEqualTo(held.size());
      try (CommittingMember again = CommittingMember.subscribe(
          GroupProtocolClients.consumer(bootstrap, fixed), List.of(topic), reads)) {
        Await.until(
            "the restarted member holds its partitions",
            Duration.ofSeconds(30),
            () -> again.assignment().equals(held));
        produce(bootstrap, topic, 0, 40);
        awaitReads(reads, 40);
      }
      assertThat(broker.queryLong(generation)).as("no rebalance").isEqualTo(before);
    }
    assertReadOnce(reads, 40);
  }
}

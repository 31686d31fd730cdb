package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaCli;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java KafkaConsumers with group.protocol=classic in groups of three, with each of the client's
 * assignors: every record is read exactly once (manual commitSync after each poll) while a member
 * joins, one leaves (close: LeaveGroup) and one stops without leaving (its partitions move once its
 * session timed out), also a member in a JVM of its own killed with SIGKILL; the partitions the leader assigned show in consumer_assignment. A static
 * member restarted within its session gets its partitions back without a rebalance.
 */
class KafkaClassicGroupTest {
  private static final int PARTITIONS = 6;

  private static TestBroker broker;
  private final List<PollingMember> members = new ArrayList<>();

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-classic-group", PollingMember::allowingShortSessions);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @AfterEach
  void closeMembers() {
    members.forEach(PollingMember::close);
  }

  static void produce(String bootstrap, String topic, int from, int count) {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap, Map.of())) {
      for (int i = from; i < from + count; i++) {
        producer.send(new ProducerRecord<>(
            topic, i % PARTITIONS, null, ("r" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private PollingMember member(
      String name,
      String group,
      String topic,
      String assignor,
      ConcurrentLinkedQueue<PollingMember.Read> sink) {
    PollingMember m = new PollingMember(
        name,
        broker.kafkaBootstrap(),
        group,
        topic,
        Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor),
        sink);
    members.add(m);
    return m;
  }

  /** Waits until every record up to {@code total} was read, and checks none was read twice. */
  static void awaitEachReadOnce(ConcurrentLinkedQueue<PollingMember.Read> sink, int total) {
    Await.until(
        total + " records read",
        Duration.ofSeconds(60),
        () -> sink.stream().map(PollingMember.Read::value).distinct().count() >= total);
    List<String> values = sink.stream().map(PollingMember.Read::value).toList();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < total; i++) {
      expected.add("r" + i);
    }
    assertThat(new HashSet<>(values)).isEqualTo(expected);
    assertThat(values).as("no record read twice").doesNotHaveDuplicates();
  }

  /** Waits until the live members together hold every partition, each exactly once. */
  static void awaitBalanced(String topic, List<PollingMember> live) {
    Await.until(
        "the partitions spread over " + live.stream().map(PollingMember::name).toList(),
        Duration.ofSeconds(30),
        () -> {
          List<TopicPartition> held =
              live.stream().flatMap(m -> m.assignment().stream()).toList();
          return held.size() == PARTITIONS
              && new HashSet<>(held).size() == PARTITIONS
              && live.stream().allMatch(m -> !m.assignment().isEmpty());
        });
  }

  @Test
  void admin_describes_a_classic_group_with_the_assignment_its_leader_gave_each_member()
      throws Exception {
    String topic = "described-classic";
    String group = "described-classic-group";
    broker.http().createTopic(topic, PARTITIONS);
    ConcurrentLinkedQueue<PollingMember.Read> sink = new ConcurrentLinkedQueue<>();
    PollingMember a = member("a", group, topic, RoundRobinAssignor.class.getName(), sink);
    PollingMember b = member("b", group, topic, RoundRobinAssignor.class.getName(), sink);
    awaitBalanced(topic, List.of(a, b));

    try (var admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      var described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      assertThat(described.type()).isEqualTo(org.apache.kafka.common.GroupType.CLASSIC);
      assertThat(described.groupState()).isEqualTo(org.apache.kafka.common.GroupState.STABLE);
      assertThat(described.partitionAssignor()).isEqualTo("roundrobin");
      assertThat(described.members()).hasSize(2);
      Set<TopicPartition> described0 = new HashSet<>();
      described.members().forEach(m -> {
        assertThat(m.clientId()).startsWith("consumer-" + group);
        described0.addAll(m.assignment().topicPartitions());
      });
      Set<TopicPartition> held = new HashSet<>(a.assignment());
      held.addAll(b.assignment());
      assertThat(described0).isEqualTo(held).hasSize(PARTITIONS);
    }
  }

  @Test
  void a_static_member_restarted_within_its_session_gets_its_partitions_back_without_a_rebalance() {
    String topic = "static-members";
    String group = "static-group";
    broker.http().createTopic(topic, PARTITIONS);
    ConcurrentLinkedQueue<PollingMember.Read> sink = new ConcurrentLinkedQueue<>();
    List<PollingMember> first = new ArrayList<>();
    for (String name : List.of("s-a", "s-b", "s-c")) {
      first.add(staticMember(name, group, topic, sink));
    }
    awaitBalanced(topic, first);
    produce(broker.kafkaBootstrap(), topic, 0, 60);
    awaitEachReadOnce(sink, 60);
    PollingMember b = first.get(1);
    Set<TopicPartition> held = b.assignment();
    String generation = groupState(group);
    int othersAssigned = first.get(0).rebalances() + first.get(2).rebalances();

    b.close(); // a static member's close does not leave the group
    PollingMember back = staticMember("s-b", group, topic, sink);
    Await.until(
        "the restarted member holds its partitions again",
        Duration.ofSeconds(20),
        () -> back.assignment().equals(held));
    produce(broker.kafkaBootstrap(), topic, 60, 60);
    awaitEachReadOnce(sink, 120);
    assertThat(groupState(group)).as("no rebalance: same generation").isEqualTo(generation);
    assertThat(first.get(0).rebalances() + first.get(2).rebalances()).isEqualTo(othersAssigned);
  }

  @Test
  void a_member_killed_with_sigkill_loses_its_partitions_once_its_session_ends() throws Exception {
    String topic = "killed";
    String group = "killed-group";
    broker.http().createTopic(topic, PARTITIONS);
    ConcurrentLinkedQueue<PollingMember.Read> sink = new ConcurrentLinkedQueue<>();
    Path childRead = Files.createTempFile("child-consumer", ".out");
    Process child = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            testClassPath(),
            ChildConsumer.class.getName(),
            broker.kafkaBootstrap(),
            group,
            topic,
            childRead.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      PollingMember a = member("a", group, topic, RangeAssignor.class.getName(), sink);
      PollingMember b = member("b", group, topic, RangeAssignor.class.getName(), sink);
      Await.until(
          "three members, the child one of them, own the partitions",
          Duration.ofSeconds(60),
          () -> broker.queryLong("select count(distinct instance_id) from consumer_assignment"
                      + " where group_name = '" + group + "' and generation is not null")
                  == 3
              && !a.assignment().isEmpty()
              && !b.assignment().isEmpty()
              && a.assignment().size() + b.assignment().size() < PARTITIONS);
      produce(broker.kafkaBootstrap(), topic, 0, 60);
      Await.until(
          "every record read and committed",
          Duration.ofSeconds(30),
          () -> broker.queryLong("select coalesce(sum(committed_offset), 0) from committed_offset"
                  + " where group_name = '" + group + "'")
              == 60);
      List<String> byChild = Files.readAllLines(childRead);
      assertThat(byChild).isNotEmpty();

      child.destroyForcibly(); // SIGKILL: no LeaveGroup, no last commit
      child.waitFor();
      awaitBalanced(topic, List.of(a, b));
      produce(broker.kafkaBootstrap(), topic, 60, 60);
      Await.until(
          "the records after the kill read",
          Duration.ofSeconds(30),
          () -> sink.stream().map(PollingMember.Read::value).distinct().count() + byChild.size()
              >= 120);
      List<String> all = new ArrayList<>(byChild);
      sink.forEach(r -> all.add(r.value()));
      assertThat(all).hasSize(120).doesNotHaveDuplicates();
    } finally {
      child.destroyForcibly();
      Files.deleteIfExists(childRead);
    }
  }

  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  @Test
  void the_console_consumer_subscribes_in_a_group_and_commits_what_it_printed() {
    String topic = "console-group";
    broker.http().createTopic(topic, PARTITIONS);
    produce(broker.kafkaBootstrap(), topic, 0, 12);
    KafkaCli.Run run = KafkaCli.consoleConsumer(
        "--bootstrap-server",
        broker.kafkaBootstrap(),
        "--topic",
        topic,
        "--group",
        "console-readers",
        "--from-beginning",
        "--max-messages",
        "12");
    assertThat(run.out().lines().sorted().toList())
        .as(run.err())
        .hasSize(12)
        .doesNotHaveDuplicates();
    assertThat(broker.queryLong("select sum(committed_offset) from committed_offset"
            + " where group_name = 'console-readers'"))
        .isEqualTo(12);
  }

  private PollingMember staticMember(
      String name, String group, String topic, ConcurrentLinkedQueue<PollingMember.Read> sink) {
    PollingMember m = new PollingMember(
        name,
        broker.kafkaBootstrap(),
        group,
        topic,
        Map.of(
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            name,
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            10_000,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            RangeAssignor.class.getName()),
        sink);
    members.add(m);
    return m;
  }

  private static String groupState(String group) {
    return broker.queryText("select state || ':' || generation from consumer_group"
        + " where group_name = '" + group + "'");
  }

  @ParameterizedTest
  @ValueSource(
      classes = {
        RangeAssignor.class,
        RoundRobinAssignor.class,
        StickyAssignor.class,
        CooperativeStickyAssignor.class
      })
  void each_record_is_read_once_through_a_join_a_leave_and_a_member_that_stops(Class<?> assignor) {
    String name = assignor.getSimpleName().toLowerCase();
    String topic = "classic-" + name;
    String group = "group-" + name;
    broker.http().createTopic(topic, PARTITIONS);
    ConcurrentLinkedQueue<PollingMember.Read> sink = new ConcurrentLinkedQueue<>();
    String bootstrap = broker.kafkaBootstrap();
    produce(bootstrap, topic, 0, 60);
    PollingMember a = member("a", group, topic, assignor.getName(), sink);
    PollingMember b = member("b", group, topic, assignor.getName(), sink);
    awaitBalanced(topic, List.of(a, b));
    awaitEachReadOnce(sink, 60);

    PollingMember c = member("c", group, topic, assignor.getName(), sink); // a member joins
    awaitBalanced(topic, List.of(a, b, c));
    produce(bootstrap, topic, 60, 60);
    awaitEachReadOnce(sink, 120);
    assertThat(broker.queryLong("select count(distinct instance_id) from consumer_assignment"
            + " where group_name = '" + group + "' and generation is not null"))
        .isEqualTo(3);
    assertThat(broker.queryLong("select count(*) from consumer_assignment" + " where group_name = '"
            + group + "' and generation is not null"))
        .isEqualTo(PARTITIONS);

    b.close(); // leaves
    awaitBalanced(topic, List.of(a, c));
    produce(bootstrap, topic, 120, 60);
    awaitEachReadOnce(sink, 180);

    PollingMember d = member("d", group, topic, assignor.getName(), sink);
    awaitBalanced(topic, List.of(a, c, d));
    c.drop(); // stops heartbeating without LeaveGroup: its partitions move after its session
    produce(bootstrap, topic, 180, 60);
    awaitBalanced(topic, List.of(a, d));
    awaitEachReadOnce(sink, 240);

    assertThat(
            members.stream().map(PollingMember::failure).filter(f -> f != null).toList())
        .isEmpty();
    assertThat(broker.queryText("select string_agg(state || ':' || group_protocol, ',')"
            + " from consumer_group where group_name = '" + group + "'"))
        .isEqualTo("STABLE:classic");
    Map<String, Long> byMember = sink.stream()
        .collect(Collectors.groupingBy(PollingMember.Read::member, Collectors.counting()));
    assertThat(byMember.keySet()).contains("a");
  }
}

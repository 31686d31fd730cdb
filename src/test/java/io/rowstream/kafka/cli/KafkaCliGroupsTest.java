package io.rowstream.kafka.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaCli;
import io.rowstream.support.KafkaCli.Run;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kafka-consumer-groups.sh} (kafka-tools' ConsumerGroupCommand) against a node: it lists
 * groups, describes an HTTP group's members and a group's offsets and lag, resets offsets only
 * while the group has no live member, deletes groups and offsets; what it prints is checked, and
 * what it changed is checked in the rows.
 */
class KafkaCliGroupsTest {
  private static final String TOPIC = "cli-orders";
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    broker = TestBroker.start("kafka-cli-groups");
    http = broker.http();
    http.createTopic(TOPIC, 2);
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.kafkaBootstrap(), Map.of())) {
      for (int i = 0; i < 8; i++) { // 5 records in partition 0, 3 in partition 1
        producer.send(new ProducerRecord<>(
            TOPIC, i < 5 ? 0 : 1, null, ("r" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Run groups(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--bootstrap-server";
    all[1] = broker.kafkaBootstrap();
    System.arraycopy(args, 0, all, 2, args.length);
    return KafkaCli.consumerGroups(all);
  }

  /** A group with two live HTTP members subscribed to the topic. */
  private static void liveGroup(String group) {
    for (String name : List.of("alpha", "beta")) {
      http.post(
              "/consumers/" + group,
              TestHttp.V2,
              TestHttp.json(Map.of("name", name, "format", "binary")))
          .expectStatus(200);
      http.post(
              "/consumers/" + group + "/instances/" + name + "/subscription",
              TestHttp.V2,
              TestHttp.json(Map.of("topics", List.of(TOPIC))))
          .expectStatus(204);
    }
  }

  /** A group without members that committed 2 in partition 0 and 1 in partition 1. */
  private static void idleGroup(String group) throws Exception {
    try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      admin
          .alterConsumerGroupOffsets(
              group,
              Map.of(
                  new TopicPartition(TOPIC, 0), new OffsetAndMetadata(2),
                  new TopicPartition(TOPIC, 1), new OffsetAndMetadata(1)))
          .all()
          .get();
    }
  }

  /** The printed rows (split on blanks) whose first column is {@code group}. */
  private static List<List<String>> rows(Run run, String group) {
    return run.out()
        .lines()
        .map(l -> Arrays.asList(l.trim().split("\\s+")))
        .filter(cols -> cols.getFirst().equals(group))
        .toList();
  }

  private static String committed(String group) {
    return broker.queryText("select string_agg(partition_id || '=' || committed_offset, ','"
        + " order by partition_id) from committed_offset where group_name = '" + group + "'");
  }

  @Test
  void list_shows_every_group_and_with_state_its_state() throws Exception {
    liveGroup("cli-listed-live");
    idleGroup("cli-listed-idle");
    Run run = groups("--list");
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out().lines()).contains("cli-listed-live", "cli-listed-idle");
    Run withState = groups("--list", "--state");
    assertThat(withState.status()).as(withState.err()).isZero();
    assertThat(rows(withState, "cli-listed-live"))
        .containsExactly(List.of("cli-listed-live", "Stable"));
    assertThat(rows(withState, "cli-listed-idle"))
        .containsExactly(List.of("cli-listed-idle", "Empty"));
  }

  @Test
  void describe_members_and_state_show_each_http_member_and_the_group_s_assignor_and_state() {
    liveGroup("cli-members");
    Run run = groups("--describe", "--members", "--group", "cli-members");
    assertThat(run.status()).as(run.err()).isZero();
    // GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS
    assertThat(rows(run, "cli-members"))
        .extracting(cols -> cols.get(3) + ":" + cols.get(4))
        .containsExactlyInAnyOrder("alpha:1", "beta:1");
    assertThat(rows(run, "cli-members"))
        .extracting(cols -> cols.get(1))
        .allMatch(id -> id.startsWith("alpha-") || id.startsWith("beta-"));
    Run state = groups("--describe", "--state", "--group", "cli-members");
    assertThat(state.status()).as(state.err()).isZero();
    // GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS
    assertThat(rows(state, "cli-members"))
        .singleElement()
        .satisfies(cols -> assertThat(cols.subList(cols.size() - 3, cols.size()))
            .containsExactly("range", "Stable", "2"));
  }

  @Test
  void describe_offsets_shows_current_offset_log_end_and_lag_per_partition() throws Exception {
    idleGroup("cli-offsets");
    Run run = groups("--describe", "--offsets", "--group", "cli-offsets");
    assertThat(run.status()).as(run.err()).isZero();
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    assertThat(rows(run, "cli-offsets"))
        .extracting(cols -> String.join(" ", cols.subList(1, 6)))
        .containsExactlyInAnyOrder(TOPIC + " 0 2 5 3", TOPIC + " 1 1 3 2");
  }

  @Test
  void reset_offsets_to_earliest_is_refused_while_members_are_live_and_done_otherwise()
      throws Exception {
    liveGroup("cli-reset-live");
    Run refused = groups(
        "--reset-offsets",
        "--to-earliest",
        "--execute",
        "--group",
        "cli-reset-live",
        "--topic",
        TOPIC);
    assertThat(refused.out() + refused.err())
        .contains("Assignments can only be reset if the group 'cli-reset-live' is inactive");

    idleGroup("cli-reset");
    Run reset = groups(
        "--reset-offsets", "--to-earliest", "--execute", "--group", "cli-reset", "--topic", TOPIC);
    assertThat(reset.status()).as(reset.err()).isZero();
    // GROUP TOPIC PARTITION NEW-OFFSET
    assertThat(rows(reset, "cli-reset"))
        .extracting(cols -> String.join(" ", cols.subList(1, 4)))
        .containsExactlyInAnyOrder(TOPIC + " 0 0", TOPIC + " 1 0");
    assertThat(committed("cli-reset")).isEqualTo("0=0,1=0");
  }

  @Test
  void delete_is_refused_while_members_are_live_and_removes_an_idle_group_with_its_offsets()
      throws Exception {
    liveGroup("cli-delete-live");
    Run refused = groups("--delete", "--group", "cli-delete-live");
    assertThat(refused.out() + refused.err()).contains("cli-delete-live").contains("not empty");
    assertThat(broker.queryLong(
            "select count(*) from consumer_group where group_name = 'cli-delete-live'"))
        .isOne();

    idleGroup("cli-delete");
    Run deleted = groups("--delete", "--group", "cli-delete");
    assertThat(deleted.status()).as(deleted.err()).isZero();
    assertThat(deleted.out())
        .contains("Deletion of requested consumer groups ('cli-delete') was successful.");
    assertThat(committed("cli-delete")).isNull();
  }

  @Test
  void delete_offsets_removes_the_topics_offsets_of_an_idle_group() throws Exception {
    idleGroup("cli-delete-offsets");
    Run run = groups("--delete-offsets", "--group", "cli-delete-offsets", "--topic", TOPIC);
    assertThat(run.status()).as(run.err()).isZero();
    // TOPIC PARTITION STATUS
    assertThat(run.out()
            .lines()
            .map(l -> l.trim().replaceAll("\\s+", " "))
            .filter(l -> l.startsWith(TOPIC)))
        .containsExactlyInAnyOrder(TOPIC + " 0 Successful", TOPIC + " 1 Successful");
    assertThat(committed("cli-delete-offsets")).isNull();
  }
}

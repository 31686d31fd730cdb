package io.rowstream.kafka.groups;

import static io.rowstream.kafka.groups.HeartbeatCalls.beat;
import static io.rowstream.kafka.groups.HeartbeatCalls.call;
import static io.rowstream.kafka.groups.HeartbeatCalls.join;
import static io.rowstream.kafka.groups.HeartbeatCalls.owning;
import static io.rowstream.kafka.groups.HeartbeatCalls.partitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ConsumerGroupHeartbeat as raw frames: a partition a Kafka member must give up reaches its next
 * owner only once the old owner's heartbeat stops listing it (an HTTP member's at once); member
 * epochs fence stale heartbeats and commits; static instance ids; Kafka's refusals of malformed
 * first heartbeats, unknown assignors and classic groups.
 */
class KafkaConsumerGroupHeartbeatWireTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kip848-wire");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire wire() {
    return new KafkaWire(broker.node(0).kafkaPort());
  }

  private static Uuid topicId(String topic) {
    UUID id = UUID.fromString(broker.queryText(
        "select topic_uuid::text from rowstream.topic where name = '" + topic + "'"));
    return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }

  private static String state(String group) {
    return broker.queryText(
        "select state from rowstream.consumer_group where group_name = '" + group + "'");
  }

  @Test
  void a_partition_taken_from_a_kafka_member_goes_to_its_next_owner_only_once_released()
      throws IOException {
    broker.http().createTopic("crux", 2);
    Uuid crux = topicId("crux");
    String g = "crux-group";
    try (KafkaWire wire = wire()) {
      ConsumerGroupHeartbeatResponseData a = call(wire, join(g, "member-a", "range", "crux"));
      assertThat(a.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(a.memberEpoch()).isPositive();
      assertThat(a.heartbeatIntervalMs()).isPositive();
      assertThat(partitions(a)).containsExactly(0, 1);
      int epochA = a.memberEpoch();
      assertThat(call(wire, owning(g, "member-a", epochA, crux, List.of(0, 1))).memberEpoch())
          .isEqualTo(epochA);

      ConsumerGroupHeartbeatResponseData b = call(wire, join(g, "member-b", "range", "crux"));
      int epochB = b.memberEpoch();
      assertThat(epochB).isGreaterThan(epochA);
      assertThat(partitions(b)).as("both partitions are still member a's").isEmpty();
      assertThat(state(g)).isEqualTo("RECONCILING");

      ConsumerGroupHeartbeatResponseData revoking = call(wire, beat(g, "member-a", epochA));
      assertThat(revoking.memberEpoch())
          .as("a keeps its epoch while it revokes")
          .isEqualTo(epochA);
      assertThat(partitions(revoking)).containsExactly(0);
      assertThat(partitions(call(wire, beat(g, "member-b", epochB))))
          .as("b waits while a still lists partition 1")
          .isEmpty();
      DescribedGroup described = describe(wire, g);
      assertThat(described.groupState()).isEqualTo("Reconciling");
      assertThat(described.groupEpoch()).isEqualTo(epochB);
      assertThat(described.assignorName()).isEqualTo("range");
      assertThat(described.members())
          .extracting(m -> m.memberId() + " epoch " + m.memberEpoch() + " owns "
              + describedPartitions(m.assignment()) + " target "
              + describedPartitions(m.targetAssignment()))
          .containsExactlyInAnyOrder(
              "member-a epoch " + epochA + " owns [0, 1] target [0]",
              "member-b epoch " + epochB + " owns [] target [1]");
      assertThat(call(wire, owning(g, "member-a", epochA, crux, List.of(0, 1))).memberEpoch())
          .as("a heartbeat that still lists it changes nothing")
          .isEqualTo(epochA);
      assertThat(partitions(call(wire, beat(g, "member-b", epochB)))).isEmpty();

      ConsumerGroupHeartbeatResponseData released =
          call(wire, owning(g, "member-a", epochA, crux, List.of(0)));
      assertThat(released.memberEpoch()).isEqualTo(epochB);
      assertThat(partitions(released)).containsExactly(0);
      assertThat(partitions(call(wire, beat(g, "member-b", epochB)))).containsExactly(1);
      assertThat(state(g)).isEqualTo("STABLE");

      // The answer moving a to epoch b was lost: its previous epoch is accepted with what it owns.
      assertThat(call(wire, owning(g, "member-a", epochA, crux, List.of(0))).memberEpoch())
          .isEqualTo(epochB);
      assertThat(call(wire, beat(g, "member-a", epochA)).errorCode())
          .as("the previous epoch without the owned partitions")
          .isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
      assertThat(call(wire, owning(g, "member-a", epochA, crux, List.of(0, 1))).errorCode())
          .as("the previous epoch owning more than the member does now")
          .isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
    }
  }

  @Test
  void a_member_that_does_not_release_within_its_rebalance_timeout_is_removed() throws IOException {
    broker.http().createTopic("slow-revoker", 2);
    String g = "slow-revoker-group";
    try (KafkaWire wire = wire()) {
      ConsumerGroupHeartbeatResponseData a =
          call(wire, join(g, "slow", "range", "slow-revoker").setRebalanceTimeoutMs(500));
      assertThat(partitions(a)).containsExactly(0, 1);
      int epochB = call(wire, join(g, "patient", "range", "slow-revoker")).memberEpoch();
      // "slow" never heartbeats again, so it never releases the partition it must give up
      Await.until(
          "the slow member removed and its partitions given", Duration.ofSeconds(20), () -> {
            try {
              return partitions(call(wire, beat(g, "patient", epochB))).size() == 2;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      assertThat(call(wire, beat(g, "slow", a.memberEpoch())).errorCode())
          .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }
  }

  @Test
  void partitions_an_http_member_gives_up_reach_a_kafka_member_at_once() throws IOException {
    broker.http().createTopic("from-http", 2);
    String g = "mixed-wire";
    TestHttp http = broker.http();
    http.post(
            "/consumers/" + g,
            TestHttp.V2,
            TestHttp.json(
                Map.of("name", "h", "format", "binary", "partition.assignment.strategy", "range")))
        .expectStatus(200);
    GroupOffsetCalls.httpSubscribe(http, g, "h", "from-http");
    assertThat(broker.queryLong("select count(*) from rowstream.consumer_assignment"
            + " where group_name = '" + g + "'"))
        .isEqualTo(2);
    try (KafkaWire wire = wire()) {
      ConsumerGroupHeartbeatResponseData k = call(wire, join(g, "kafka-k", "range", "from-http"));
      assertThat(k.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(partitions(k)).hasSize(1);
      assertThat(state(g)).isEqualTo("STABLE");
    }
  }

  @Test
  void a_stale_epoch_is_fenced_and_an_unknown_member_is_refused() throws IOException {
    broker.http().createTopic("fenced", 1);
    String g = "fenced-group";
    try (KafkaWire wire = wire()) {
      int epoch = call(wire, join(g, "member-f", "uniform", "fenced")).memberEpoch();
      assertThat(call(wire, beat(g, "member-f", epoch + 1)).errorCode())
          .isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
      assertThat(call(wire, beat(g, "nobody", epoch)).errorCode())
          .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
      assertThat(call(wire, beat(g, "member-f", epoch)).errorCode())
          .as("a refusal changed nothing")
          .isEqualTo(Errors.NONE.code());
      ConsumerGroupHeartbeatResponseData rejoined =
          call(wire, join(g, "member-f", "uniform", "fenced"));
      assertThat(rejoined.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(partitions(rejoined)).containsExactly(0);
    }
  }

  @Test
  void a_static_instance_id_held_by_a_live_member_is_unreleased_until_it_leaves_with_epoch_minus_2()
      throws IOException {
    broker.http().createTopic("static", 2);
    String g = "static-group";
    try (KafkaWire wire = wire()) {
      ConsumerGroupHeartbeatResponseData first =
          call(wire, join(g, "first-process", "uniform", "static").setInstanceId("instance-1"));
      assertThat(partitions(first)).containsExactly(0, 1);
      ConsumerGroupHeartbeatResponseData clash =
          call(wire, join(g, "second-process", "uniform", "static").setInstanceId("instance-1"));
      assertThat(clash.errorCode()).isEqualTo(Errors.UNRELEASED_INSTANCE_ID.code());

      ConsumerGroupHeartbeatResponseData left =
          call(wire, beat(g, "first-process", -2).setInstanceId("instance-1"));
      assertThat(left.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(left.memberEpoch()).isEqualTo(-2);
      ConsumerGroupHeartbeatResponseData second =
          call(wire, join(g, "second-process", "uniform", "static").setInstanceId("instance-1"));
      assertThat(second.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(partitions(second))
          .as("it takes over the instance's assignment")
          .containsExactly(0, 1);
      assertThat(broker.queryLong("select count(*) from rowstream.consumer_instance"
              + " where group_name = '" + g + "'"))
          .isEqualTo(1);
    }
  }

  @Test
  void a_commit_under_a_stale_member_epoch_changes_nothing() throws IOException {
    broker.http().createTopic("stale-commit", 1);
    String g = "stale-commit-group";
    try (KafkaWire wire = wire()) {
      int epoch = call(wire, join(g, "member-c", "uniform", "stale-commit")).memberEpoch();
      assertThat(commit(wire, g, "member-c", epoch + 1, 5)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
      assertThat(commit(wire, g, "member-c", epoch - 1, 5)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
      assertThat(commit(wire, g, "someone-else", epoch, 5)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
      assertThat(broker.queryLong("select count(*) from rowstream.committed_offset"
              + " where group_name = '" + g + "'"))
          .isZero();
      assertThat(commit(wire, g, "member-c", epoch, 7)).isEqualTo(Errors.NONE);
      assertThat(broker.queryLong("select committed_offset from rowstream.committed_offset"
              + " where group_name = '" + g + "'"))
          .isEqualTo(7);
    }
  }

  private static Errors commit(KafkaWire wire, String group, String member, int epoch, long offset)
      throws IOException {
    OffsetCommitResponse r = (OffsetCommitResponse) wire.call(
        ApiKeys.OFFSET_COMMIT,
        (short) 9,
        new OffsetCommitRequestData()
            .setGroupId(group)
            .setMemberId(member)
            .setGenerationIdOrMemberEpoch(epoch)
            .setTopics(List.of(GroupOffsetCalls.commitOf("stale-commit", 0, offset, ""))));
    return Errors.forCode(r.data().topics().getFirst().partitions().getFirst().errorCode());
  }

  @Test
  void malformed_first_heartbeats_unknown_assignors_and_bad_regexes_are_refused()
      throws IOException {
    String g = "refusals";
    try (KafkaWire wire = wire()) {
      List<Errors> got = new ArrayList<>();
      got.add(error(wire, join(g, "", "uniform", "t")));
      got.add(error(wire, join(g, "m", "uniform").setSubscribedTopicNames(null)));
      got.add(error(wire, join(g, "m", "uniform", "t").setRebalanceTimeoutMs(-1)));
      got.add(error(wire, join(g, "m", "uniform", "t").setMemberEpoch(-3)));
      got.add(error(wire, join(g, "m", "sticky", "t")));
      got.add(error(
          wire,
          join(g, "m", "uniform").setSubscribedTopicNames(null).setSubscribedTopicRegex("(a")));
      assertThat(got)
          .containsExactly(
              Errors.INVALID_REQUEST,
              Errors.INVALID_REQUEST,
              Errors.INVALID_REQUEST,
              Errors.INVALID_REQUEST,
              Errors.UNSUPPORTED_ASSIGNOR,
              Errors.INVALID_REGULAR_EXPRESSION);
    }
  }

  @Test
  void a_heartbeat_into_a_classic_group_with_live_members_is_an_inconsistent_group_protocol()
      throws Exception {
    broker.http().createTopic("classic-topic", 1);
    String g = "classic-group";
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.execute("insert into rowstream.consumer_group (group_name, group_protocol)" + " values ('"
          + g + "', 'classic')");
      s.execute("insert into rowstream.consumer_instance (group_name, instance_id, member_id,"
          + " door, format, owner_principal, owner_host) values ('" + g + "', 'classic-1',"
          + " 'classic-1', 'kafka', null, 'User:ANONYMOUS', '*')");
    }
    try (KafkaWire wire = wire()) {
      assertThat(error(wire, join(g, "kip848", "uniform", "classic-topic")))
          .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
      try (Connection c = broker.sql();
          Statement s = c.createStatement()) {
        s.execute("delete from rowstream.consumer_instance where group_name = '" + g + "'");
      }
      assertThat(error(wire, join(g, "kip848", "uniform", "classic-topic")))
          .as("an empty classic group becomes a server-assigned one")
          .isEqualTo(Errors.NONE);
    }
  }

  private static DescribedGroup describe(KafkaWire wire, String group) throws IOException {
    return ((ConsumerGroupDescribeResponse) wire.call(
            ApiKeys.CONSUMER_GROUP_DESCRIBE,
            (short) 0,
            new ConsumerGroupDescribeRequestData().setGroupIds(List.of(group))))
        .data()
        .groups()
        .getFirst();
  }

  private static List<Integer> describedPartitions(
      ConsumerGroupDescribeResponseData.Assignment assignment) {
    List<Integer> out = new ArrayList<>();
    assignment.topicPartitions().forEach(t -> out.addAll(t.partitions()));
    return out.stream().sorted().toList();
  }

  @Test
  void describe_answers_group_id_not_found_for_unknown_and_classic_groups() throws Exception {
    try (Connection c = broker.sql();
        Statement s = c.createStatement()) {
      s.execute("insert into rowstream.consumer_group (group_name, group_protocol)"
          + " values ('old-classic', 'classic')");
    }
    try (KafkaWire wire = wire()) {
      assertThat(describe(wire, "never-used").errorCode())
          .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
      DescribedGroup classic = describe(wire, "old-classic");
      assertThat(classic.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
      assertThat(classic.errorMessage()).contains("not a consumer group");
    }
  }

  private static Errors error(KafkaWire wire, ConsumerGroupHeartbeatRequestData request)
      throws IOException {
    return Errors.forCode(call(wire, request).errorCode());
  }
}

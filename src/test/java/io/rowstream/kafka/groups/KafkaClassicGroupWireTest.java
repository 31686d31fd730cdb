package io.rowstream.kafka.groups;

import static io.rowstream.kafka.groups.ClassicWire.heartbeat;
import static io.rowstream.kafka.groups.ClassicWire.join;
import static io.rowstream.kafka.groups.ClassicWire.joinAsMember;
import static io.rowstream.kafka.groups.ClassicWire.range;
import static io.rowstream.kafka.groups.ClassicWire.sync;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classic group protocol in raw frames: old and new JoinGroup versions (MEMBER_ID_REQUIRED from
 * v4), the barrier of a second member's join, the errors of Heartbeat, SyncGroup and OffsetCommit
 * as Kafka answers them, static members fenced by a takeover, LeaveGroup one by one (v0) and
 * batched (v3+), and the refusals between classic and server-assigned members (Kafka
 * INCONSISTENT_GROUP_PROTOCOL, HTTP 409, and an HTTP commit outside the classic group's members).
 */
class KafkaClassicGroupWireTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-classic-wire");
    broker.http().createTopic("wire", 2);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire wire() {
    return new KafkaWire(broker.node(0).kafkaPort());
  }

  @Test
  void a_session_timeout_outside_the_brokers_bounds_is_refused_and_nothing_joins()
      throws Exception {
    try (KafkaWire wire = wire()) {
      for (int sessionMs : new int[] {5_999, 1_800_001}) {
        JoinGroupResponseData r = join(
            wire, (short) 9, "bounded-session", "", null, "consumer", range("wire"), sessionMs);
        assertThat(Errors.forCode(r.errorCode()))
            .as("session %d ms", sessionMs)
            .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
      }
    }
    assertThat(broker.queryLong(
            "select count(*) from consumer_instance where group_name = 'bounded-session'"))
        .isZero();
  }

  @Test
  void join_v0_to_v3_admits_a_new_member_at_once_and_v4_on_first_asks_for_its_member_id()
      throws Exception {
    try (KafkaWire wire = wire()) {
      for (short v = 0; v <= 3; v++) {
        JoinGroupResponseData r =
            join(wire, v, "old-join-" + v, "", null, "consumer", range("wire"));
        assertThat(Errors.forCode(r.errorCode())).as("v" + v).isEqualTo(Errors.NONE);
        assertThat(r.memberId()).isNotEmpty();
        assertThat(r.leader()).isEqualTo(r.memberId());
        assertThat(r.generationId()).isEqualTo(1);
        assertThat(r.members()).extracting(m -> m.memberId()).containsExactly(r.memberId());
      }
      for (short v = 4; v <= 9; v++) {
        String group = "new-join-" + v;
        JoinGroupResponseData first = join(wire, v, group, "", null, "consumer", range("wire"));
        assertThat(Errors.forCode(first.errorCode()))
            .as("v" + v)
            .isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).isNotEmpty();
        assertThat(broker.queryLong(
                "select count(*) from consumer_instance where group_name = '" + group + "'"))
            .isZero();
        JoinGroupResponseData second =
            join(wire, v, group, first.memberId(), null, "consumer", range("wire"));
        assertThat(Errors.forCode(second.errorCode())).isEqualTo(Errors.NONE);
        assertThat(second.memberId()).isEqualTo(first.memberId());
        assertThat(second.leader()).isEqualTo(first.memberId());
        if (v >= 7) {
          assertThat(second.protocolType()).isEqualTo("consumer");
          assertThat(second.protocolName()).isEqualTo("range");
        }
      }
    }
  }

  @Test
  void a_second_join_waits_for_the_first_member_and_stale_calls_get_kafkas_errors()
      throws Exception {
    String group = "barrier";
    TopicPartition p0 = new TopicPartition("wire", 0);
    TopicPartition p1 = new TopicPartition("wire", 1);
    try (KafkaWire leaderWire = wire();
        KafkaWire followerWire = wire()) {
      JoinGroupResponseData one = joinAsMember(leaderWire, group, "wire");
      String leader = one.memberId();
      assertThat(sync(leaderWire, group, 1, leader, Map.of(leader, List.of(p0, p1)))
              .errorCode())
          .isZero();
      assertThat(heartbeat(leaderWire, group, 1, leader, null)).isEqualTo(Errors.NONE);
      assertThat(heartbeat(leaderWire, group, 0, leader, null))
          .isEqualTo(Errors.ILLEGAL_GENERATION);
      assertThat(heartbeat(leaderWire, group, 1, "nobody", null))
          .isEqualTo(Errors.UNKNOWN_MEMBER_ID);

      // a second member joins: its join waits at the barrier until the first member rejoins
      JoinGroupResponseData required =
          join(followerWire, (short) 9, group, "", null, "consumer", range("wire"));
      CompletableFuture<JoinGroupResponseData> second = CompletableFuture.supplyAsync(() -> {
        try {
          return join(
              followerWire, (short) 9, group, required.memberId(), null, "consumer", range("wire"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      io.rowstream.support.Await.until(
          "the group prepares a rebalance",
          java.time.Duration.ofSeconds(10),
          () -> broker
              .queryText("select state from consumer_group where group_name = 'barrier'")
              .equals("PREPARING_REBALANCE"));
      assertThat(second).isNotDone();
      assertThat(heartbeat(leaderWire, group, 1, leader, null))
          .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
      // a commit of the current generation is still accepted while members rejoin, as Kafka does
      assertThat(GroupOffsetCalls.commitErrors(
              leaderWire,
              (short) 9,
              group,
              leader,
              1,
              List.of(GroupOffsetCalls.commitOf("wire", 0, 1, ""))))
          .isEqualTo("wire-0=NONE");

      JoinGroupResponseData rejoined =
          join(leaderWire, (short) 9, group, leader, null, "consumer", range("wire"));
      JoinGroupResponseData follower = second.get();
      assertThat(rejoined.generationId()).isEqualTo(2);
      assertThat(follower.generationId()).isEqualTo(2);
      assertThat(rejoined.leader()).isEqualTo(leader);
      assertThat(follower.leader()).isEqualTo(leader);
      assertThat(rejoined.members()).hasSize(2);
      assertThat(follower.members()).isEmpty();

      // until the leader syncs: commits are REBALANCE_IN_PROGRESS, stale ones ILLEGAL_GENERATION
      assertThat(GroupOffsetCalls.commitErrors(
              leaderWire,
              (short) 9,
              group,
              leader,
              2,
              List.of(GroupOffsetCalls.commitOf("wire", 0, 2, ""))))
          .isEqualTo("wire-0=REBALANCE_IN_PROGRESS");
      assertThat(GroupOffsetCalls.commitErrors(
              leaderWire,
              (short) 9,
              group,
              leader,
              1,
              List.of(GroupOffsetCalls.commitOf("wire", 0, 2, ""))))
          .isEqualTo("wire-0=ILLEGAL_GENERATION");
      assertThat(broker.queryText(
              "select committed_offset from committed_offset" + " where group_name = 'barrier'"))
          .isEqualTo("1");

      CompletableFuture<SyncGroupResponseData> followerSync = CompletableFuture.supplyAsync(() -> {
        try {
          return sync(followerWire, group, 2, follower.memberId(), Map.of());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      SyncGroupResponseData leaderSync = sync(
          leaderWire,
          group,
          2,
          leader,
          Map.of(leader, List.of(p0), follower.memberId(), List.of(p1)));
      assertThat(ClassicWire.partitionsOf(leaderSync)).containsExactly(p0);
      assertThat(ClassicWire.partitionsOf(followerSync.get())).containsExactly(p1);
      assertThat(broker.queryText("select string_agg((i.member_id = '" + leader + "')::text || ':'"
              + " || a.partition_id, ',' order by a.partition_id) from consumer_assignment a"
              + " join consumer_instance i using (group_name, instance_id)"
              + " where a.group_name = 'barrier' and a.generation = 2"))
          .isEqualTo("true:0,false:1");
      assertThat(GroupOffsetCalls.commitErrors(
              followerWire,
              (short) 9,
              group,
              follower.memberId(),
              2,
              List.of(GroupOffsetCalls.commitOf("wire", 1, 5, ""))))
          .isEqualTo("wire-1=NONE");
    }
  }

  @Test
  void a_static_member_that_joins_again_fences_its_old_member_id() throws Exception {
    String group = "static-wire";
    try (KafkaWire wire = wire()) {
      JoinGroupResponseData first =
          join(wire, (short) 9, group, "", "instance-1", "consumer", range("wire"));
      assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.NONE); // no MEMBER_ID_REQUIRED
      sync(
          wire,
          group,
          1,
          first.memberId(),
          Map.of(first.memberId(), List.of(new TopicPartition("wire", 0))));
      JoinGroupResponseData again =
          join(wire, (short) 9, group, "", "instance-1", "consumer", range("wire"));
      assertThat(again.memberId()).isNotEqualTo(first.memberId());
      assertThat(again.generationId()).isEqualTo(1); // stable, same protocol: no rebalance
      assertThat(again.skipAssignment()).isTrue(); // it was the leader: it keeps the assignment
      assertThat(heartbeat(wire, group, 1, first.memberId(), "instance-1"))
          .isEqualTo(Errors.FENCED_INSTANCE_ID);
      assertThat(heartbeat(wire, group, 1, again.memberId(), "instance-1")).isEqualTo(Errors.NONE);
      assertThat(join(
                  wire, (short) 9, group, first.memberId(), "instance-1", "consumer", range("wire"))
              .errorCode())
          .isEqualTo(Errors.FENCED_INSTANCE_ID.code());
      assertThat(GroupOffsetCalls.commitErrors(
              wire,
              (short) 9,
              group,
              first.memberId(),
              1,
              List.of(GroupOffsetCalls.commitOf("wire", 0, 3, ""))))
          .isEqualTo("wire-0=UNKNOWN_MEMBER_ID");
      SyncGroupResponseData kept = sync(wire, group, 1, again.memberId(), Map.of());
      assertThat(ClassicWire.partitionsOf(kept)).containsExactly(new TopicPartition("wire", 0));

      LeaveGroupResponseData left = ((LeaveGroupResponse) wire.call(
              ApiKeys.LEAVE_GROUP,
              (short) 5,
              new LeaveGroupRequestData()
                  .setGroupId(group)
                  .setMembers(List.of(
                      new MemberIdentity()
                          .setGroupInstanceId("instance-1")
                          .setMemberId(first.memberId()),
                      new MemberIdentity().setGroupInstanceId("instance-1"),
                      new MemberIdentity().setGroupInstanceId("instance-2")))))
          .data();
      assertThat(left.errorCode()).isZero();
      assertThat(left.members())
          .extracting(m -> Errors.forCode(m.errorCode()))
          .containsExactly(Errors.FENCED_INSTANCE_ID, Errors.NONE, Errors.UNKNOWN_MEMBER_ID);
      assertThat(broker.queryText("select state || ':' || generation from consumer_group"
              + " where group_name = 'static-wire'"))
          .isEqualTo("EMPTY:2");
    }
  }

  @Test
  void leave_group_v0_names_one_member_and_answers_its_error_at_the_top() throws Exception {
    String group = "leave-v0";
    try (KafkaWire wire = wire()) {
      JoinGroupResponseData r = join(wire, (short) 2, group, "", null, "consumer", range("wire"));
      LeaveGroupResponseData unknown = ((LeaveGroupResponse) wire.call(
              ApiKeys.LEAVE_GROUP,
              (short) 0,
              new LeaveGroupRequestData().setGroupId(group).setMemberId("nobody")))
          .data();
      assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
      LeaveGroupResponseData left = ((LeaveGroupResponse) wire.call(
              ApiKeys.LEAVE_GROUP,
              (short) 0,
              new LeaveGroupRequestData().setGroupId(group).setMemberId(r.memberId())))
          .data();
      assertThat(Errors.forCode(left.errorCode())).isEqualTo(Errors.NONE);
      assertThat(broker.queryLong(
              "select count(*) from consumer_instance where group_name = 'leave-v0'"))
          .isZero();
      assertThat(heartbeat(wire, group, 1, r.memberId(), null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }
  }

  @Test
  void classic_and_server_assigned_members_refuse_each_other() throws Exception {
    TestHttp http = broker.http();
    GroupOffsetCalls.httpMember(http, "http-group", "one");
    GroupOffsetCalls.httpSubscribe(http, "http-group", "one", "wire");
    try (KafkaWire wire = wire()) {
      JoinGroupResponseData refused =
          join(wire, (short) 5, "http-group", "", null, "consumer", range("wire"));
      assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

      JoinGroupResponseData member = joinAsMember(wire, "kafka-group", "wire");
      assertThat(member.errorCode()).isZero();
      assertThat(Errors.forCode(
              join(wire, (short) 5, "kafka-group", "", null, "connect", range("wire"))
                  .errorCode()))
          .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

      GroupOffsetCalls.httpMember(http, "kafka-group", "http-one");
      JsonNode body = http.post(
              "/consumers/kafka-group/instances/http-one/subscription",
              TestHttp.V2,
              TestHttp.json(Map.of("topics", List.of("wire"))))
          .expectStatus(409)
          .json();
      assertThat(body.get("error_code").asInt()).isEqualTo(40903);
      assertThat(body.get("message").asText()).contains("group.protocol=classic");
      // nor may an HTTP instance that assigned its partitions commit into the live classic group
      http.post(
              "/consumers/kafka-group/instances/http-one/assignments",
              TestHttp.V2,
              TestHttp.json(Map.of("partitions", List.of(Map.of("topic", "wire", "partition", 0)))))
          .expectStatus(204);
      http.post(
              "/consumers/kafka-group/instances/http-one/offsets",
              TestHttp.V2,
              TestHttp.json(
                  Map.of("offsets", List.of(Map.of("topic", "wire", "partition", 0, "offset", 3)))))
          .expectStatus(409);
      assertThat(broker.queryLong(
              "select count(*) from committed_offset where group_name = 'kafka-group'"))
          .isZero();
    }
  }
}

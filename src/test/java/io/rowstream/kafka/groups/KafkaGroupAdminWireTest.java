package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ListGroups, DescribeGroups, DeleteGroups and OffsetDelete as raw frames: the old versions
 * (without states, types, authorized operations, messages), the filters, a described member's
 * ConsumerProtocol bytes, and the error cases (an unknown group before and from DescribeGroups v6,
 * an unknown topic or partition, a live group, a subscribed topic).
 */
class KafkaGroupAdminWireTest {
  private static TestBroker broker;
  private static TestHttp http;
  private static int generation;

  @BeforeAll
  static void start() throws IOException {
    broker = TestBroker.start("kafka-group-admin-wire");
    http = broker.http();
    http.createTopic("wired", 2);
    http.createTopic("loose", 1);
    GroupOffsetCalls.httpMember(http, "live", "solo");
    GroupOffsetCalls.httpSubscribe(http, "live", "solo", "wired");
    generation = Integer.parseInt(
        broker.queryText("select generation from consumer_group where group_name = 'live'"));
    try (KafkaWire wire = wire()) {
      GroupOffsetCalls.commitErrors(
          wire,
          (short) 2,
          "idle",
          "",
          -1,
          List.of(
              GroupOffsetCalls.commitOf("wired", 0, 4, ""),
              GroupOffsetCalls.commitOf("loose", 0, 1, "")));
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire wire() {
    return new KafkaWire(broker.node(0).kafkaPort());
  }

  private static ListGroupsResponseData list(KafkaWire wire, short version, ListGroupsRequestData r)
      throws IOException {
    return ((ListGroupsResponse) wire.call(ApiKeys.LIST_GROUPS, version, r)).data();
  }

  /** The groups this class starts with, listed as {@code id/protocol type/state/type}. */
  private static List<String> listed(ListGroupsResponseData r) {
    return r.groups().stream()
        .filter(g -> List.of("idle", "live").contains(g.groupId()))
        .map(g -> g.groupId() + "/" + g.protocolType() + "/" + g.groupState() + "/" + g.groupType())
        .sorted()
        .toList();
  }

  @Test
  void list_groups_answers_every_version_and_applies_state_and_type_filters() throws IOException {
    try (KafkaWire wire = wire()) {
      // v0: no state, no type on the wire (read back as their defaults)
      assertThat(list(wire, (short) 0, new ListGroupsRequestData()).groups())
          .extracting(g -> g.groupId() + "/" + g.protocolType())
          .contains("idle/consumer", "live/consumer");
      assertThat(listed(list(wire, (short) 5, new ListGroupsRequestData())))
          .containsExactly("idle/consumer/Empty/consumer", "live/consumer/Stable/consumer");
      assertThat(listed(list(
              wire, (short) 4, new ListGroupsRequestData().setStatesFilter(List.of(" stable")))))
          .as("states compared ignoring case and blanks")
          .containsExactly("live/consumer/Stable/");
      assertThat(
              list(wire, (short) 4, new ListGroupsRequestData().setStatesFilter(List.of("bogus")))
                  .groups())
          .isEmpty();
      assertThat(
              list(wire, (short) 5, new ListGroupsRequestData().setTypesFilter(List.of("classic")))
                  .groups())
          .isEmpty();
      assertThat(listed(list(
              wire,
              (short) 5,
              new ListGroupsRequestData()
                  .setTypesFilter(List.of("Consumer"))
                  .setStatesFilter(List.of("Empty", "Dead")))))
          .containsExactly("idle/consumer/Empty/consumer");
    }
  }

  private static DescribedGroup describe(KafkaWire wire, short version, String group)
      throws IOException {
    DescribeGroupsRequestData request = new DescribeGroupsRequestData().setGroups(List.of(group));
    if (version >= 3) {
      request.setIncludeAuthorizedOperations(true);
    }
    return ((DescribeGroupsResponse) wire.call(ApiKeys.DESCRIBE_GROUPS, version, request))
        .data()
        .groups()
        .getFirst();
  }

  @Test
  void describe_groups_encodes_a_members_subscription_and_assignment_as_a_consumer_s()
      throws IOException {
    String memberId =
        broker.queryText("select member_id from consumer_instance where group_name = 'live'");
    try (KafkaWire wire = wire()) {
      for (short version = 0; version <= 6; version++) {
        DescribedGroup g = describe(wire, version, "live");
        assertThat(g.errorCode()).isZero();
        assertThat(g.groupState()).isEqualTo("Stable");
        assertThat(g.protocolType()).isEqualTo("consumer");
        assertThat(g.protocolData()).isEqualTo("range");
        DescribedGroupMember m = g.members().getFirst();
        assertThat(m.memberId()).isEqualTo(memberId);
        assertThat(m.clientId()).isEqualTo("solo");
        assertThat(m.groupInstanceId()).isNull();
        Subscription s =
            ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(m.memberMetadata()));
        assertThat(s.topics()).containsExactly("wired");
        assertThat(s.ownedPartitions())
            .containsExactly(new TopicPartition("wired", 0), new TopicPartition("wired", 1));
        assertThat(s.generationId()).contains(generation);
        assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(m.memberAssignment()))
                .partitions())
            .containsExactly(new TopicPartition("wired", 0), new TopicPartition("wired", 1));
      }
      DescribedGroup v3 = describe(wire, (short) 3, "idle");
      assertThat(v3.groupState()).isEqualTo("Empty");
      assertThat(v3.protocolData()).isEmpty();
      assertThat(v3.members()).isEmpty();
      assertThat(Utils.from32BitField(v3.authorizedOperations()))
          .containsExactlyInAnyOrder(
              AclOperation.READ.code(), AclOperation.DESCRIBE.code(), AclOperation.DELETE.code());
    }
  }

  @Test
  void an_unknown_group_is_dead_and_from_describe_groups_v6_group_id_not_found()
      throws IOException {
    try (KafkaWire wire = wire()) {
      DescribedGroup v5 = describe(wire, (short) 5, "nowhere");
      assertThat(v5.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(v5.groupState()).isEqualTo("Dead");
      assertThat(v5.members()).isEmpty();
      DescribedGroup v6 = describe(wire, (short) 6, "nowhere");
      assertThat(v6.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
      assertThat(v6.errorMessage()).contains("nowhere");
      assertThat(v6.groupState()).isEqualTo("Dead");
    }
  }

  @Test
  void a_pattern_member_subscribes_to_the_topics_it_is_assigned() throws IOException {
    http.createTopic("pat-a", 1);
    try (KafkaWire wire = wire()) {
      GroupOffsetCalls.commitErrors(
          wire,
          (short) 8,
          "patterned",
          "",
          -1,
          List.of(
              GroupOffsetCalls.commitOf("pat-a", 0, 1, ""),
              GroupOffsetCalls.commitOf("loose", 0, 1, "")));
      GroupOffsetCalls.httpMember(http, "patterned", "p");
      http.post(
              "/consumers/patterned/instances/p/subscription",
              TestHttp.V2,
              TestHttp.json(java.util.Map.of("topic_pattern", "pat-.*")))
          .expectStatus(204);
      DescribedGroupMember m = describe(wire, (short) 5, "patterned").members().getFirst();
      assertThat(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(m.memberMetadata()))
              .topics())
          .containsExactly("pat-a");
      assertThat(errors(deleteOffsets(wire, "patterned", topic("pat-a", 0), topic("loose", 0))))
          .isEqualTo("[loose-0=NONE, pat-a-0=GROUP_SUBSCRIBED_TO_TOPIC]");
    }
  }

  private static DeleteGroupsResponseData deleteGroups(
      KafkaWire wire, short version, String... groups) throws IOException {
    return ((DeleteGroupsResponse) wire.call(
            ApiKeys.DELETE_GROUPS,
            version,
            new DeleteGroupsRequestData().setGroupsNames(List.of(groups))))
        .data();
  }

  @Test
  void delete_groups_answers_each_group_once_with_kafka_s_errors() throws IOException {
    try (KafkaWire wire = wire()) {
      DeleteGroupsResponseData v0 = deleteGroups(wire, (short) 0, "nowhere", "live", "nowhere");
      assertThat(v0.results())
          .extracting(r -> r.groupId() + "=" + Errors.forCode(r.errorCode()))
          .containsExactly("nowhere=GROUP_ID_NOT_FOUND", "live=NON_EMPTY_GROUP");
      DeleteGroupsResponseData v3 = deleteGroups(wire, (short) 3, "live");
      assertThat(v3.results().find("live").errorMessage()).contains("live consumer instance");
    }
    assertThat(broker.queryLong("select count(*) from consumer_group where group_name = 'live'"))
        .isOne();
  }

  private static OffsetDeleteResponseData deleteOffsets(
      KafkaWire wire, String group, OffsetDeleteRequestTopic... topics) throws IOException {
    return ((OffsetDeleteResponse) wire.call(
            ApiKeys.OFFSET_DELETE,
            (short) 0,
            new OffsetDeleteRequestData()
                .setGroupId(group)
                .setTopics(
                    new OffsetDeleteRequestTopicCollection(List.of(topics).iterator()))))
        .data();
  }

  private static OffsetDeleteRequestTopic topic(String name, int... partitions) {
    OffsetDeleteRequestTopic t = new OffsetDeleteRequestTopic().setName(name);
    for (int p : partitions) {
      t.partitions().add(new OffsetDeleteRequestPartition().setPartitionIndex(p));
    }
    return t;
  }

  private static String errors(OffsetDeleteResponseData r) {
    return r.topics().stream()
        .flatMap(t -> t.partitions().stream()
            .map(p -> t.name() + "-" + p.partitionIndex() + "=" + Errors.forCode(p.errorCode())))
        .sorted()
        .toList()
        .toString();
  }

  @Test
  void offset_delete_answers_unknown_groups_topics_and_partitions_and_keeps_subscribed_topics()
      throws IOException {
    try (KafkaWire wire = wire()) {
      assertThat(deleteOffsets(wire, "nowhere", topic("wired", 0)).errorCode())
          .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
      OffsetDeleteResponseData live =
          deleteOffsets(wire, "live", topic("wired", 0), topic("ghost", 0), topic("loose", 0, 7));
      assertThat(live.errorCode()).isZero();
      assertThat(errors(live))
          .isEqualTo("[ghost-0=UNKNOWN_TOPIC_OR_PARTITION, loose-0=NONE,"
              + " loose-7=UNKNOWN_TOPIC_OR_PARTITION, wired-0=GROUP_SUBSCRIBED_TO_TOPIC]");
      OffsetDeleteResponseData idle = deleteOffsets(wire, "idle", topic("wired", 0, 1));
      assertThat(errors(idle)).isEqualTo("[wired-0=NONE, wired-1=NONE]");
    }
    assertThat(broker.queryText("select string_agg(t.name || '-' || o.partition_id, ',')"
            + " from committed_offset o join topic t using (topic_id) where group_name = 'idle'"))
        .isEqualTo("loose-0");
  }
}

package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
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
 * The group admin APIs' ACLs with SASL/PLAIN, as Kafka checks them: DESCRIBE on the cluster lists
 * every group, otherwise only the groups the caller may DESCRIBE; DESCRIBE on a group to describe
 * it (its authorized operations are the caller's); DELETE on a group to delete it or its offsets,
 * and READ on each topic whose offsets are deleted.
 */
class KafkaGroupAdminAuthorizationTest {
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() throws IOException {
    broker = TestBroker.startWithKafkaSasl("kafka-group-admin-authz");
    admin = broker.admin();
    admin.createTopic("open", 1);
    admin.createTopic("secret", 1);
    try (KafkaWire root = signedIn(TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD)) {
      for (String group : List.of("seen", "hidden", "doomed", "pruned")) {
        GroupOffsetCalls.commitOpenAndSecret(root, group);
      }
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire signedIn(String user, String password) throws IOException {
    return KafkaWire.signedIn(broker.node(0).kafkaPort(), user, password);
  }

  /** A connection signed in as a new user {@code name}, first granted each of {@code acls}. */
  private static KafkaWire user(String name, String[]... acls) throws IOException {
    admin.createUser(name, name + "-pw");
    for (String[] acl : acls) {
      admin.allow("User:" + name, acl[0], acl[1], acl[2]);
    }
    return signedIn(name, name + "-pw");
  }

  private static String[] acl(String operation, String type, String name) {
    return new String[] {operation, type, name};
  }

  private static List<String> listed(KafkaWire wire) throws IOException {
    return ((ListGroupsResponse)
            wire.call(ApiKeys.LIST_GROUPS, (short) 5, new ListGroupsRequestData()))
        .data().groups().stream().map(ListedGroup::groupId).sorted().toList();
  }

  @Test
  void list_groups_shows_all_groups_with_cluster_describe_and_else_the_describable_ones()
      throws IOException {
    try (KafkaWire lister = user("lister", acl("DESCRIBE", "GROUP", "seen"));
        KafkaWire operator = user("operator", acl("DESCRIBE", "CLUSTER", "kafka-cluster"));
        KafkaWire nobody = user("nobody")) {
      assertThat(listed(lister)).containsExactly("seen");
      assertThat(listed(operator)).contains("doomed", "hidden", "pruned", "seen");
      assertThat(listed(nobody)).isEmpty();
    }
  }

  private static List<DescribedGroup> describe(KafkaWire wire, String... groups)
      throws IOException {
    return ((DescribeGroupsResponse) wire.call(
            ApiKeys.DESCRIBE_GROUPS,
            (short) 5,
            new DescribeGroupsRequestData()
                .setGroups(List.of(groups))
                .setIncludeAuthorizedOperations(true)))
        .data()
        .groups();
  }

  @Test
  void describe_groups_needs_describe_on_the_group_and_answers_the_caller_s_operations()
      throws IOException {
    try (KafkaWire watcher = user("watcher", acl("DESCRIBE", "GROUP", "seen"))) {
      List<DescribedGroup> described = describe(watcher, "seen", "hidden");
      assertThat(described)
          .extracting(g -> g.groupId() + "=" + Errors.forCode(g.errorCode()))
          .containsExactly("seen=NONE", "hidden=GROUP_AUTHORIZATION_FAILED");
      assertThat(Utils.from32BitField(described.getFirst().authorizedOperations()))
          .containsExactly(AclOperation.DESCRIBE.code());
    }
  }

  @Test
  void an_http_member_created_with_authentication_on_shows_the_address_it_came_from()
      throws IOException {
    GroupOffsetCalls.httpMember(admin, "watched", "member");
    GroupOffsetCalls.httpSubscribe(admin, "watched", "member", "open");
    try (KafkaWire root = signedIn(TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD)) {
      assertThat(describe(root, "watched").getFirst().members())
          .extracting(m -> m.clientId() + "@" + m.clientHost())
          .containsExactly("member@/127.0.0.1");
    }
  }

  @Test
  void delete_groups_needs_delete_on_the_group() throws IOException {
    try (KafkaWire describer = user("describer", acl("DESCRIBE", "GROUP", "doomed"));
        KafkaWire deleter = user("deleter", acl("DELETE", "GROUP", "doomed"))) {
      assertThat(deleteError(describer, "doomed")).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
      assertThat(committed("doomed")).isEqualTo(2);
      assertThat(deleteError(deleter, "doomed")).isEqualTo(Errors.NONE);
      assertThat(committed("doomed")).isZero();
    }
  }

  private static Errors deleteError(KafkaWire wire, String group) throws IOException {
    return Errors.forCode(((DeleteGroupsResponse) wire.call(
            ApiKeys.DELETE_GROUPS,
            (short) 2,
            new DeleteGroupsRequestData().setGroupsNames(List.of(group))))
        .data()
        .results()
        .find(group)
        .errorCode());
  }

  private static long committed(String group) {
    return broker.queryLong(
        "select count(*) from committed_offset where group_name = '" + group + "'");
  }

  private static OffsetDeleteResponseData deleteOffsets(KafkaWire wire, String group)
      throws IOException {
    OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestTopicCollection();
    for (String topic : List.of("open", "secret")) {
      OffsetDeleteRequestTopic t = new OffsetDeleteRequestTopic().setName(topic);
      t.partitions().add(new OffsetDeleteRequestPartition().setPartitionIndex(0));
      topics.add(t);
    }
    return ((OffsetDeleteResponse) wire.call(
            ApiKeys.OFFSET_DELETE,
            (short) 0,
            new OffsetDeleteRequestData().setGroupId(group).setTopics(topics)))
        .data();
  }

  @Test
  void offset_delete_needs_delete_on_the_group_and_read_on_each_topic() throws IOException {
    try (KafkaWire reader =
            user("reader", acl("READ", "GROUP", "pruned"), acl("READ", "TOPIC", "open"));
        KafkaWire pruner =
            user("pruner", acl("DELETE", "GROUP", "pruned"), acl("READ", "TOPIC", "open"))) {
      assertThat(deleteOffsets(reader, "pruned").errorCode())
          .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
      assertThat(committed("pruned")).isEqualTo(2);
      OffsetDeleteResponseData pruned = deleteOffsets(pruner, "pruned");
      assertThat(pruned.errorCode()).isZero();
      assertThat(pruned.topics())
          .extracting(
              t -> t.name() + "=" + Errors.forCode(t.partitions().find(0).errorCode()))
          .containsExactly("open=NONE", "secret=TOPIC_AUTHORIZATION_FAILED");
    }
    assertThat(broker.queryText("select string_agg(t.name, ',') from committed_offset o"
            + " join topic t using (topic_id) where group_name = 'pruned'"))
        .isEqualTo("secret");
  }
}

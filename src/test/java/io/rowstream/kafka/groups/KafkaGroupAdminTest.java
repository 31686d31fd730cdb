package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The group administration of kafka-clients' Admin over the Kafka door, on the rows HTTP consumer
 * groups use: groups listed with their state (and filtered by it), an HTTP group with two
 * subscribed members described with its members, client ids, hosts and assignments, groups deleted
 * only once no member is live, committed offsets deleted but in topics a live member subscribes to;
 * another node answers for the same groups.
 */
class KafkaGroupAdminTest {
  private static TestBroker broker;
  private static TestHttp http;
  private static Admin admin;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-group-admin");
    http = broker.http();
    admin = KafkaClients.admin(broker.kafkaBootstrap());
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  /** Commits {@code offset} for each partition outside membership (the group has no live member). */
  private static void commit(String group, Map<TopicPartition, Long> offsets) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
    offsets.forEach((tp, o) -> commits.put(tp, new OffsetAndMetadata(o)));
    admin.alterConsumerGroupOffsets(group, commits).all().get();
  }

  private static void deleteHttpMember(String group, String name) {
    http.delete("/consumers/" + group + "/instances/" + name).expectStatus(204);
  }

  private static Collection<GroupListing> listed(ListGroupsOptions options) throws Exception {
    return admin.listGroups(options).all().get();
  }

  @Test
  void groups_are_listed_with_their_state_and_filtered_by_it() throws Exception {
    http.createTopic("listing", 1);
    GroupOffsetCalls.httpMember(http, "busy-listed", "m1");
    GroupOffsetCalls.httpSubscribe(http, "busy-listed", "m1", "listing");
    commit("idle-listed", Map.of(new TopicPartition("listing", 0), 1L));

    assertThat(listed(ListGroupsOptions.forConsumerGroups()))
        .filteredOn(g -> g.groupId().endsWith("-listed"))
        .extracting(g -> g.groupId() + ":" + g.groupState().orElseThrow() + ":" + g.protocol())
        .containsExactlyInAnyOrder("busy-listed:Stable:consumer", "idle-listed:Empty:consumer");
    assertThat(
            listed(ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.STABLE))))
        .extracting(GroupListing::groupId)
        .contains("busy-listed")
        .doesNotContain("idle-listed");
    assertThat(
            listed(ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.EMPTY))))
        .extracting(GroupListing::groupId)
        .contains("idle-listed")
        .doesNotContain("busy-listed");
  }

  @Test
  void an_http_group_is_described_with_its_members_client_ids_and_assignments() throws Exception {
    http.createTopic("described", 2);
    GroupOffsetCalls.httpMember(http, "http-described", "alpha");
    GroupOffsetCalls.httpMember(http, "http-described", "beta");
    GroupOffsetCalls.httpSubscribe(http, "http-described", "alpha", "described");
    GroupOffsetCalls.httpSubscribe(http, "http-described", "beta", "described");
    Map<String, String> memberIds = Map.of(
        "alpha", memberId("http-described", "alpha"), "beta", memberId("http-described", "beta"));

    ConsumerGroupDescription d = admin
        .describeConsumerGroups(List.of("http-described"))
        .describedGroups()
        .get("http-described")
        .get();
    assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
    assertThat(d.isSimpleConsumerGroup()).isFalse();
    // with authentication off an HTTP instance's address is not recorded: its host is *
    assertThat(d.members())
        .extracting(m -> m.clientId() + ":" + m.consumerId() + ":" + m.host())
        .containsExactlyInAnyOrder(
            "alpha:" + memberIds.get("alpha") + ":*", "beta:" + memberIds.get("beta") + ":*");
    // the range assignor gives each of the two members one of the two partitions
    assertThat(d.members())
        .flatExtracting(m -> m.assignment().topicPartitions())
        .containsExactlyInAnyOrder(
            new TopicPartition("described", 0), new TopicPartition("described", 1));
    for (MemberDescription m : d.members()) {
      assertThat(m.assignment().topicPartitions()).hasSize(1);
      assertThat(assignedInSql("http-described", m.clientId()))
          .isEqualTo(
              "described-" + m.assignment().topicPartitions().iterator().next().partition());
    }
  }

  private static String memberId(String group, String instance) {
    return broker.queryText("select member_id from consumer_instance where group_name = '" + group
        + "' and instance_id = '" + instance + "'");
  }

  private static String assignedInSql(String group, String instance) {
    return broker.queryText("select array_to_string(partitions, ',') from group_member_overview"
        + " where \"group\" = '" + group + "' and instance_id = '" + instance + "'");
  }

  @Test
  void a_group_is_deleted_with_its_offsets_only_once_no_member_is_live() throws Exception {
    http.createTopic("deleting", 1);
    TopicPartition p0 = new TopicPartition("deleting", 0);
    commit("doomed", Map.of(p0, 2L));
    GroupOffsetCalls.httpMember(http, "doomed", "last");
    GroupOffsetCalls.httpSubscribe(http, "doomed", "last", "deleting");

    assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of("doomed")).all().get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(GroupNotEmptyException.class);
    assertThat(committedCount("doomed")).isEqualTo(1);

    deleteHttpMember("doomed", "last");
    admin.deleteConsumerGroups(List.of("doomed")).all().get();
    assertThat(committedCount("doomed")).isZero();
    assertThat(broker.queryLong("select count(*) from consumer_group where group_name = 'doomed'"))
        .isZero();
    assertThat(listed(ListGroupsOptions.forConsumerGroups()))
        .extracting(GroupListing::groupId)
        .doesNotContain("doomed");
  }

  @Test
  void another_node_lists_describes_and_deletes_the_same_groups() throws Exception {
    http.createTopic("elsewhere", 1);
    GroupOffsetCalls.httpMember(http, "far", "only");
    GroupOffsetCalls.httpSubscribe(http, "far", "only", "elsewhere");
    int second = broker.startNode();
    try (Admin other = KafkaClients.admin(broker.kafkaBootstrap(second))) {
      assertThat(other.listGroups(ListGroupsOptions.forConsumerGroups()).all().get())
          .extracting(GroupListing::groupId)
          .contains("far");
      assertThat(other
              .describeConsumerGroups(List.of("far"))
              .describedGroups()
              .get("far")
              .get()
              .members())
          .extracting(MemberDescription::clientId)
          .containsExactly("only");
      deleteHttpMember("far", "only");
      other.deleteConsumerGroups(List.of("far")).all().get();
    }
    assertThat(broker.queryLong("select count(*) from consumer_group where group_name = 'far'"))
        .isZero();
  }

  private static long committedCount(String group) {
    return broker.queryLong(
        "select count(*) from committed_offset where group_name = '" + group + "'");
  }

  @Test
  void offsets_are_deleted_but_in_topics_a_live_member_subscribes_to() throws Exception {
    http.createTopic("kept", 1);
    http.createTopic("dropped", 2);
    TopicPartition kept = new TopicPartition("kept", 0);
    TopicPartition dropped0 = new TopicPartition("dropped", 0);
    TopicPartition dropped1 = new TopicPartition("dropped", 1);
    commit("pruned", Map.of(kept, 1L, dropped0, 2L, dropped1, 3L));
    GroupOffsetCalls.httpMember(http, "pruned", "reader");
    GroupOffsetCalls.httpSubscribe(http, "pruned", "reader", "kept");

    DeleteConsumerGroupOffsetsResult result =
        admin.deleteConsumerGroupOffsets("pruned", Set.of(kept, dropped0));
    result.partitionResult(dropped0).get();
    assertThatThrownBy(() -> result.partitionResult(kept).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(GroupSubscribedToTopicException.class);
    assertThat(broker.queryText("select string_agg(t.name || '-' || o.partition_id || '='"
            + " || o.committed_offset, ',' order by t.name, o.partition_id)"
            + " from committed_offset o join topic t using (topic_id) where group_name = 'pruned'"))
        .isEqualTo("dropped-1=3,kept-0=1");
  }
}

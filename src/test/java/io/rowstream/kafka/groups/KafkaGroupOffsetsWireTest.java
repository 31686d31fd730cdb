package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FindCoordinator, OffsetCommit and OffsetFetch as raw frames, old and batched versions: the
 * coordinator is the node asked; per-partition errors of a commit; a commit naming an HTTP member
 * is fenced by its generation; batched OffsetFetch (v8) with named and null topics.
 */
class KafkaGroupOffsetsWireTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-group-offsets-wire");
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
  void find_coordinator_answers_the_node_asked_for_one_key_and_for_a_batch() throws IOException {
    int port = broker.node(0).kafkaPort();
    try (KafkaWire wire = wire()) {
      FindCoordinatorResponseData v0 = ((FindCoordinatorResponse) wire.call(
              ApiKeys.FIND_COORDINATOR, (short) 0, new FindCoordinatorRequestData().setKey("g")))
          .data();
      assertThat(v0.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(v0.nodeId()).isEqualTo(broker.node(0).services().nodeId());
      assertThat(v0.port()).isEqualTo(port);
      FindCoordinatorResponseData v4 = ((FindCoordinatorResponse) wire.call(
              ApiKeys.FIND_COORDINATOR,
              (short) 4,
              new FindCoordinatorRequestData().setCoordinatorKeys(List.of("a", "b"))))
          .data();
      assertThat(v4.coordinators())
          .extracting(c -> c.key() + "@" + c.nodeId() + ":" + c.port() + "/" + c.errorCode())
          .containsExactly(
              "a@" + broker.node(0).services().nodeId() + ":" + port + "/0",
              "b@" + broker.node(0).services().nodeId() + ":" + port + "/0");
      FindCoordinatorResponseData txn = ((FindCoordinatorResponse) wire.call(
              ApiKeys.FIND_COORDINATOR,
              (short) 6,
              new FindCoordinatorRequestData()
                  .setKeyType((byte) 1)
                  .setCoordinatorKeys(List.of("tx"))))
          .data();
      assertThat(txn.coordinators().getFirst().errorCode())
          .isEqualTo(Errors.INVALID_TXN_STATE.code());
      assertThat(txn.coordinators().getFirst().nodeId()).isEqualTo(-1);
    }
  }

  private static OffsetCommitRequestTopic topic(String name, OffsetCommitRequestPartition... ps) {
    return new OffsetCommitRequestTopic().setName(name).setPartitions(List.of(ps));
  }

  private static OffsetCommitRequestPartition partition(int p, long offset, String metadata) {
    return new OffsetCommitRequestPartition()
        .setPartitionIndex(p)
        .setCommittedOffset(offset)
        .setCommittedMetadata(metadata);
  }

  @Test
  void commit_v2_answers_per_partition_and_fetch_v1_and_v5_read_the_commit() throws IOException {
    try (KafkaWire wire = wire()) {
      OffsetCommitResponseData committed = ((OffsetCommitResponse) wire.call(
              ApiKeys.OFFSET_COMMIT,
              (short) 2,
              new OffsetCommitRequestData()
                  .setGroupId("old-client")
                  .setGenerationIdOrMemberEpoch(-1)
                  .setMemberId("")
                  .setTopics(List.of(
                      topic("wire", partition(0, 5, "m"), partition(1, 7, "x".repeat(4097))),
                      topic("missing", partition(0, 1, null))))))
          .data();
      assertThat(GroupOffsetCalls.errors(committed))
          .isEqualTo(
              "wire-0=NONE wire-1=OFFSET_METADATA_TOO_LARGE missing-0=UNKNOWN_TOPIC_OR_PARTITION");
      assertThat(GroupOffsetCalls.commitErrors(
              wire,
              (short) 9,
              "old-client",
              "",
              -1,
              List.of(GroupOffsetCalls.commitOf("wire", 0, -1, ""))))
          .isEqualTo("wire-0=INVALID_REQUEST");
      OffsetFetchResponseData v1 = ((OffsetFetchResponse) wire.call(
              ApiKeys.OFFSET_FETCH,
              (short) 1,
              new OffsetFetchRequestData()
                  .setGroupId("old-client")
                  .setTopics(List.of(new OffsetFetchRequestTopic()
                      .setName("wire")
                      .setPartitionIndexes(List.of(0, 1))))))
          .data();
      assertThat(v1.topics().getFirst().partitions())
          .extracting(p -> p.partitionIndex() + ":" + p.committedOffset() + ":" + p.metadata())
          .containsExactly("0:5:m", "1:-1:");
      OffsetFetchResponseData all = ((OffsetFetchResponse) wire.call(
              ApiKeys.OFFSET_FETCH,
              (short) 5,
              new OffsetFetchRequestData().setGroupId("old-client").setTopics(null)))
          .data();
      assertThat(all.topics()).hasSize(1);
      assertThat(all.topics().getFirst().partitions())
          .extracting(p -> p.partitionIndex() + ":" + p.committedOffset())
          .containsExactly("0:5");
    }
  }

  @Test
  void batched_fetch_v8_answers_each_group_with_named_and_null_topics() throws IOException {
    try (KafkaWire wire = wire()) {
      for (String group : List.of("batch-a", "batch-b")) {
        OffsetCommitResponseData r = ((OffsetCommitResponse) wire.call(
                ApiKeys.OFFSET_COMMIT,
                (short) 9,
                new OffsetCommitRequestData()
                    .setGroupId(group)
                    .setGenerationIdOrMemberEpoch(-1)
                    .setMemberId("")
                    .setTopics(
                        List.of(topic("wire", partition(0, group.equals("batch-a") ? 1 : 2, ""))))))
            .data();
        assertThat(GroupOffsetCalls.errors(r)).isEqualTo("wire-0=NONE");
      }
      OffsetFetchResponseData batched = ((OffsetFetchResponse) wire.call(
              ApiKeys.OFFSET_FETCH,
              (short) 8,
              new OffsetFetchRequestData()
                  .setRequireStable(true)
                  .setGroups(List.of(
                      new OffsetFetchRequestGroup()
                          .setGroupId("batch-a")
                          .setTopics(List.of(new OffsetFetchRequestTopics()
                              .setName("wire")
                              .setPartitionIndexes(List.of(0, 1)))),
                      new OffsetFetchRequestGroup().setGroupId("batch-b").setTopics(null),
                      new OffsetFetchRequestGroup().setGroupId("never").setTopics(null)))))
          .data();
      assertThat(batched.groups())
          .extracting(g -> g.groupId() + "/" + g.errorCode() + ":"
              + g.topics().stream()
                  .flatMap(t -> t.partitions().stream()
                      .map(p -> t.name() + "-" + p.partitionIndex() + "=" + p.committedOffset()))
                  .toList())
          .containsExactly("batch-a/0:[wire-0=1, wire-1=-1]", "batch-b/0:[wire-0=2]", "never/0:[]");
    }
  }

  @Test
  void a_commit_naming_an_http_member_is_accepted_in_its_generation_and_fenced_otherwise()
      throws IOException {
    TestHttp http = broker.http();
    GroupOffsetCalls.httpMember(http, "mixed", "m1");
    GroupOffsetCalls.httpSubscribe(http, "mixed", "m1", "wire");
    String memberId =
        broker.queryText("select member_id from consumer_instance where group_name = 'mixed'");
    int generation = Integer.parseInt(
        broker.queryText("select generation from consumer_group where group_name = 'mixed'"));
    try (KafkaWire wire = wire()) {
      assertThat(commit(wire, "mixed", memberId, generation, 3)).isEqualTo("wire-0=NONE");
      assertThat(commit(wire, "mixed", memberId, generation - 1, 9))
          .isEqualTo("wire-0=ILLEGAL_GENERATION");
      assertThat(commit(wire, "mixed", "someone-else", generation, 9))
          .isEqualTo("wire-0=UNKNOWN_MEMBER_ID");
      assertThat(commit(wire, "mixed", "", -1, 9)).isEqualTo("wire-0=UNKNOWN_MEMBER_ID");
    }
    assertThat(broker.queryText("select committed_offset || '@' || generation from committed_offset"
            + " where group_name = 'mixed'"))
        .isEqualTo("3@" + generation);
  }

  private static String commit(
      KafkaWire wire, String group, String memberId, int generation, long offset)
      throws IOException {
    return GroupOffsetCalls.commitErrors(
        wire,
        (short) 8,
        group,
        memberId,
        generation,
        List.of(GroupOffsetCalls.commitOf("wire", 0, offset, "")));
  }
}

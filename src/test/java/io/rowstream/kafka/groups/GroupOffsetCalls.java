package io.rowstream.kafka.groups;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;

/** The raw group calls and HTTP members the group offset tests share. */
final class GroupOffsetCalls {
  private GroupOffsetCalls() {}

  /** One partition's commit of {@code offset} (the next to read) with {@code metadata}. */
  static OffsetCommitRequestTopic commitOf(
      String topic, int partition, long offset, String metadata) {
    return new OffsetCommitRequestTopic()
        .setName(topic)
        .setPartitions(List.of(new OffsetCommitRequestPartition()
            .setPartitionIndex(partition)
            .setCommittedOffset(offset)
            .setCommittedMetadata(metadata)));
  }

  /** OffsetCommit at {@code version}; each partition's error as {@code topic-partition=ERROR}. */
  static String commitErrors(
      KafkaWire wire,
      short version,
      String group,
      String memberId,
      int generation,
      List<OffsetCommitRequestTopic> topics)
      throws IOException {
    return errors(((OffsetCommitResponse) wire.call(
            ApiKeys.OFFSET_COMMIT,
            version,
            new OffsetCommitRequestData()
                .setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation)
                .setMemberId(memberId)
                .setTopics(topics)))
        .data());
  }

  /**
   * OffsetCommit v9 without membership of offset 1 in partition 0 of {@code open} and of
   * {@code secret}, the two topics of the authorization tests; the errors as {@link #commitErrors}.
   */
  static String commitOpenAndSecret(KafkaWire wire, String group) throws IOException {
    return commitErrors(
        wire,
        (short) 9,
        group,
        "",
        -1,
        List.of(commitOf("open", 0, 1, ""), commitOf("secret", 0, 1, "")));
  }

  /** Each partition's error as {@code topic-partition=ERROR}, space-separated. */
  static String errors(OffsetCommitResponseData r) {
    List<String> out = new ArrayList<>();
    r.topics()
        .forEach(t -> t.partitions()
            .forEach(p -> out.add(
                t.name() + "-" + p.partitionIndex() + "=" + Errors.forCode(p.errorCode()))));
    return String.join(" ", out);
  }

  /** The error of FindCoordinator v4 for one group. */
  static short coordinatorError(KafkaWire wire, String group) throws IOException {
    return ((FindCoordinatorResponse) wire.call(
            ApiKeys.FIND_COORDINATOR,
            (short) 4,
            new FindCoordinatorRequestData().setCoordinatorKeys(List.of(group))))
        .data()
        .coordinators()
        .getFirst()
        .errorCode();
  }

  /** Creates a binary HTTP consumer instance {@code name} in {@code group}. */
  static void httpMember(TestHttp http, String group, String name) {
    http.post(
            "/consumers/" + group,
            TestHttp.V2,
            TestHttp.json(Map.of("name", name, "format", "binary")))
        .expectStatus(200);
  }

  /** Subscribes the HTTP instance to {@code topic}: the group gets a live member. */
  static void httpSubscribe(TestHttp http, String group, String name, String topic) {
    http.post(
            "/consumers/" + group + "/instances/" + name + "/subscription",
            TestHttp.V2,
            TestHttp.json(Map.of("topics", List.of(topic))))
        .expectStatus(204);
  }
}

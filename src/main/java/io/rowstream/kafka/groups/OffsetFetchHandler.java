package io.rowstream.kafka.groups;

import io.rowstream.error.BrokerException;
import io.rowstream.group.GroupOffset;
import io.rowstream.group.GroupOffsets;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.log.PartitionKey;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.TopicCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchRequest;

/**
 * OffsetFetch, one group (v1..7) or several (v8+), from the rows HTTP commits write too. DESCRIBE on
 * the group, else the group's GROUP_AUTHORIZATION_FAILED (v1, which has no group error, puts it on
 * each partition). Named partitions: the committed offset, or -1 without a commit (also of a topic
 * that does not exist, as Kafka answers); a topic the caller may not DESCRIBE gets
 * TOPIC_AUTHORIZATION_FAILED. Null topics (v2+): every committed partition of the group in a topic
 * the caller may DESCRIBE, the others left out, as Kafka does. {@code require_stable} is always met:
 * without transactions no commit is ever pending. The member id and epoch of v9 are not checked, as
 * Kafka's classic groups do not check them. The committed leader epoch (v5+) is the one the commit
 * carried, or -1 without one (an HTTP commit, or one before OffsetCommit v6).
 */
final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequest> {
  private static final short BATCHED_VERSION = 8;
  private static final short GROUP_ERROR_VERSION = 2;
  private static final int NONE = -1;

  private final GroupOffsets offsets;
  private final TopicCache topics;
  private final KafkaErrors errors;

  OffsetFetchHandler(GroupOffsets offsets, TopicCache topics, KafkaErrors errors) {
    this.offsets = offsets;
    this.topics = topics;
    this.errors = errors;
  }

  /** One group's answer: its error, or its partitions by topic name. */
  private record GroupAnswer(
      Errors error, Map<String, List<OffsetFetchResponsePartitions>> topics) {}

  @Override
  public ApiMessage handle(OffsetFetchRequest request, KafkaSession session) {
    Caller caller = session.caller();
    OffsetFetchRequestData data = request.data();
    OffsetFetchResponseData response = new OffsetFetchResponseData();
    if (request.version() >= BATCHED_VERSION) {
      for (OffsetFetchRequestGroup g : data.groups()) {
        Map<String, List<Integer>> asked = null;
        if (g.topics() != null) {
          asked = new LinkedHashMap<>();
          for (var t : g.topics()) {
            asked.computeIfAbsent(t.name(), n -> new ArrayList<>()).addAll(t.partitionIndexes());
          }
        }
        GroupAnswer answer = answer(caller, g.groupId(), asked);
        OffsetFetchResponseGroup group = new OffsetFetchResponseGroup()
            .setGroupId(g.groupId())
            .setErrorCode(answer.error().code());
        answer
            .topics()
            .forEach((name, partitions) -> group
                .topics()
                .add(new OffsetFetchResponseTopics().setName(name).setPartitions(partitions)));
        response.groups().add(group);
      }
      return response;
    }
    Map<String, List<Integer>> asked = null;
    if (data.topics() != null) {
      asked = new LinkedHashMap<>();
      for (var t : data.topics()) {
        asked.computeIfAbsent(t.name(), n -> new ArrayList<>()).addAll(t.partitionIndexes());
      }
    }
    GroupAnswer answer = answer(caller, data.groupId(), asked);
    if (answer.error() != Errors.NONE && request.version() >= GROUP_ERROR_VERSION) {
      return response.setErrorCode(answer.error().code());
    }
    Map<String, List<OffsetFetchResponsePartitions>> byTopic = answer.topics();
    if (answer.error() != Errors.NONE && asked != null) { // v1: the group's error on each partition
      byTopic = new LinkedHashMap<>();
      for (var e : asked.entrySet()) {
        byTopic.put(
            e.getKey(),
            e.getValue().stream().map(p -> noOffset(p, answer.error())).toList());
      }
    }
    byTopic.forEach((name, partitions) -> response
        .topics()
        .add(new OffsetFetchResponseTopic()
            .setName(name)
            .setPartitions(partitions.stream()
                .map(p -> new OffsetFetchResponsePartition()
                    .setPartitionIndex(p.partitionIndex())
                    .setCommittedOffset(p.committedOffset())
                    .setCommittedLeaderEpoch(p.committedLeaderEpoch())
                    .setMetadata(p.metadata())
                    .setErrorCode(p.errorCode()))
                .toList())));
    return response;
  }

  /** The group's offsets in {@code asked} (topic to partitions), or in all it committed when null. */
  private GroupAnswer answer(Caller caller, String group, Map<String, List<Integer>> asked) {
    Map<String, List<OffsetFetchResponsePartitions>> out = new LinkedHashMap<>();
    try {
      if (asked == null) {
        for (GroupOffsets.Committed c : offsets.committedAll(caller, group)) {
          if (caller.may(
              Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, c.partition().topic())) {
            out.computeIfAbsent(c.partition().topic(), n -> new ArrayList<>())
                .add(offset(c.partition().partition(), c.offset(), c.metadata(), c.leaderEpoch()));
          }
        }
        return new GroupAnswer(Errors.NONE, out);
      }
      Map<PartitionKey, String> names = new HashMap<>();
      Map<String, Long> topicIds = new HashMap<>();
      for (var e : asked.entrySet()) {
        if (caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, e.getKey())) {
          topicId(e.getKey()).ifPresent(id -> {
            topicIds.put(e.getKey(), id);
            e.getValue().forEach(p -> names.put(new PartitionKey(id, p), e.getKey()));
          });
        }
      }
      Map<PartitionKey, GroupOffset> committed = new HashMap<>();
      offsets.committed(caller, group, names.keySet()).forEach(o -> committed.put(o.key(), o));
      for (var e : asked.entrySet()) {
        List<OffsetFetchResponsePartitions> partitions = new ArrayList<>();
        boolean described = caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, e.getKey());
        Long id = topicIds.get(e.getKey());
        for (int p : e.getValue()) {
          GroupOffset o = id == null ? null : committed.get(new PartitionKey(id, p));
          partitions.add(
              !described
                  ? noOffset(p, Errors.TOPIC_AUTHORIZATION_FAILED)
                  : o == null
                      ? noOffset(p, Errors.NONE)
                      : offset(p, o.offset(), o.metadata(), o.leaderEpoch()));
        }
        out.put(e.getKey(), partitions);
      }
      return new GroupAnswer(Errors.NONE, out);
    } catch (BrokerException e) {
      return new GroupAnswer(errors.errorOf(e, "OffsetFetch"), Map.of());
    }
  }

  /** The topic's id; empty when it does not exist (its partitions have no commit). */
  private java.util.Optional<Long> topicId(String name) {
    try {
      return java.util.Optional.of(topics.require(name).id());
    } catch (BrokerException unknown) {
      return java.util.Optional.empty();
    }
  }

  private static OffsetFetchResponsePartitions offset(
      int partition, long offset, String metadata, Integer leaderEpoch) {
    return new OffsetFetchResponsePartitions()
        .setPartitionIndex(partition)
        .setCommittedOffset(offset)
        .setCommittedLeaderEpoch(leaderEpoch == null ? NONE : leaderEpoch)
        .setMetadata(metadata);
  }

  private static OffsetFetchResponsePartitions noOffset(int partition, Errors error) {
    return new OffsetFetchResponsePartitions()
        .setPartitionIndex(partition)
        .setCommittedOffset(NONE)
        .setCommittedLeaderEpoch(NONE)
        .setMetadata("")
        .setErrorCode(error.code());
  }
}

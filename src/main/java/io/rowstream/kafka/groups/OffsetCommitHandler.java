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
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;

/**
 * OffsetCommit, in Kafka's order of checks: READ on the group (every partition
 * GROUP_AUTHORIZATION_FAILED), then per partition READ on its topic (TOPIC_AUTHORIZATION_FAILED),
 * its existence (UNKNOWN_TOPIC_OR_PARTITION) and Kafka's 4096-character metadata limit
 * (OFFSET_METADATA_TOO_LARGE), and a negative offset (INVALID_REQUEST: Kafka would store it and read
 * it back as "no offset"; {@code committed_offset} holds none, and kafka-clients never sends one);
 * the partitions left are committed together by
 * {@link GroupOffsets#commit}, whose refusal (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION) every one of
 * them gets. The metadata is stored ({@code committed_offset.metadata}, null as ""), and from v6
 * the committed leader epoch ({@code committed_offset.leader_epoch}; -1 stored as none), which
 * OffsetFetch hands back so that a resuming client validates its position. The retention time
 * (v2..4) is ignored, as Kafka 4 ignores it.
 */
final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequest> {
  /** Kafka's {@code offset.metadata.max.bytes} default. */
  static final int MAX_METADATA = 4096;

  private final GroupOffsets offsets;
  private final TopicCache topics;
  private final KafkaErrors errors;

  OffsetCommitHandler(GroupOffsets offsets, TopicCache topics, KafkaErrors errors) {
    this.offsets = offsets;
    this.topics = topics;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(OffsetCommitRequest request, KafkaSession session) {
    Caller caller = session.caller();
    OffsetCommitRequestData data = request.data();
    OffsetCommitResponseData response = new OffsetCommitResponseData();
    boolean groupReadable = caller.may(Acl.Operation.READ, Acl.ResourceType.GROUP, data.groupId());
    List<OffsetCommitResponsePartition> committing = new ArrayList<>();
    List<GroupOffset> commits = new ArrayList<>();
    for (OffsetCommitRequestTopic t : data.topics()) {
      OffsetCommitResponseTopic topicAnswer = new OffsetCommitResponseTopic().setName(t.name());
      response.topics().add(topicAnswer);
      boolean readable = caller.mayRead(t.name());
      for (OffsetCommitRequestPartition p : t.partitions()) {
        OffsetCommitResponsePartition answer =
            new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
        topicAnswer.partitions().add(answer);
        Errors refused = !groupReadable
            ? Errors.GROUP_AUTHORIZATION_FAILED
            : !readable ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.NONE;
        if (refused == Errors.NONE) {
          try {
            Topic topic = topics.requirePartition(t.name(), p.partitionIndex());
            String metadata = p.committedMetadata() == null ? "" : p.committedMetadata();
            if (metadata.length() > MAX_METADATA) {
              refused = Errors.OFFSET_METADATA_TOO_LARGE;
            } else if (p.committedOffset() < 0) {
              refused = Errors.INVALID_REQUEST;
            } else {
              commits.add(new GroupOffset(
                  new PartitionKey(topic.id(), p.partitionIndex()),
                  p.committedOffset(),
                  metadata,
                  p.committedLeaderEpoch() < 0 ? null : p.committedLeaderEpoch()));
              committing.add(answer);
            }
          } catch (BrokerException e) {
            refused = errors.errorOf(e, "OffsetCommit");
          }
        }
        answer.setErrorCode(refused.code());
      }
    }
    if (!commits.isEmpty()) {
      try {
        offsets.commit(
            caller,
            data.groupId(),
            data.memberId(),
            data.generationIdOrMemberEpoch(),
            data.groupInstanceId(),
            commits);
      } catch (BrokerException e) {
        Errors refused = errors.errorOf(e, "OffsetCommit");
        committing.forEach(a -> a.setErrorCode(refused.code()));
      }
    }
    return response;
  }
}

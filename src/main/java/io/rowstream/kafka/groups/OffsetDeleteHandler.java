package io.rowstream.kafka.groups;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.group.GroupOffsets;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.log.PartitionKey;
import io.rowstream.security.Caller;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetDeleteRequest;

/**
 * OffsetDelete (v0, its only version), with Kafka's checks: DELETE on the group, else the whole
 * answer is GROUP_AUTHORIZATION_FAILED; per partition READ on its topic (TOPIC_AUTHORIZATION_FAILED)
 * and its existence (UNKNOWN_TOPIC_OR_PARTITION); then {@link GroupOffsets#delete} deletes the
 * rest in one transaction, but in topics a live member subscribes to (GROUP_SUBSCRIBED_TO_TOPIC on
 * each of their partitions), or answers GROUP_ID_NOT_FOUND for the whole request. A partition
 * without a committed offset is answered without error, as Kafka answers it.
 */
final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequest> {
  private final GroupOffsets offsets;
  private final TopicCache topics;
  private final KafkaErrors errors;

  OffsetDeleteHandler(GroupOffsets offsets, TopicCache topics, KafkaErrors errors) {
    this.offsets = offsets;
    this.topics = topics;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(OffsetDeleteRequest request, KafkaSession session) {
    Caller caller = session.caller();
    OffsetDeleteResponseData response = new OffsetDeleteResponseData();
    Map<String, List<PartitionKey>> deleting = new LinkedHashMap<>();
    Map<String, List<OffsetDeleteResponsePartition>> answers = new LinkedHashMap<>();
    for (OffsetDeleteRequestTopic t : request.data().topics()) {
      OffsetDeleteResponseTopic topicAnswer = response.topics().find(t.name());
      if (topicAnswer == null) {
        topicAnswer = new OffsetDeleteResponseTopic().setName(t.name());
        response.topics().add(topicAnswer);
      }
      boolean readable = caller.mayRead(t.name());
      for (OffsetDeleteRequestPartition p : t.partitions()) {
        OffsetDeleteResponsePartition answer =
            new OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex());
        topicAnswer.partitions().add(answer);
        if (!readable) {
          answer.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
          continue;
        }
        try {
          Topic topic = topics.requirePartition(t.name(), p.partitionIndex());
          deleting
              .computeIfAbsent(t.name(), n -> new ArrayList<>())
              .add(new PartitionKey(topic.id(), p.partitionIndex()));
          answers.computeIfAbsent(t.name(), n -> new ArrayList<>()).add(answer);
        } catch (BrokerException e) {
          answer.setErrorCode(errors.errorOf(e, "OffsetDelete").code());
        }
      }
    }
    // the group's own refusals (its ACL, its existence) answer the whole request
    Set<String> subscribed = offsets.delete(caller, request.data().groupId(), deleting);
    Errors kept = BrokerError.GROUP_SUBSCRIBED_TO_TOPIC.kafka();
    subscribed.forEach(topic -> answers.get(topic).forEach(a -> a.setErrorCode(kept.code())));
    return response;
  }
}

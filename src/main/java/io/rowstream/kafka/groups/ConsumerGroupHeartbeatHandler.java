package io.rowstream.kafka.groups;

import io.rowstream.group.ConsumerGroupHeartbeats;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaSession;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData.Assignment;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData.TopicPartitions;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;

/**
 * ConsumerGroupHeartbeat (KIP-848), v0 and v1: parses, calls {@link ConsumerGroupHeartbeats} (which
 * checks READ on the group and the rest), renders the member's epoch, heartbeat interval and
 * assignment by Kafka topic id. From v1 the client names itself (KIP-1082: an empty member id is
 * INVALID_REQUEST); v0 may leave it to the coordinator, which generates one. v1 adds the regex
 * subscription. A refusal is the dispatcher's error response with the refusal's Kafka error.
 */
final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequest> {
  private static final short CLIENT_MEMBER_ID_VERSION = 1;

  private final ConsumerGroupHeartbeats heartbeats;

  ConsumerGroupHeartbeatHandler(ConsumerGroupHeartbeats heartbeats) {
    this.heartbeats = heartbeats;
  }

  @Override
  public ApiMessage handle(ConsumerGroupHeartbeatRequest request, KafkaSession session) {
    ConsumerGroupHeartbeatRequestData data = request.data();
    List<ConsumerGroupHeartbeats.OwnedTopic> owned = data.topicPartitions() == null
        ? null
        : data.topicPartitions().stream()
            .map(t -> new ConsumerGroupHeartbeats.OwnedTopic(uuid(t.topicId()), t.partitions()))
            .toList();
    ConsumerGroupHeartbeats.Answer answer = heartbeats.heartbeat(
        session.caller(),
        new ConsumerGroupHeartbeats.Call(
            data.groupId(),
            data.memberId(),
            request.version() >= CLIENT_MEMBER_ID_VERSION,
            data.memberEpoch(),
            data.instanceId(),
            data.rebalanceTimeoutMs(),
            data.subscribedTopicNames(),
            data.subscribedTopicRegex(),
            data.serverAssignor(),
            owned,
            session.clientId()));
    ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
        .setMemberId(answer.memberId())
        .setMemberEpoch(answer.memberEpoch())
        .setHeartbeatIntervalMs(answer.heartbeatIntervalMs());
    if (answer.assignment() != null) {
      response.setAssignment(new Assignment()
          .setTopicPartitions(answer.assignment().stream()
              .map(t -> new TopicPartitions()
                  .setTopicId(kafkaId(t.topicId()))
                  .setPartitions(t.partitions()))
              .toList()));
    }
    return response;
  }

  static UUID uuid(Uuid id) {
    return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }

  static Uuid kafkaId(UUID id) {
    return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }
}

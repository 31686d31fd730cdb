package io.rowstream.group;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;

/**
 * The shape a ConsumerGroupHeartbeat must have before anything is looked up, as Kafka's group
 * coordinator checks it (INVALID_REQUEST with Kafka's wording), and the subscription it carries.
 */
final class HeartbeatChecks {
  private HeartbeatChecks() {}

  static void validate(ConsumerGroupHeartbeats.Call call) {
    if (call.group() == null || call.group().isEmpty()) {
      throw invalid("GroupId can't be empty.");
    }
    if (call.memberId() == null || call.memberId().isEmpty()) {
      throw invalid("MemberId can't be empty.");
    }
    if (call.instanceId() != null && call.instanceId().isEmpty()) {
      throw invalid("InstanceId can't be empty.");
    }
    int epoch = call.memberEpoch();
    if (epoch < ConsumerGroupHeartbeats.STATIC_LEAVE) {
      throw invalid("MemberEpoch is invalid.");
    }
    if (epoch == ConsumerGroupHeartbeats.STATIC_LEAVE && call.instanceId() == null) {
      throw invalid("InstanceId can't be null.");
    }
    if (epoch == ConsumerGroupHeartbeats.JOIN) {
      if (call.rebalanceTimeoutMs() == -1) {
        throw invalid("RebalanceTimeoutMs must be provided in first request.");
      }
      if (call.owned() != null && !call.owned().isEmpty()) {
        throw invalid("TopicPartitions must be empty when (re-)joining.");
      }
      if (call.topicNames() == null && call.topicRegex() == null) {
        throw invalid("SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
      }
    }
  }

  /** The subscription the heartbeat sets; null when it did not change. A regex wins over names. */
  static Subscription subscription(ConsumerGroupHeartbeats.Call call) {
    if (call.topicRegex() != null && !call.topicRegex().isEmpty()) {
      return Subscription.ofPattern(call.topicRegex());
    }
    return call.topicNames() == null ? null : Subscription.ofTopics(call.topicNames());
  }

  private static BrokerException invalid(String message) {
    return new BrokerException(BrokerError.INVALID_REQUEST, message);
  }
}

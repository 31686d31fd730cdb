package io.rowstream.kafka.groups;

import io.rowstream.support.KafkaWire;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;

/** Raw ConsumerGroupHeartbeat calls of the KIP-848 wire tests. */
final class HeartbeatCalls {
  static final short VERSION = 1;

  private HeartbeatCalls() {}

  /** A first heartbeat of {@code memberId} subscribing to {@code topics} with {@code assignor}. */
  static ConsumerGroupHeartbeatRequestData join(
      String group, String memberId, String assignor, String... topics) {
    return new ConsumerGroupHeartbeatRequestData()
        .setGroupId(group)
        .setMemberId(memberId)
        .setMemberEpoch(0)
        .setRebalanceTimeoutMs(10_000)
        .setServerAssignor(assignor)
        .setSubscribedTopicNames(List.of(topics))
        .setTopicPartitions(List.of());
  }

  /** A later heartbeat at {@code epoch}, owned partitions unchanged since the last one. */
  static ConsumerGroupHeartbeatRequestData beat(String group, String memberId, int epoch) {
    return new ConsumerGroupHeartbeatRequestData()
        .setGroupId(group)
        .setMemberId(memberId)
        .setMemberEpoch(epoch);
  }

  /** A later heartbeat at {@code epoch} listing {@code owned} (partitions of {@code topicId}). */
  static ConsumerGroupHeartbeatRequestData owning(
      String group, String memberId, int epoch, Uuid topicId, List<Integer> owned) {
    return beat(group, memberId, epoch)
        .setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
            .setTopicId(topicId)
            .setPartitions(owned)));
  }

  static ConsumerGroupHeartbeatResponseData call(
      KafkaWire wire, ConsumerGroupHeartbeatRequestData request) throws IOException {
    return ((ConsumerGroupHeartbeatResponse)
            wire.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, VERSION, request))
        .data();
  }

  /** The partitions an answer lets the member use, sorted (empty without an assignment). */
  static List<Integer> partitions(ConsumerGroupHeartbeatResponseData r) {
    TreeSet<Integer> out = new TreeSet<>();
    if (r.assignment() != null) {
      r.assignment().topicPartitions().forEach(t -> out.addAll(t.partitions()));
    }
    return new ArrayList<>(out);
  }
}

package io.rowstream.kafka.groups;

import io.rowstream.support.KafkaWire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.utils.Utils;

/** Raw classic group calls (JoinGroup, SyncGroup, Heartbeat) for the wire tests. */
final class ClassicWire {
  static final int SESSION_MS = 10_000;
  static final int REBALANCE_MS = 10_000;

  private ClassicWire() {}

  /** A consumer's range protocol subscribing to {@code topics}. */
  static JoinGroupRequestProtocolCollection range(String... topics) {
    byte[] metadata =
        Utils.toArray(ConsumerProtocol.serializeSubscription(new Subscription(List.of(topics))));
    JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
    protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(metadata));
    return protocols;
  }

  static JoinGroupResponseData join(
      KafkaWire wire,
      short version,
      String group,
      String memberId,
      String instanceId,
      String protocolType,
      JoinGroupRequestProtocolCollection protocols)
      throws IOException {
    return join(wire, version, group, memberId, instanceId, protocolType, protocols, SESSION_MS);
  }

  /** As {@link #join}, asking for a session of {@code sessionMs}. */
  static JoinGroupResponseData join(
      KafkaWire wire,
      short version,
      String group,
      String memberId,
      String instanceId,
      String protocolType,
      JoinGroupRequestProtocolCollection protocols,
      int sessionMs)
      throws IOException {
    return ((JoinGroupResponse) wire.call(
            ApiKeys.JOIN_GROUP,
            version,
            new JoinGroupRequestData()
                .setGroupId(group)
                .setSessionTimeoutMs(sessionMs)
                .setRebalanceTimeoutMs(REBALANCE_MS)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setProtocolType(protocolType)
                .setProtocols(protocols)))
        .data();
  }

  /** A consumer's join at v9, with its member id when the node asks for one first. */
  static JoinGroupResponseData joinAsMember(KafkaWire wire, String group, String topic)
      throws IOException {
    JoinGroupResponseData first = join(wire, (short) 9, group, "", null, "consumer", range(topic));
    if (first.errorCode() != Errors.MEMBER_ID_REQUIRED.code()) {
      return first;
    }
    return join(wire, (short) 9, group, first.memberId(), null, "consumer", range(topic));
  }

  /** SyncGroup v5; the leader gives each member of {@code assignments} its partitions. */
  static SyncGroupResponseData sync(
      KafkaWire wire,
      String group,
      int generation,
      String memberId,
      Map<String, List<TopicPartition>> assignments)
      throws IOException {
    SyncGroupRequestData data = new SyncGroupRequestData()
        .setGroupId(group)
        .setGenerationId(generation)
        .setMemberId(memberId)
        .setProtocolType("consumer")
        .setProtocolName("range");
    assignments.forEach((member, partitions) -> data.assignments()
        .add(new SyncGroupRequestAssignment()
            .setMemberId(member)
            .setAssignment(
                Utils.toArray(ConsumerProtocol.serializeAssignment(new Assignment(partitions))))));
    return ((SyncGroupResponse) wire.call(ApiKeys.SYNC_GROUP, (short) 5, data)).data();
  }

  static List<TopicPartition> partitionsOf(SyncGroupResponseData synced) {
    return ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(synced.assignment()))
        .partitions();
  }

  static Errors heartbeat(
      KafkaWire wire, String group, int generation, String memberId, String instanceId)
      throws IOException {
    return Errors.forCode(((HeartbeatResponse) wire.call(
            ApiKeys.HEARTBEAT,
            (short) 4,
            new HeartbeatRequestData()
                .setGroupId(group)
                .setGenerationId(generation)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)))
        .data()
        .errorCode());
  }
}

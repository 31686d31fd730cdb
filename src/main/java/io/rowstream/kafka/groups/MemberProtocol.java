package io.rowstream.kafka.groups;

import io.rowstream.group.GroupInspector.MemberDescription;
import io.rowstream.log.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.utils.Utils;

/**
 * The protocol bytes DescribeGroups answers for a member: its metadata (Kafka's {@code consumer}
 * protocol subscription) and its assignment. The one seam between the two kinds of member: a
 * classic member's own bytes, stored as its JoinGroup and its leader's SyncGroup gave them
 * ({@link MemberDescription#stored()}), are returned as they are; a server-assigned member's are
 * encoded here with kafka-clients' {@link ConsumerProtocol} from its rows (subscribed topics, owned
 * partitions, generation; its assignment), so that any Kafka tool decodes them as a consumer's.
 */
final class MemberProtocol {
  private MemberProtocol() {}

  static byte[] metadata(MemberDescription m) {
    if (m.stored() != null) {
      return m.stored().metadata();
    }
    Subscription subscription = new Subscription(
        m.topics(), null, kafkaPartitions(m.assignment()), m.generation(), Optional.empty());
    return Utils.toArray(ConsumerProtocol.serializeSubscription(subscription));
  }

  static byte[] assignment(MemberDescription m) {
    if (m.stored() != null) {
      return m.stored().assignment();
    }
    ByteBuffer bytes =
        ConsumerProtocol.serializeAssignment(new Assignment(kafkaPartitions(m.assignment())));
    return Utils.toArray(bytes);
  }

  private static List<org.apache.kafka.common.TopicPartition> kafkaPartitions(
      List<TopicPartition> partitions) {
    return partitions.stream()
        .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
        .toList();
  }
}

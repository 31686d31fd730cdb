package io.rowstream.group;

import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.types.SchemaException;

/**
 * Reads a classic leader's assignment as partitions, so that {@code consumer_assignment} shows who
 * owns what (SQL views, v3 lags, DescribeGroups) whichever door the members came through: only
 * when the group's members speak the consumer protocol and every member's bytes decode as a
 * ConsumerProtocol assignment. Partitions of topics or partitions that do not exist are left out.
 */
final class ClassicAssignments {
  private ClassicAssignments() {}

  /** The partitions each member (by instance id) was given; empty when they do not decode. */
  static Optional<Map<String, List<PartitionKey>>> owned(
      Tx tx, Map<String, byte[]> byInstance, boolean consumerProtocol) {
    if (!consumerProtocol) {
      return Optional.empty();
    }
    Map<String, Topic> topics = new HashMap<>();
    new TopicStore(tx).list().forEach(t -> topics.put(t.name(), t));
    Map<String, List<PartitionKey>> out = new LinkedHashMap<>();
    for (var e : byInstance.entrySet()) {
      List<PartitionKey> keys = new ArrayList<>();
      if (e.getValue().length > 0) {
        Assignment assignment;
        try {
          assignment = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(e.getValue()));
        } catch (SchemaException | IllegalArgumentException | java.nio.BufferUnderflowException x) {
          return Optional.empty();
        }
        for (TopicPartition tp : assignment.partitions()) {
          Topic t = topics.get(tp.topic());
          if (t != null && tp.partition() >= 0 && tp.partition() < t.partitionCount()) {
            keys.add(new PartitionKey(t.id(), tp.partition()));
          }
        }
      }
      out.put(e.getKey(), keys);
    }
    return Optional.of(out);
  }
}

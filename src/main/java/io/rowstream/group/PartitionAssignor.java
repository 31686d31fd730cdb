package io.rowstream.group;

import io.rowstream.log.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Kafka's partition assignment, computed on the server: given the members' subscriptions, the
 * partition count of every subscribed topic and the assignment of the previous generation, it
 * returns the new assignment. Every partition of a subscribed topic goes to exactly one member
 * subscribed to that topic; a member subscribed to nothing gets nothing. Pure: no I/O, no clock.
 */
public interface PartitionAssignor {

  /** The name stored in {@code consumer_group.assignor}. */
  String name();

  /**
   * @param subscriptions topics each member subscribes to, by member (instance id), in member order
   * @param partitionsPerTopic partition count of every topic some member subscribes to
   * @param current what each member owned in the previous generation (may name members or
   *     partitions that no longer exist); only the sticky assignor looks at it
   * @return every member of {@code subscriptions}, with its partitions sorted by topic and partition
   */
  Map<String, List<TopicPartition>> assign(
      SortedMap<String, Set<String>> subscriptions,
      Map<String, Integer> partitionsPerTopic,
      Map<String, List<TopicPartition>> current);
}

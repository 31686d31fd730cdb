package io.rowstream.topic;

import java.util.List;
import java.util.Map;

/**
 * Topic metadata as the doors read it: the topics, one topic by name, and the rows of its
 * partitions (log start and end offsets, leader and epoch). Changes a client asks for go through
 * {@link TopicAdmin}, which checks them first.
 */
public final class TopicService {
  private final TopicStore store;

  public TopicService(TopicStore store) {
    this.store = store;
  }

  /**
   * Stores a topic exactly as given, without {@link TopicAdmin}'s checks: for topics the node or a
   * test sets up itself (only the cluster's ceiling on partitions, {@link Integer#MAX_VALUE}, holds).
   * Fails with TOPIC_ALREADY_EXISTS.
   */
  public Topic create(
      String name, int partitionCount, int replicationFactor, Map<String, String> configs) {
    return store.create(name, partitionCount, replicationFactor, configs, Integer.MAX_VALUE);
  }

  /** Every topic, by name. */
  public List<Topic> list() {
    return store.list();
  }

  /** The topic, or TOPIC_NOT_FOUND. */
  public Topic require(String name) {
    return store.require(name);
  }

  /** The rows of the topic's partitions, by partition id. */
  public List<PartitionState> partitions(Topic topic) {
    return store.partitions(topic.id());
  }

  /** The rows of every topic's partitions, by topic id (each topic's by partition id), in one query. */
  public Map<Long, List<PartitionState>> partitionsByTopic() {
    return store.partitionsByTopic();
  }

  /** The row of one partition, or PARTITION_NOT_FOUND. */
  public PartitionState partition(Topic topic, int partition) {
    return store.partition(topic, partition);
  }
}

package io.rowstream.topic;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of topic administration: legal names, partition counts, replication factors and
 * config values are checked here, in full, before {@link TopicStore} writes anything. A refused
 * request writes nothing.
 *
 * <p>The replication factor is accepted (any value from 1) and stored so that clients see what
 * they asked for; the data itself is exactly as durable as the PostgreSQL that holds it.
 */
public final class TopicAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

  public static final int DEFAULT_PARTITIONS = 1;
  public static final int DEFAULT_REPLICATION_FACTOR = 1;
  public static final int MAX_PARTITIONS = 10_000;
  /** The column is a smallint. */
  public static final int MAX_REPLICATION_FACTOR = Short.MAX_VALUE;

  /** A config given by name and value, as in a create request. */
  public record ConfigValue(String name, String value) {}

  /** A topic to create; a null count means the default. */
  public record NewTopic(String name, Integer partitions, Integer replicationFactor, List<ConfigValue> configs) {
    public NewTopic {
      configs = List.copyOf(configs);
    }
  }

  public enum ConfigOperation { SET, DELETE }

  /** One change of a config alteration: SET a value, or DELETE the override (back to the default). */
  public record ConfigChange(String name, ConfigOperation operation, String value) {}

  private final TopicStore store;
  private final TopicCache cache;
  private final Runnable afterDelete;

  /** {@code afterDelete} runs after a topic was deleted: log maintenance, to drop its storage soon. */
  public TopicAdmin(TopicStore store, TopicCache cache, Runnable afterDelete) {
    this.store = store;
    this.cache = cache;
    this.afterDelete = afterDelete;
  }

  /**
   * Creates the topic, or with {@code validateOnly} only checks that it could be created and
   * returns it unstored (id 0).
   */
  public Topic create(NewTopic spec, boolean validateOnly) {
    String name = TopicName.requireLegal(spec.name());
    int partitions = spec.partitions() == null ? DEFAULT_PARTITIONS : spec.partitions();
    requirePartitionCount(partitions);
    int replicationFactor = spec.replicationFactor() == null ? DEFAULT_REPLICATION_FACTOR : spec.replicationFactor();
    if (replicationFactor < 1 || replicationFactor > MAX_REPLICATION_FACTOR) {
      throw new BrokerException(BrokerError.INVALID_REQUEST,
          "Replication factor must be from 1 to " + MAX_REPLICATION_FACTOR + ", got " + replicationFactor + ".");
    }
    Map<String, String> given = new LinkedHashMap<>();
    for (ConfigValue c : spec.configs()) {
      requireUnique(given.keySet(), c.name());
      given.put(c.name(), c.value());
    }
    Map<String, String> configs = TopicConfig.validate(given);
    if (validateOnly) {
      if (store.find(name).isPresent()) {
        throw TopicStore.alreadyExists(name);
      }
      return new Topic(0, name, partitions, replicationFactor, configs);
    }
    Topic topic = store.create(name, partitions, replicationFactor, configs);
    LOG.info("topic created topic={} partitions={} replicationFactor={} configs={}",
        name, partitions, replicationFactor, configs);
    return topic;
  }

  /**
   * Deletes the topic, or fails with TOPIC_NOT_FOUND. Its records are gone at once for every
   * reader; the tables that held them are dropped by log maintenance shortly after.
   */
  public void delete(String name) {
    boolean deleted = store.delete(name);
    cache.invalidate(name);
    if (!deleted) {
      throw BrokerException.topicNotFound(name);
    }
    LOG.info("topic deleted topic={}", name);
    afterDelete.run();
  }

  /** Grows the topic to {@code newCount} partitions; never fewer, never the same. */
  public Topic addPartitions(String name, int newCount) {
    requirePartitionCount(newCount);
    Topic topic = store.addPartitions(name, newCount);
    cache.invalidate(name);
    LOG.info("partitions added topic={} partitions={}", name, newCount);
    return topic;
  }

  /** Applies SET and DELETE changes atomically; with {@code validateOnly} only checks them. */
  public Topic alterConfigs(String name, List<ConfigChange> changes, boolean validateOnly) {
    Set<String> names = new HashSet<>();
    Map<String, String> set = new LinkedHashMap<>();
    Set<String> remove = new HashSet<>();
    for (ConfigChange change : changes) {
      requireUnique(names, change.name());
      names.add(change.name());
      if (change.operation() == ConfigOperation.SET) {
        set.put(change.name(), change.value());
      } else {
        TopicConfig.require(change.name());
        remove.add(change.name());
      }
    }
    Map<String, String> checked = TopicConfig.validate(set);
    if (validateOnly) {
      return store.require(name);
    }
    Topic topic = store.alterConfigs(name, checked, remove);
    cache.invalidate(name);
    LOG.info("topic configs altered topic={} set={} deleted={}", name, checked, remove);
    return topic;
  }

  private static void requirePartitionCount(int partitions) {
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new BrokerException(BrokerError.INVALID_PARTITIONS,
          "Partition count must be from 1 to " + MAX_PARTITIONS + ", got " + partitions + ".");
    }
  }

  private static void requireUnique(Set<String> seen, String name) {
    if (seen.contains(name)) {
      throw new BrokerException(BrokerError.INVALID_CONFIG, "Config '" + name + "' is given more than once.");
    }
  }
}

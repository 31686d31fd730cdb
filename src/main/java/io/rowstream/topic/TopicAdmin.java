package io.rowstream.topic;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.logging.LogText;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of topic administration: legal names, partition counts, replication factors and
 * config values are checked here, in full, before {@link TopicStore} writes anything. A refused
 * request writes nothing.
 *
 * <p>The cluster-wide defaults of topic configs (Kafka's dynamic default broker configs, by broker
 * config name) are checked by the same rules as the topic configs they stand for.
 *
 * <p>The replication factor is checked as Kafka checks it (-1 or absent is the default; otherwise
 * from 1 up to the live brokers, those whose lease is current) and stored so that clients see what
 * they asked for; the data itself is exactly as durable as the PostgreSQL that holds it.
 */
public final class TopicAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

  public static final int DEFAULT_PARTITIONS = 1;
  public static final int DEFAULT_REPLICATION_FACTOR = 1;
  /** Kafka's "use the default" replication factor. */
  public static final int USE_DEFAULT_REPLICATION_FACTOR = -1;

  /** A config given by name and value, as in a create request. */
  public record ConfigValue(String name, String value) {}

  /** A topic to create; a null count means the default. */
  public record NewTopic(
      String name, Integer partitions, Integer replicationFactor, List<ConfigValue> configs) {
    public NewTopic {
      configs = List.copyOf(configs);
    }
  }

  /**
   * Kafka's IncrementalAlterConfigs operations: APPEND and SUBTRACT add items to or remove them
   * from a list config's current value (the override, else the built-in default, as Kafka takes
   * it), and apply to list configs only.
   */
  public enum ConfigOperation {
    SET,
    DELETE,
    APPEND,
    SUBTRACT
  }

  /**
   * One change of a config alteration: SET a value, DELETE the override (back to the default),
   * APPEND or SUBTRACT items of a list.
   */
  public record ConfigChange(String name, ConfigOperation operation, String value) {}

  /** A config alteration checked in full: values to set (as stored) and configs to delete, by name. */
  private record CheckedChanges(Map<String, String> set, Set<String> remove) {}

  private final TopicStore store;
  private final ClusterConfigStore clusterConfigs;
  private final TopicCache cache;
  private final Runnable afterDelete;
  private final IntSupplier liveBrokers;
  private final PartitionLimits limits;

  /**
   * {@code afterDelete} runs after a topic was deleted: log maintenance, to drop its storage soon.
   * {@code liveBrokers} counts the brokers whose lease is current, the most copies a topic may ask for.
   */
  public TopicAdmin(
      TopicStore store,
      ClusterConfigStore clusterConfigs,
      TopicCache cache,
      Runnable afterDelete,
      IntSupplier liveBrokers,
      PartitionLimits limits) {
    this.limits = limits;
    this.store = store;
    this.clusterConfigs = clusterConfigs;
    this.cache = cache;
    this.afterDelete = afterDelete;
    this.liveBrokers = liveBrokers;
  }

  /**
   * Creates the topic, or with {@code validateOnly} only checks that it could be created and
   * returns it unstored (id 0). The caller needs CREATE on the cluster or on the topic (Kafka's
   * CreateTopics rule; TOPIC_AUTHORIZATION_FAILED otherwise), checked before anything else.
   */
  public Topic create(Caller caller, NewTopic spec, boolean validateOnly) {
    requireCreate(caller, spec.name());
    String name = TopicName.requireLegal(spec.name());
    int partitions = spec.partitions() == null ? DEFAULT_PARTITIONS : spec.partitions();
    requirePartitionCount(partitions);
    int replicationFactor = replicationFactor(spec.replicationFactor());
    Map<String, String> given = new LinkedHashMap<>();
    for (ConfigValue c : spec.configs()) {
      requireUnique(given.keySet(), c.name());
      given.put(c.name(), c.value());
    }
    Map<String, String> configs = TopicConfig.validate(given);
    Topic checked =
        new Topic(0, name, partitions, replicationFactor, configs, clusterConfigs.read());
    ConfigConsistency.require(checked::config);
    if (validateOnly) {
      if (store.find(name).isPresent()) {
        throw TopicStore.alreadyExists(name);
      }
      TopicStore.requireRoom(store.partitionTotal(), partitions, limits.perCluster());
      return checked;
    }
    Topic topic = store.create(name, partitions, replicationFactor, configs, limits.perCluster());
    LOG.info(
        "topic created topic={} partitions={} replicationFactor={} configs={}",
        LogText.of(name),
        partitions,
        replicationFactor,
        LogText.of(configs));
    return topic;
  }

  /**
   * Kafka's topic auto-creation on Metadata: when the cluster's {@code auto.create.topics.enable}
   * is true, creates the unknown topic with the default partition count and replication factor
   * (the caller needs CREATE on the cluster or the topic, as for {@link #create}) and returns it;
   * when it is false, empty. A topic another client created meanwhile is returned as it is.
   */
  public Optional<Topic> autoCreate(Caller caller, String name) {
    if (!clusterConfigs.read().autoCreateTopics()) {
      return Optional.empty();
    }
    try {
      return Optional.of(create(caller, new NewTopic(name, null, null, List.of()), false));
    } catch (BrokerException e) {
      if (e.error() != BrokerError.TOPIC_ALREADY_EXISTS) {
        throw e;
      }
      return Optional.of(store.require(name));
    }
  }

  /** Kafka's rule: CREATE on the cluster, or on the topic to be created. */
  private static void requireCreate(Caller caller, String name) {
    if (!caller.may(Acl.Operation.CREATE, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME)) {
      caller.require(
          Acl.Operation.CREATE, Acl.ResourceType.TOPIC, name.isEmpty() ? "(unnamed)" : name);
    }
  }

  /** The factor asked for, checked with Kafka's rules and messages; null or -1 is the default. */
  private int replicationFactor(Integer asked) {
    if (asked == null || asked == USE_DEFAULT_REPLICATION_FACTOR) {
      asked = DEFAULT_REPLICATION_FACTOR;
    } else if (asked < 1) {
      throw new BrokerException(
          BrokerError.INVALID_REPLICATION_FACTOR,
          "Replication factor must be larger than 0, or -1 to use the default value.");
    }
    int available = liveBrokers.getAsInt();
    if (asked > available) {
      throw new BrokerException(
          BrokerError.INVALID_REPLICATION_FACTOR,
          "Replication factor: " + asked + " larger than available brokers: " + available + ".");
    }
    return asked;
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
    LOG.info("topic deleted topic={}", LogText.of(name));
    afterDelete.run();
  }

  /** Grows the topic to {@code newCount} partitions; never fewer, never the same. */
  public Topic addPartitions(String name, int newCount) {
    return addPartitions(name, newCount, false);
  }

  /**
   * As {@link #addPartitions(String, int)}; with {@code validateOnly} only checks that the topic
   * could grow so and returns it as it is.
   */
  public Topic addPartitions(String name, int newCount, boolean validateOnly) {
    requirePartitionCount(newCount);
    if (validateOnly) {
      Topic current = store.require(name);
      TopicStore.requireGrowth(name, current.partitionCount(), newCount);
      TopicStore.requireRoom(
          store.partitionTotal(), newCount - current.partitionCount(), limits.perCluster());
      return current;
    }
    Topic topic = store.addPartitions(name, newCount, limits.perCluster());
    cache.invalidate(name);
    LOG.info("partitions added topic={} partitions={}", LogText.of(name), newCount);
    return topic;
  }

  /** Applies SET and DELETE changes atomically; with {@code validateOnly} only checks them. */
  public Topic alterConfigs(String name, List<ConfigChange> changes, boolean validateOnly) {
    Topic current = store.require(name);
    CheckedChanges checked = check(changes, TopicConfig::require, current.overrides());
    ConfigConsistency.require(current.withOverrides(checked.set(), checked.remove())::config);
    if (validateOnly) {
      return current;
    }
    Map<String, String> set = checked.set();
    Set<String> remove = checked.remove();
    Topic topic = store.alterConfigs(name, set, remove);
    cache.invalidate(name);
    LOG.info(
        "topic configs altered topic={} set={} deleted={}",
        LogText.of(name),
        LogText.of(set),
        LogText.of(remove));
    return topic;
  }

  /**
   * Sets one config of a topic (Kafka's incremental SET of one entry). A config the broker does not
   * know is CONFIG_NOT_FOUND, as reading it is; an illegal value is INVALID_CONFIG, nothing written.
   */
  public Topic setConfig(String topic, String config, String value) {
    return alterConfigs(
        topic, List.of(new ConfigChange(known(topic, config), ConfigOperation.SET, value)), false);
  }

  /** Resets one config of a topic to the default (cluster-wide, else built-in); also when it was not overridden. */
  public Topic resetConfig(String topic, String config) {
    return alterConfigs(
        topic,
        List.of(new ConfigChange(known(topic, config), ConfigOperation.DELETE, null)),
        false);
  }

  /** The config of that name, or CONFIG_NOT_FOUND. */
  public static TopicConfig config(String topic, String name) {
    return TopicConfig.byName(name)
        .orElseThrow(() -> new BrokerException(
            BrokerError.CONFIG_NOT_FOUND, "Config " + name + " of topic " + topic + " not found."));
  }

  private static String known(String topic, String name) {
    return config(topic, name).kafkaName();
  }

  /**
   * Applies SET and DELETE changes to the configs of several topics, all or none: every change of
   * every topic is checked, and every topic must exist, before anything is written; with
   * {@code validateOnly} only checks them. The caller needs ALTER_CONFIGS on every topic, checked
   * before anything else.
   */
  public void alterConfigs(
      Caller caller, Map<String, List<ConfigChange>> changesByTopic, boolean validateOnly) {
    changesByTopic
        .keySet()
        .forEach(
            topic -> caller.require(Acl.Operation.ALTER_CONFIGS, Acl.ResourceType.TOPIC, topic));
    Map<String, TopicStore.OverrideChanges> byTopic = new LinkedHashMap<>();
    changesByTopic.forEach((topic, changes) -> {
      Topic current = store.require(topic);
      CheckedChanges checked = check(changes, TopicConfig::require, current.overrides());
      ConfigConsistency.require(current.withOverrides(checked.set(), checked.remove())::config);
      byTopic.put(topic, new TopicStore.OverrideChanges(checked.set(), checked.remove()));
    });
    if (validateOnly) {
      return;
    }
    store.alterConfigs(byTopic);
    byTopic.keySet().forEach(cache::invalidate);
    byTopic.forEach((topic, changes) -> LOG.info(
        "topic configs altered topic={} set={} deleted={}",
        LogText.of(topic),
        LogText.of(changes.set()),
        LogText.of(changes.remove())));
  }

  /**
   * Kafka's legacy AlterConfigs on a topic: its overrides become exactly {@code configs} (those
   * given are set, every other override is deleted), all or none; with {@code validateOnly} only
   * checked. The caller needs ALTER_CONFIGS on the topic.
   */
  public void replaceConfigs(
      Caller caller, String topic, List<ConfigValue> configs, boolean validateOnly) {
    caller.require(Acl.Operation.ALTER_CONFIGS, Acl.ResourceType.TOPIC, topic);
    Set<String> current = store.require(topic).overrides().keySet();
    alterConfigs(caller, Map.of(topic, replacing(current, configs)), validateOnly);
  }

  /**
   * Kafka's legacy AlterConfigs on the cluster-wide defaults (the broker resource with an empty
   * name): the defaults set become exactly {@code configs}, all or none.
   */
  public void replaceClusterDefaults(List<ConfigValue> configs, boolean validateOnly) {
    alterClusterDefaults(replacing(clusterConfigs.read().values().keySet(), configs), validateOnly);
  }

  /** SET each config given, DELETE each of {@code current} not given. */
  private static List<ConfigChange> replacing(Set<String> current, List<ConfigValue> configs) {
    List<ConfigChange> changes = new ArrayList<>();
    Set<String> given = new HashSet<>();
    for (ConfigValue c : configs) {
      changes.add(new ConfigChange(c.name(), ConfigOperation.SET, c.value()));
      given.add(c.name());
    }
    current.stream()
        .filter(name -> !given.contains(name))
        .sorted()
        .forEach(name -> changes.add(new ConfigChange(name, ConfigOperation.DELETE, null)));
    return changes;
  }

  /** The cluster-wide defaults as they are now. */
  public ClusterDefaults clusterDefaults() {
    return clusterConfigs.read();
  }

  /**
   * Sets (SET) and removes (DELETE, back to the built-in default) cluster-wide defaults, named by
   * broker config name, all or none; with {@code validateOnly} only checks them. This node's topics
   * take the change at once, other nodes' within {@link TopicCache#MAX_AGE}.
   */
  public void alterClusterDefaults(List<ConfigChange> changes, boolean validateOnly) {
    ClusterDefaults current = clusterConfigs.read();
    CheckedChanges checked = check(changes, BrokerConfigs::require, current.values());
    ConfigConsistency.require(current.with(checked.set(), checked.remove())::value);
    if (validateOnly) {
      return;
    }
    clusterConfigs.alter(checked.set(), checked.remove());
    cache.invalidateAll();
    LOG.info(
        "cluster config defaults altered set={} deleted={}",
        LogText.of(checked.set()),
        LogText.of(checked.remove()));
  }

  /**
   * Refuses a change of one broker's configs (INVALID_CONFIG), after checking the changes as
   * {@link #alterClusterDefaults} would: Rowstream keeps no config per broker, since every node
   * applies the same cluster-wide defaults to the same rows, so a change named for one broker would
   * either be ignored or silently reach every broker. The caller is told to change the default.
   */
  public void refuseBrokerConfigChange(int brokerId, List<ConfigChange> changes) {
    check(changes, BrokerConfigs::require, clusterConfigs.read().values());
    throw new BrokerException(
        BrokerError.INVALID_CONFIG,
        "Broker " + brokerId + " has no configs of its own: "
            + "every broker applies the cluster-wide defaults. Change them with /v3/clusters/{cluster_id}/broker-configs"
            + " (over Kafka's protocol: the broker resource with an empty name, kafka-configs --entity-default).");
  }

  /**
   * Every change checked (name known, value legal, no name twice) before anything is written;
   * APPEND and SUBTRACT resolved against {@code current}, the values stored now by config name.
   */
  private static CheckedChanges check(
      List<ConfigChange> changes,
      Function<String, ? extends ConfigRule> byName,
      Map<String, String> current) {
    Set<String> names = new HashSet<>();
    Map<String, String> set = new LinkedHashMap<>();
    Set<String> remove = new LinkedHashSet<>();
    for (ConfigChange change : changes) {
      requireUnique(names, change.name());
      names.add(change.name());
      ConfigRule config = byName.apply(change.name());
      switch (change.operation()) {
        case SET -> set.put(config.configName(), config.check(change.name(), change.value()));
        case DELETE -> remove.add(config.configName());
        case APPEND, SUBTRACT ->
          set.put(
              config.configName(),
              config.check(change.name(), ConfigLists.apply(config, change, current)));
      }
    }
    return new CheckedChanges(set, remove);
  }

  private void requirePartitionCount(int partitions) {
    if (partitions < 1 || partitions > limits.perTopic()) {
      throw new BrokerException(
          BrokerError.INVALID_PARTITIONS,
          "Partition count must be from 1 to " + limits.perTopic()
              + " (the limit per topic, ROWSTREAM_MAX_PARTITIONS_PER_TOPIC), got " + partitions
              + ".");
    }
  }

  private static void requireUnique(Set<String> seen, String name) {
    if (seen.contains(name)) {
      throw new BrokerException(
          BrokerError.INVALID_CONFIG, "Config '" + name + "' is given more than once.");
    }
  }
}

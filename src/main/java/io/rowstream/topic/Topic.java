package io.rowstream.topic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.compress.Compression;

/**
 * A topic as stored: its id, name, partition count and config overrides (Kafka names), with the
 * cluster-wide defaults read together with it, against which its configs resolve.
 *
 * @param uuid Kafka's topic id ({@code topic.topic_uuid}); null for a topic not stored (a
 *     validate-only create)
 */
public record Topic(
    long id,
    String name,
    int partitionCount,
    int replicationFactor,
    Map<String, String> overrides,
    ClusterDefaults clusterDefaults,
    UUID uuid) {

  public Topic {
    overrides = Map.copyOf(overrides);
    Objects.requireNonNull(clusterDefaults, "clusterDefaults");
  }

  /** A topic whose configs resolve against the built-in defaults only. */
  public Topic(
      long id,
      String name,
      int partitionCount,
      int replicationFactor,
      Map<String, String> overrides) {
    this(id, name, partitionCount, replicationFactor, overrides, ClusterDefaults.NONE, null);
  }

  /** A topic not stored (no {@link #uuid}), its configs resolving against {@code clusterDefaults}. */
  public Topic(
      long id,
      String name,
      int partitionCount,
      int replicationFactor,
      Map<String, String> overrides,
      ClusterDefaults clusterDefaults) {
    this(id, name, partitionCount, replicationFactor, overrides, clusterDefaults, null);
  }

  /** This topic with those overrides set and removed (values already checked). */
  public Topic withOverrides(Map<String, String> set, Set<String> remove) {
    Map<String, String> changed = new HashMap<>(overrides);
    changed.keySet().removeAll(remove);
    changed.putAll(set);
    return new Topic(id, name, partitionCount, replicationFactor, changed, clusterDefaults, uuid);
  }

  /** The effective value: the topic's override, else the cluster-wide default, else the built-in default. */
  public String config(TopicConfig config) {
    String override = overrides.get(config.kafkaName());
    return override != null ? override : clusterDefaults.value(config);
  }

  public boolean isOverridden(TopicConfig config) {
    return overrides.containsKey(config.kafkaName());
  }

  /** The level the config's value comes from: the topic's override, else the cluster-wide default, else built in. */
  public ConfigSynonym.Source source(TopicConfig config) {
    if (isOverridden(config)) {
      return ConfigSynonym.Source.DYNAMIC_TOPIC_CONFIG;
    }
    return clusterDefaults.isSet(config)
        ? ConfigSynonym.Source.DYNAMIC_DEFAULT_BROKER_CONFIG
        : ConfigSynonym.Source.DEFAULT_CONFIG;
  }

  /** Kafka's synonyms of the config, the one in effect first (its value is {@link #config}). */
  public List<ConfigSynonym> synonyms(TopicConfig config) {
    List<ConfigSynonym> synonyms = new ArrayList<>(3);
    if (isOverridden(config)) {
      synonyms.add(new ConfigSynonym(
          config.kafkaName(),
          overrides.get(config.kafkaName()),
          ConfigSynonym.Source.DYNAMIC_TOPIC_CONFIG));
    }
    synonyms.addAll(clusterDefaults.synonyms(config));
    return synonyms;
  }

  public int maxMessageBytes() {
    return Integer.parseInt(config(TopicConfig.MAX_MESSAGE_BYTES));
  }

  /** segment.bytes, unless the topic sets Kafka's internal.segment.bytes (tests roll small segments so). */
  public long segmentBytes() {
    String internal = overrides.get(TopicConfig.INTERNAL_SEGMENT_BYTES.kafkaName());
    return Long.parseLong(internal != null ? internal : config(TopicConfig.SEGMENT_BYTES));
  }

  public long segmentMs() {
    return Long.parseLong(config(TopicConfig.SEGMENT_MS));
  }

  /** True when cleanup.policy includes compact: records need a key, compaction keeps the latest per key. */
  public boolean isCompacted() {
    return config(TopicConfig.CLEANUP_POLICY).contains("compact");
  }

  public boolean logAppendTime() {
    return config(TopicConfig.MESSAGE_TIMESTAMP_TYPE).equals("LogAppendTime");
  }

  /**
   * The codec and level of the batches the node writes for this topic ({@code compression.type}
   * with its {@code compression.*.level}); none for {@code uncompressed}, and for {@code producer}
   * too, since an HTTP producer hands over records, not a compressed batch to keep.
   */
  public Compression compression() {
    return switch (config(TopicConfig.COMPRESSION_TYPE)) {
      case "gzip" ->
        Compression.gzip().level(intConfig(TopicConfig.COMPRESSION_GZIP_LEVEL)).build();
      case "snappy" -> Compression.snappy().build();
      case "lz4" ->
        Compression.lz4().level(intConfig(TopicConfig.COMPRESSION_LZ4_LEVEL)).build();
      case "zstd" ->
        Compression.zstd().level(intConfig(TopicConfig.COMPRESSION_ZSTD_LEVEL)).build();
      default -> Compression.NONE;
    };
  }

  private int intConfig(TopicConfig config) {
    return Integer.parseInt(config(config));
  }

  public boolean hasPartition(int partition) {
    return partition >= 0 && partition < partitionCount;
  }
}

package io.rowstream.topic;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every topic-level config of Kafka 4.x ({@code LogConfig}), by its Kafka name, with the broker
 * config that sets its cluster-wide default (the first of Kafka's synonyms; null when Kafka has
 * none; the others are in {@link BrokerConfigs}), its built-in default and Kafka's check of a value.
 * Which ones take effect on Rowstream, and why the others cannot, is in the README's configuration
 * table; all are accepted, stored and described alike.
 */
public enum TopicConfig implements ConfigRule {
  // Honoured.
  CLEANUP_POLICY(
      "cleanup.policy",
      "log.cleanup.policy",
      "delete",
      "a list of delete and compact (may be empty)",
      ConfigValues.listOf(Set.of("delete", "compact"))),
  RETENTION_MS(
      "retention.ms",
      "log.retention.ms",
      "604800000",
      "an integer >= -1 (-1: no time limit)",
      longAtLeast(-1)),
  RETENTION_BYTES(
      "retention.bytes",
      "log.retention.bytes",
      "-1",
      "an integer (negative: no size limit)",
      longAtLeast(Long.MIN_VALUE)),
  SEGMENT_BYTES(
      "segment.bytes",
      "log.segment.bytes",
      "1073741824",
      "an integer from 1048576 to 2147483647",
      intAtLeast(1024 * 1024)),
  SEGMENT_MS("segment.ms", "log.roll.ms", "604800000", "an integer >= 1", longAtLeast(1)),
  MAX_MESSAGE_BYTES(
      "max.message.bytes",
      "message.max.bytes",
      "1048588",
      "an integer from 0 to 2147483647",
      intAtLeast(0)),
  MIN_INSYNC_REPLICAS(
      "min.insync.replicas", "min.insync.replicas", "1", "an integer >= 1", intAtLeast(1)),
  MESSAGE_TIMESTAMP_TYPE(
      "message.timestamp.type",
      "log.message.timestamp.type",
      "CreateTime",
      "CreateTime or LogAppendTime",
      v -> v.equals("CreateTime") || v.equals("LogAppendTime")),
  DELETE_RETENTION_MS(
      "delete.retention.ms",
      "log.cleaner.delete.retention.ms",
      "86400000",
      "an integer >= 0",
      longAtLeast(0)),
  // Honoured: declared here with Kafka's default and check; their effect is wired where it applies.
  COMPRESSION_TYPE(
      "compression.type",
      "compression.type",
      "producer",
      "one of uncompressed, zstd, lz4, snappy, gzip, producer",
      v -> Set.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer").contains(v)),
  MIN_COMPACTION_LAG_MS(
      "min.compaction.lag.ms",
      "log.cleaner.min.compaction.lag.ms",
      "0",
      "an integer >= 0",
      longAtLeast(0)),
  MAX_COMPACTION_LAG_MS(
      "max.compaction.lag.ms",
      "log.cleaner.max.compaction.lag.ms",
      "9223372036854775807",
      "an integer >= 1",
      longAtLeast(1)),
  MIN_CLEANABLE_DIRTY_RATIO(
      "min.cleanable.dirty.ratio",
      "log.cleaner.min.cleanable.ratio",
      "0.5",
      "a number from 0 to 1",
      ConfigValues.doubleBetween(0, 1)),
  MESSAGE_TIMESTAMP_BEFORE_MAX_MS(
      "message.timestamp.before.max.ms",
      "log.message.timestamp.before.max.ms",
      "9223372036854775807",
      "an integer >= 0",
      longAtLeast(0)),
  MESSAGE_TIMESTAMP_AFTER_MAX_MS(
      "message.timestamp.after.max.ms",
      "log.message.timestamp.after.max.ms",
      "3600000",
      "an integer >= 0",
      longAtLeast(0)),
  // Accepted, stored and described; no effect on PostgreSQL (the README says why, per config).
  UNCLEAN_LEADER_ELECTION_ENABLE(
      "unclean.leader.election.enable",
      "unclean.leader.election.enable",
      "false",
      "true or false",
      ConfigValues.BOOLEAN),
  COMPRESSION_GZIP_LEVEL(
      "compression.gzip.level",
      "compression.gzip.level",
      "-1",
      "an integer from 1 to 9, or -1",
      ConfigValues.intBetweenOr(1, 9, -1)),
  COMPRESSION_LZ4_LEVEL(
      "compression.lz4.level",
      "compression.lz4.level",
      "9",
      "an integer from 1 to 17",
      ConfigValues.intBetween(1, 17)),
  COMPRESSION_ZSTD_LEVEL(
      "compression.zstd.level",
      "compression.zstd.level",
      "3",
      "an integer from -131072 to 22",
      ConfigValues.intBetween(-131072, 22)),
  FLUSH_MESSAGES(
      "flush.messages",
      "log.flush.interval.messages",
      "9223372036854775807",
      "an integer >= 1",
      longAtLeast(1)),
  FLUSH_MS(
      "flush.ms",
      "log.flush.interval.ms",
      "9223372036854775807",
      "an integer >= 0",
      longAtLeast(0)),
  INDEX_INTERVAL_BYTES(
      "index.interval.bytes", "log.index.interval.bytes", "4096", "an integer >= 0", intAtLeast(0)),
  SEGMENT_INDEX_BYTES(
      "segment.index.bytes",
      "log.index.size.max.bytes",
      "10485760",
      "an integer >= 4",
      intAtLeast(4)),
  SEGMENT_JITTER_MS(
      "segment.jitter.ms", "log.roll.jitter.ms", "0", "an integer >= 0", longAtLeast(0)),
  FILE_DELETE_DELAY_MS(
      "file.delete.delay.ms",
      "log.segment.delete.delay.ms",
      "60000",
      "an integer >= 0",
      longAtLeast(0)),
  PREALLOCATE("preallocate", "log.preallocate", "false", "true or false", ConfigValues.BOOLEAN),
  MESSAGE_DOWNCONVERSION_ENABLE(
      "message.downconversion.enable",
      "log.message.downconversion.enable",
      "true",
      "true or false",
      ConfigValues.BOOLEAN),
  LEADER_REPLICATION_THROTTLED_REPLICAS(
      "leader.replication.throttled.replicas",
      null,
      "",
      "a list of partition:broker pairs, or *",
      ConfigValues.THROTTLED_REPLICAS),
  FOLLOWER_REPLICATION_THROTTLED_REPLICAS(
      "follower.replication.throttled.replicas",
      null,
      "",
      "a list of partition:broker pairs, or *",
      ConfigValues.THROTTLED_REPLICAS),
  REMOTE_STORAGE_ENABLE(
      "remote.storage.enable",
      null,
      "false",
      "false: Rowstream has no tiered storage (Kafka's answer when remote.log.storage.system.enable is false)",
      ConfigValues.booleanOnly(false)),
  LOCAL_RETENTION_MS(
      "local.retention.ms", "log.local.retention.ms", "-2", "an integer >= -2", longAtLeast(-2)),
  LOCAL_RETENTION_BYTES(
      "local.retention.bytes",
      "log.local.retention.bytes",
      "-2",
      "an integer >= -2",
      longAtLeast(-2)),
  REMOTE_LOG_COPY_DISABLE(
      "remote.log.copy.disable", null, "false", "true or false", ConfigValues.BOOLEAN),
  REMOTE_LOG_DELETE_ON_DISABLE(
      "remote.log.delete.on.disable", null, "false", "true or false", ConfigValues.BOOLEAN),
  /**
   * Kafka's internal {@code internal.segment.bytes}: when set, the segment size instead of
   * segment.bytes, with no minimum, so that tests can roll small segments. Never listed.
   */
  INTERNAL_SEGMENT_BYTES("internal.segment.bytes", null, null, "an integer >= 1", intAtLeast(1));

  private final String kafkaName;
  private final String brokerName;
  private final String defaultValue;
  private final String expected;
  private final Predicate<String> valid;

  TopicConfig(
      String kafkaName,
      String brokerName,
      String defaultValue,
      String expected,
      Predicate<String> valid) {
    this.kafkaName = kafkaName;
    this.brokerName = brokerName;
    this.defaultValue = defaultValue;
    this.expected = expected;
    this.valid = valid;
  }

  public String kafkaName() {
    return kafkaName;
  }

  /**
   * Kafka's name of the broker config that sets this config's cluster-wide default, the first of
   * its synonyms ({@code log.segment.bytes}); null when Kafka has none ({@code remote.storage.enable}).
   */
  public String brokerName() {
    return brokerName;
  }

  /** The built-in default, used when neither the topic nor the cluster sets the config. */
  @Override
  public String defaultValue() {
    return defaultValue;
  }

  @Override
  public ConfigType type() {
    return ConfigValues.typeOf(valid);
  }

  /** Kafka's text for the config ({@code org.apache.kafka.common.config.TopicConfig}). */
  @Override
  public String documentation() {
    return ConfigDocs.of(kafkaName);
  }

  /** Kafka's internal configs are accepted but never listed. */
  public boolean isInternal() {
    return this == INTERNAL_SEGMENT_BYTES;
  }

  public static Optional<TopicConfig> byName(String name) {
    return Arrays.stream(values()).filter(c -> c.kafkaName.equals(name)).findFirst();
  }

  public static List<String> names() {
    return sortedByName().stream().map(TopicConfig::kafkaName).toList();
  }

  /** The config of that name, or INVALID_CONFIG naming the known ones. */
  public static TopicConfig require(String name) {
    return byName(name)
        .orElseThrow(() -> new BrokerException(
            BrokerError.INVALID_CONFIG,
            "Unknown topic config '" + name + "'. Known configs: " + String.join(", ", names())
                + "."));
  }

  /** Every config but the internal ones, sorted by Kafka name (the order in which the REST Proxy lists them). */
  public static List<TopicConfig> sortedByName() {
    return Arrays.stream(values())
        .filter(c -> !c.isInternal())
        .sorted(Comparator.comparing(TopicConfig::kafkaName))
        .toList();
  }

  /** Checks names and values; returns the overrides, normalised, in a stable order. */
  public static Map<String, String> validate(Map<String, String> overrides) {
    Map<String, String> checked = new LinkedHashMap<>();
    overrides.forEach((name, value) -> checked.put(name, require(name).check(name, value)));
    return checked;
  }

  @Override
  public String configName() {
    return kafkaName;
  }

  /**
   * The value as stored and described if it is legal for this config (trimmed; a list without
   * spaces or repeats, a boolean in lower case, as Kafka prints them); else INVALID_CONFIG naming
   * the config as {@code givenName}.
   */
  @Override
  public String check(String givenName, String value) {
    if (!accepts(value)) {
      throw new BrokerException(
          BrokerError.INVALID_CONFIG,
          "Invalid value '" + value + "' for config " + givenName + ": expected " + expected + ".");
    }
    return ConfigValues.normalised(value.trim(), valid);
  }

  /** Whether the value (trimmed) is legal for this config. */
  public boolean accepts(String value) {
    return value != null && valid.test(value.trim());
  }

  private static Predicate<String> longAtLeast(long min) {
    return ConfigValues.longAtLeast(min);
  }

  private static Predicate<String> intAtLeast(int min) {
    return ConfigValues.intAtLeast(min);
  }
}

package io.rowstream.topic;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The topic-level configs Rowstream understands, by their Kafka names, with defaults and checks. */
public enum TopicConfig {
  CLEANUP_POLICY("cleanup.policy", "log.cleanup.policy", "delete", "delete, compact, or compact,delete",
      v -> Set.of("delete", "compact", "compact,delete", "delete,compact").contains(v.replace(" ", ""))),
  RETENTION_MS("retention.ms", "log.retention.ms", "604800000", "an integer >= -1 (-1: no time limit)",
      longAtLeast(-1)),
  RETENTION_BYTES("retention.bytes", "log.retention.bytes", "-1", "an integer >= -1 (-1: no size limit)",
      longAtLeast(-1)),
  SEGMENT_BYTES("segment.bytes", "log.segment.bytes", "1073741824", "an integer from 1024 to 2147483647",
      intAtLeast(1024)),
  SEGMENT_MS("segment.ms", "log.roll.ms", "604800000", "an integer >= 1", longAtLeast(1)),
  MAX_MESSAGE_BYTES("max.message.bytes", "message.max.bytes", "1048576", "an integer from 0 to 2147483647",
      intAtLeast(0)),
  MIN_INSYNC_REPLICAS("min.insync.replicas", "min.insync.replicas", "1", "an integer >= 1", intAtLeast(1)),
  MESSAGE_TIMESTAMP_TYPE("message.timestamp.type", "log.message.timestamp.type", "CreateTime",
      "CreateTime or LogAppendTime", v -> v.equals("CreateTime") || v.equals("LogAppendTime")),
  DELETE_RETENTION_MS("delete.retention.ms", "log.cleaner.delete.retention.ms", "86400000", "an integer >= 0",
      longAtLeast(0)),
  MIN_COMPACTION_LAG_MS("min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms", "0", "an integer >= 0",
      longAtLeast(0)),
  MAX_COMPACTION_LAG_MS("max.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms", "9223372036854775807",
      "an integer >= 1", longAtLeast(1)),
  MIN_CLEANABLE_DIRTY_RATIO("min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio", "0.5",
      "a number from 0 to 1", doubleBetween(0, 1)),
  MESSAGE_TIMESTAMP_AFTER_MAX_MS("message.timestamp.after.max.ms", "log.message.timestamp.after.max.ms", "3600000",
      "an integer >= 0", longAtLeast(0)),
  MESSAGE_TIMESTAMP_BEFORE_MAX_MS("message.timestamp.before.max.ms", "log.message.timestamp.before.max.ms",
      "9223372036854775807", "an integer >= 0 (9223372036854775807: no bound)", longAtLeast(0));

  private final String kafkaName;
  private final String brokerName;
  private final String defaultValue;
  private final String expected;
  private final Predicate<String> valid;

  TopicConfig(String kafkaName, String brokerName, String defaultValue, String expected, Predicate<String> valid) {
    this.kafkaName = kafkaName;
    this.brokerName = brokerName;
    this.defaultValue = defaultValue;
    this.expected = expected;
    this.valid = valid;
  }

  public String kafkaName() {
    return kafkaName;
  }

  /** Kafka's name of the broker config that sets this config's cluster-wide default ({@code log.segment.bytes}). */
  public String brokerName() {
    return brokerName;
  }

  /** The built-in default, used when neither the topic nor the cluster sets the config. */
  public String defaultValue() {
    return defaultValue;
  }

  public static Optional<TopicConfig> byName(String name) {
    return Arrays.stream(values()).filter(c -> c.kafkaName.equals(name)).findFirst();
  }

  public static Optional<TopicConfig> byBrokerName(String name) {
    return Arrays.stream(values()).filter(c -> c.brokerName.equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(TopicConfig::kafkaName).toList();
  }

  /** The config of that name, or INVALID_CONFIG naming the known ones. */
  public static TopicConfig require(String name) {
    return byName(name).orElseThrow(() -> new BrokerException(BrokerError.INVALID_CONFIG,
        "Unknown topic config '" + name + "'. Known configs: " + String.join(", ", names()) + "."));
  }

  /** The config whose cluster-wide default has that broker config name, or INVALID_CONFIG naming the known ones. */
  public static TopicConfig requireBrokerName(String name) {
    return byBrokerName(name).orElseThrow(() -> new BrokerException(BrokerError.INVALID_CONFIG,
        "Unknown broker config '" + name + "'. Known broker configs: "
            + String.join(", ", sortedByBrokerName().stream().map(TopicConfig::brokerName).toList()) + "."));
  }

  /** Every config, sorted by Kafka name (the order in which the REST Proxy lists them). */
  public static List<TopicConfig> sortedByName() {
    return Arrays.stream(values()).sorted(Comparator.comparing(TopicConfig::kafkaName)).toList();
  }

  /** Every config, sorted by broker config name (the order of the broker-configs listing). */
  public static List<TopicConfig> sortedByBrokerName() {
    return Arrays.stream(values()).sorted(Comparator.comparing(TopicConfig::brokerName)).toList();
  }

  /** Checks names and values; returns the overrides in a stable order. */
  public static Map<String, String> validate(Map<String, String> overrides) {
    Map<String, String> checked = new LinkedHashMap<>();
    overrides.forEach((name, value) -> checked.put(name, require(name).check(name, value)));
    return checked;
  }

  /**
   * The value, trimmed, if it is legal for this config (the topic's or its cluster-wide default:
   * the rules are the same); else INVALID_CONFIG naming the config as {@code givenName}.
   */
  public String check(String givenName, String value) {
    if (!accepts(value)) {
      throw new BrokerException(BrokerError.INVALID_CONFIG,
          "Invalid value '" + value + "' for config " + givenName + ": expected " + expected + ".");
    }
    return value.trim();
  }

  /** Whether the value (trimmed) is legal for this config. */
  public boolean accepts(String value) {
    return value != null && valid.test(value.trim());
  }

  private static Predicate<String> longAtLeast(long min) {
    return v -> {
      try {
        return Long.parseLong(v) >= min;
      } catch (NumberFormatException e) {
        return false;
      }
    };
  }

  private static Predicate<String> doubleBetween(double min, double max) {
    return v -> {
      try {
        double d = Double.parseDouble(v);
        return d >= min && d <= max;  // false for NaN
      } catch (NumberFormatException e) {
        return false;
      }
    };
  }

  private static Predicate<String> intAtLeast(int min) {
    return v -> {
      try {
        return Integer.parseInt(v) >= min;
      } catch (NumberFormatException e) {
        return false;
      }
    };
  }
}

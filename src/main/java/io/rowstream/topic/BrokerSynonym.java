package io.rowstream.topic;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.util.function.Predicate;

/**
 * One cluster-wide broker config, as Kafka names it. Most set the cluster-wide default of a topic
 * config ({@code log.retention.hours} for {@code retention.ms}): the value is in its own unit
 * ({@code msPerUnit} milliseconds; 1 when it has the topic config's unit) and it has its own
 * built-in default, null when Kafka gives it none ({@code log.retention.ms}). A few are settings of
 * their own ({@code auto.create.topics.enable}; {@link #standalone}): no topic config, checked by
 * {@code valid}, documented by {@code text}.
 */
public record BrokerSynonym(
    String name,
    TopicConfig config,
    long msPerUnit,
    String defaultValue,
    String expected,
    Predicate<String> valid,
    String text)
    implements ConfigRule {

  /** A synonym in the topic config's own unit, checked by the topic config's rule. */
  static BrokerSynonym sameUnit(String name, TopicConfig config, String defaultValue) {
    return new BrokerSynonym(name, config, 1, defaultValue, null, null, null);
  }

  /** A broker setting of its own, not the default of a topic config. */
  static BrokerSynonym standalone(
      String name, String defaultValue, String expected, Predicate<String> valid, String text) {
    return new BrokerSynonym(name, null, 0, defaultValue, expected, valid, text);
  }

  /** Whether it is a setting of its own rather than the default of a topic config. */
  public boolean isStandalone() {
    return config == null;
  }

  @Override
  public String configName() {
    return name;
  }

  /** The value as stored if legal (the topic config's rule, after conversion for another unit); else INVALID_CONFIG. */
  @Override
  public String check(String givenName, String value) {
    if (msPerUnit == 1) {
      return config.check(givenName, value);
    }
    if (!accepts(value)) {
      throw new BrokerException(
          BrokerError.INVALID_CONFIG,
          "Invalid value '" + value + "' for config " + givenName + ": expected " + expected + ".");
    }
    if (isStandalone()) {
      return ConfigValues.normalised(value.trim(), valid);
    }
    return Integer.toString(Integer.parseInt(value.trim()));
  }

  /** The topic config's type in its own unit; an int of another unit ({@code log.retention.hours}). */
  @Override
  public ConfigType type() {
    if (isStandalone()) {
      return ConfigValues.typeOf(valid);
    }
    return msPerUnit == 1 ? config.type() : ConfigType.INT;
  }

  /** What the broker config sets: the cluster-wide default of its topic config, in its unit. */
  @Override
  public String documentation() {
    if (isStandalone()) {
      return text;
    }
    String unit =
        msPerUnit == 1 ? "" : " (in " + (msPerUnit == 3_600_000 ? "hours" : "minutes") + ")";
    String doc = config.documentation();
    return "The cluster-wide default of the topic config " + config.kafkaName() + unit + "."
        + (doc == null ? "" : " " + doc);
  }

  public boolean accepts(String value) {
    if (msPerUnit == 1) {
      return config.accepts(value);
    }
    if (isStandalone()) {
      return value != null && valid.test(value.trim());
    }
    return value != null && valid.test(value.trim()) && config.accepts(topicValue(value.trim()));
  }

  /**
   * The topic config's value this setting stands for: converted to milliseconds; a negative
   * retention is no limit (-1), as Kafka computes {@code log.retention.hours=-1}.
   */
  public String topicValue(String value) {
    if (msPerUnit == 1) {
      return value;
    }
    long ms = Long.parseLong(value) * msPerUnit;
    return config == TopicConfig.RETENTION_MS && ms < 0 ? "-1" : Long.toString(ms);
  }
}

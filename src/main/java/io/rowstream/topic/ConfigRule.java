package io.rowstream.topic;

/** A config that can be set by name: a topic config, or a broker config that sets a cluster-wide default. */
public interface ConfigRule {
  /** The name it is set by. */
  String configName();

  /**
   * The value as stored if it is legal (trimmed, normalised); else INVALID_CONFIG naming the config
   * as {@code givenName}.
   */
  String check(String givenName, String value);

  /** The type of its values, as Kafka reports it. */
  ConfigType type();

  /** The built-in value; null when Kafka gives it none ({@code log.retention.ms}). */
  String defaultValue();

  /** Kafka's text for it; null when there is none. */
  String documentation();
}

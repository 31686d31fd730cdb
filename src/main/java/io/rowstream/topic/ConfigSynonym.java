package io.rowstream.topic;

/**
 * One level at which a config is set, as Kafka's DescribeConfigs lists a config's synonyms: the
 * topic's override (by the topic config's name), the cluster-wide default and the built-in default
 * (by the broker config's name). A config's synonyms run from the level in effect downwards.
 */
public record ConfigSynonym(String name, String value, Source source) {

  /** Kafka's {@code ConfigSource} names of the levels Rowstream has. */
  public enum Source {
    DYNAMIC_TOPIC_CONFIG,
    DYNAMIC_DEFAULT_BROKER_CONFIG,
    DEFAULT_CONFIG
  }
}

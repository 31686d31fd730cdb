package io.rowstream.topic;

/**
 * The type of a config's value, with the names of Kafka's {@code ConfigDef.Type} (what
 * DescribeConfigs reports from v3): the type of the check its value passes.
 */
public enum ConfigType {
  BOOLEAN,
  STRING,
  INT,
  LONG,
  DOUBLE,
  LIST
}

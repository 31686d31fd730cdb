package io.rowstream.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a {@link NodeConfig} from {@code ROWSTREAM_*} environment variables and their
 * {@code --kebab-case} command-line flags; a flag wins over the environment.
 */
public final class NodeConfigParser {

  /** The settings, by environment name; the flag is derived from it. */
  public static final List<String> SETTINGS = java.util.stream.Stream.concat(
          java.util.stream.Stream.of(
              "ROWSTREAM_DB_URL",
              "ROWSTREAM_DB_USER",
              "ROWSTREAM_DB_PASSWORD",
              "ROWSTREAM_DATA_DIR",
              "ROWSTREAM_HTTP_PORT",
              "ROWSTREAM_HTTP_HOST",
              "ROWSTREAM_NODE_ID",
              "ROWSTREAM_ADVERTISED_URL",
              "ROWSTREAM_DB_POOL_SIZE",
              "ROWSTREAM_MAX_REQUEST_BYTES",
              "ROWSTREAM_EMBEDDED_DB_PORT",
              "ROWSTREAM_CONSUMER_INSTANCE_TIMEOUT_MS",
              "ROWSTREAM_CONSUMER_SESSION_TIMEOUT_MS",
              "ROWSTREAM_GROUP_REAPER_INTERVAL_MS",
              "ROWSTREAM_LOG_MAINTENANCE_INTERVAL_MS",
              "ROWSTREAM_BROKER_LEASE_MS",
              "ROWSTREAM_HEARTBEAT_MS",
              "ROWSTREAM_CLUSTER_TICK_MS",
              "ROWSTREAM_KAFKA_PORT",
              "ROWSTREAM_KAFKA_ADVERTISED",
              "ROWSTREAM_KAFKA_MAX_REQUEST_BYTES",
              "ROWSTREAM_KAFKA_MAX_CONNECTIONS_PER_ADDRESS",
              "ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS",
              "ROWSTREAM_KAFKA_MAX_REQUEST_BYTES_IN_FLIGHT",
              "ROWSTREAM_KAFKA_REQUEST_BODY_TIMEOUT_MS",
              "ROWSTREAM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS",
              "ROWSTREAM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS",
              "ROWSTREAM_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS",
              "ROWSTREAM_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS"),
          OpsConfigParser.SETTINGS.stream())
      .toList();

  private NodeConfigParser() {}

  public static NodeConfig parse(Map<String, String> env, String[] args) {
    Map<String, String> values = new HashMap<>();
    for (String name : SETTINGS) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        values.put(name, value.trim());
      }
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String flag = arg.substring(2);
      String value;
      int eq = flag.indexOf('=');
      if (eq >= 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("flag --" + flag + " needs a value");
      }
      values.put(envNameOf(flag), value);
    }
    return new NodeConfig(
        optional(values, "ROWSTREAM_DB_URL"),
        optional(values, "ROWSTREAM_DB_USER"),
        optional(values, "ROWSTREAM_DB_PASSWORD"),
        Path.of(values.getOrDefault("ROWSTREAM_DATA_DIR", "rowstream-data")),
        intValue(values, "ROWSTREAM_HTTP_PORT", NodeConfig.DEFAULT_HTTP_PORT),
        optional(values, "ROWSTREAM_HTTP_HOST"),
        values.containsKey("ROWSTREAM_NODE_ID")
            ? OptionalInt.of(intValue(values, "ROWSTREAM_NODE_ID", 0))
            : OptionalInt.empty(),
        optional(values, "ROWSTREAM_ADVERTISED_URL"),
        intValue(values, "ROWSTREAM_DB_POOL_SIZE", 16),
        longValue(values, "ROWSTREAM_MAX_REQUEST_BYTES", NodeConfig.DEFAULT_MAX_REQUEST_BYTES),
        intValue(values, "ROWSTREAM_EMBEDDED_DB_PORT", NodeConfig.DEFAULT_EMBEDDED_DB_PORT),
        // The former name of the setting, still read when the new one is absent.
        intValue(
            values,
            "ROWSTREAM_CONSUMER_INSTANCE_TIMEOUT_MS",
            intValue(
                values,
                "ROWSTREAM_CONSUMER_SESSION_TIMEOUT_MS",
                NodeConfig.DEFAULT_CONSUMER_INSTANCE_TIMEOUT_MS)),
        intValue(
            values,
            "ROWSTREAM_GROUP_REAPER_INTERVAL_MS",
            NodeConfig.DEFAULT_GROUP_REAPER_INTERVAL_MS),
        intValue(
            values,
            "ROWSTREAM_LOG_MAINTENANCE_INTERVAL_MS",
            NodeConfig.DEFAULT_LOG_MAINTENANCE_INTERVAL_MS),
        ClusterTimings.ofMillis(
            longValue(
                values,
                "ROWSTREAM_BROKER_LEASE_MS",
                ClusterTimings.DEFAULT.lease().toMillis()),
            longValue(
                values,
                "ROWSTREAM_HEARTBEAT_MS",
                ClusterTimings.DEFAULT.heartbeat().toMillis()),
            longValue(
                values,
                "ROWSTREAM_CLUSTER_TICK_MS",
                ClusterTimings.DEFAULT.tick().toMillis())),
        OpsConfigParser.parse(values),
        kafka(values));
  }

  private static KafkaListenerConfig kafka(Map<String, String> values) {
    boolean off = "none".equalsIgnoreCase(values.get("ROWSTREAM_KAFKA_PORT"));
    int maxRequestBytes = intValue(
        values,
        "ROWSTREAM_KAFKA_MAX_REQUEST_BYTES",
        KafkaListenerConfig.Requests.DEFAULT_MAX_BYTES);
    return new KafkaListenerConfig(
        off
            ? Optional.empty()
            : Optional.of(
                intValue(values, "ROWSTREAM_KAFKA_PORT", KafkaListenerConfig.DEFAULT_PORT)),
        optional(values, "ROWSTREAM_KAFKA_ADVERTISED"),
        OpsConfigParser.bool(values, "ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS", false),
        new KafkaListenerConfig.Requests(
            maxRequestBytes,
            intValue(
                values,
                "ROWSTREAM_KAFKA_MAX_CONNECTIONS_PER_ADDRESS",
                KafkaListenerConfig.Requests.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS),
            intValue(
                values,
                "ROWSTREAM_KAFKA_MAX_REQUEST_BYTES_IN_FLIGHT",
                Math.max(
                    KafkaListenerConfig.Requests.DEFAULT_MAX_BYTES_IN_FLIGHT, maxRequestBytes)),
            intValue(
                values,
                "ROWSTREAM_KAFKA_REQUEST_BODY_TIMEOUT_MS",
                KafkaListenerConfig.Requests.DEFAULT_BODY_TIMEOUT_MS)),
        new KafkaListenerConfig.GroupSessions(
            intValue(
                values,
                "ROWSTREAM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS",
                KafkaListenerConfig.GroupSessions.DEFAULT_CONSUMER_SESSION_TIMEOUT_MS),
            intValue(
                values,
                "ROWSTREAM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS",
                KafkaListenerConfig.GroupSessions.DEFAULT_CONSUMER_HEARTBEAT_INTERVAL_MS),
            intValue(
                values,
                "ROWSTREAM_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS",
                KafkaListenerConfig.GroupSessions.DEFAULT_CLASSIC_MIN_SESSION_TIMEOUT_MS),
            intValue(
                values,
                "ROWSTREAM_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS",
                KafkaListenerConfig.GroupSessions.DEFAULT_CLASSIC_MAX_SESSION_TIMEOUT_MS)));
  }

  /** {@code db-url} → {@code ROWSTREAM_DB_URL}; refuses flags that name no setting. */
  static String envNameOf(String flag) {
    String name = "ROWSTREAM_" + flag.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    if (!SETTINGS.contains(name)) {
      throw new IllegalArgumentException("unknown flag --" + flag);
    }
    return name;
  }

  private static Optional<String> optional(Map<String, String> values, String name) {
    return Optional.ofNullable(values.get(name));
  }

  private static int intValue(Map<String, String> values, String name, int fallback) {
    String value = values.get(name);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }

  static long longValue(Map<String, String> values, String name, long fallback) {
    String value = values.get(name);
    try {
      return value == null ? fallback : Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }
}

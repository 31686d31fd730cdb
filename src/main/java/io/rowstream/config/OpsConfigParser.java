package io.rowstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads an {@link OpsConfig} from the settings {@link NodeConfigParser} gathered. */
final class OpsConfigParser {
  static final List<String> SETTINGS = List.of(
      "ROWSTREAM_AUTH_ENABLED",
      "ROWSTREAM_SUPER_USERS",
      "ROWSTREAM_BOOTSTRAP_USER",
      "ROWSTREAM_BOOTSTRAP_PASSWORD",
      "ROWSTREAM_ALLOW_EVERYONE_IF_NO_ACL_FOUND",
      "ROWSTREAM_AUTH_CACHE_TTL_MS",
      "ROWSTREAM_AUTH_FAILURE_LIMIT",
      "ROWSTREAM_AUTH_FAILURE_WINDOW_MS",
      "ROWSTREAM_AUTH_FAILURE_BACKOFF_MS",
      "ROWSTREAM_AUTH_FAILURE_MAX_BACKOFF_MS",
      "ROWSTREAM_AUTH_MAX_CONCURRENT_PASSWORD_CHECKS",
      "ROWSTREAM_TLS_CERT",
      "ROWSTREAM_TLS_KEY",
      "ROWSTREAM_TLS_KEYSTORE",
      "ROWSTREAM_TLS_KEYSTORE_PASSWORD",
      "ROWSTREAM_TLS_CLIENT_AUTH",
      "ROWSTREAM_TLS_TRUSTSTORE",
      "ROWSTREAM_TLS_TRUSTSTORE_PASSWORD",
      "ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES",
      "ROWSTREAM_MAX_RECORDS_PER_REQUEST",
      "ROWSTREAM_MAX_HEADERS_PER_RECORD",
      "ROWSTREAM_MAX_HEADER_BYTES",
      "ROWSTREAM_MAX_CONSUMERS_PER_GROUP",
      "ROWSTREAM_MAX_CONSUMERS_PER_PRINCIPAL",
      "ROWSTREAM_MAX_GROUPS_PER_PRINCIPAL",
      "ROWSTREAM_MAX_LONG_POLLS",
      "ROWSTREAM_PRODUCE_BYTE_RATE",
      "ROWSTREAM_FETCH_BYTE_RATE",
      "ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT",
      "ROWSTREAM_REQUEST_HEADER_TIMEOUT_MS",
      "ROWSTREAM_MIN_REQUEST_BODY_RATE",
      "ROWSTREAM_MAX_PARTITIONS_PER_TOPIC",
      "ROWSTREAM_MAX_PARTITIONS",
      "ROWSTREAM_SHUTDOWN_TIMEOUT_MS");

  private OpsConfigParser() {}

  static OpsConfig parse(Map<String, String> values) {
    OpsConfig.Limits limitDefaults = OpsConfig.Limits.defaults();
    OpsConfig.AuthFailures failureDefaults = OpsConfig.AuthFailures.defaults();
    OpsConfig.AuthFailures failures = new OpsConfig.AuthFailures(
        (int) number(values, "ROWSTREAM_AUTH_FAILURE_LIMIT", failureDefaults.limit()),
        Duration.ofMillis(number(
            values, "ROWSTREAM_AUTH_FAILURE_WINDOW_MS", failureDefaults.window().toMillis())),
        Duration.ofMillis(number(
            values,
            "ROWSTREAM_AUTH_FAILURE_BACKOFF_MS",
            failureDefaults.backoff().toMillis())),
        Duration.ofMillis(number(
            values,
            "ROWSTREAM_AUTH_FAILURE_MAX_BACKOFF_MS",
            failureDefaults.maxBackoff().toMillis())),
        (int) number(
            values,
            "ROWSTREAM_AUTH_MAX_CONCURRENT_PASSWORD_CHECKS",
            failureDefaults.concurrentPasswordChecks()));
    OpsConfig.Auth auth = new OpsConfig.Auth(
        bool(values, "ROWSTREAM_AUTH_ENABLED", false),
        Arrays.stream(values.getOrDefault("ROWSTREAM_SUPER_USERS", "").split("[;,]"))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet()),
        text(values, "ROWSTREAM_BOOTSTRAP_USER"),
        text(values, "ROWSTREAM_BOOTSTRAP_PASSWORD"),
        bool(values, "ROWSTREAM_ALLOW_EVERYONE_IF_NO_ACL_FOUND", false),
        Duration.ofMillis(number(values, "ROWSTREAM_AUTH_CACHE_TTL_MS", 5_000)),
        failures);
    OpsConfig.Tls tls = new OpsConfig.Tls(
        path(values, "ROWSTREAM_TLS_CERT"),
        path(values, "ROWSTREAM_TLS_KEY"),
        path(values, "ROWSTREAM_TLS_KEYSTORE"),
        text(values, "ROWSTREAM_TLS_KEYSTORE_PASSWORD"),
        values.getOrDefault("ROWSTREAM_TLS_CLIENT_AUTH", "none").toLowerCase(Locale.ROOT),
        path(values, "ROWSTREAM_TLS_TRUSTSTORE"),
        text(values, "ROWSTREAM_TLS_TRUSTSTORE_PASSWORD"),
        values.getOrDefault(
            "ROWSTREAM_TLS_PRINCIPAL_MAPPING_RULES", OpsConfig.Tls.DEFAULT_PRINCIPAL_MAPPING));
    OpsConfig.Limits limits = new OpsConfig.Limits(
        (int) number(
            values, "ROWSTREAM_MAX_RECORDS_PER_REQUEST", limitDefaults.maxRecordsPerRequest()),
        (int)
            number(values, "ROWSTREAM_MAX_HEADERS_PER_RECORD", limitDefaults.maxHeadersPerRecord()),
        (int) number(values, "ROWSTREAM_MAX_HEADER_BYTES", limitDefaults.maxHeaderBytes()),
        (int) number(
            values, "ROWSTREAM_MAX_CONSUMERS_PER_GROUP", limitDefaults.maxConsumersPerGroup()),
        (int) number(
            values,
            "ROWSTREAM_MAX_CONSUMERS_PER_PRINCIPAL",
            limitDefaults.maxConsumersPerPrincipal()),
        (int) number(
            values, "ROWSTREAM_MAX_GROUPS_PER_PRINCIPAL", limitDefaults.maxGroupsPerPrincipal()),
        (int) number(values, "ROWSTREAM_MAX_LONG_POLLS", limitDefaults.maxLongPolls()),
        number(values, "ROWSTREAM_PRODUCE_BYTE_RATE", 0),
        number(values, "ROWSTREAM_FETCH_BYTE_RATE", 0),
        number(
            values, "ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT", limitDefaults.maxFetchBytesInFlight()),
        (int) number(
            values, "ROWSTREAM_REQUEST_HEADER_TIMEOUT_MS", limitDefaults.requestHeaderTimeoutMs()),
        number(values, "ROWSTREAM_MIN_REQUEST_BODY_RATE", limitDefaults.minRequestBodyRate()),
        (int) number(
            values, "ROWSTREAM_MAX_PARTITIONS_PER_TOPIC", limitDefaults.maxPartitionsPerTopic()),
        (int) number(values, "ROWSTREAM_MAX_PARTITIONS", limitDefaults.maxPartitions()));
    OpsConfig.Shutdown shutdown = new OpsConfig.Shutdown(
        Duration.ofMillis(number(values, "ROWSTREAM_SHUTDOWN_TIMEOUT_MS", 30_000)));
    return new OpsConfig(auth, tls, limits, shutdown);
  }

  private static Optional<String> text(Map<String, String> values, String name) {
    return Optional.ofNullable(values.get(name));
  }

  private static Optional<Path> path(Map<String, String> values, String name) {
    return text(values, name).map(Path::of);
  }

  static boolean bool(Map<String, String> values, String name, boolean fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (Set.of("true", "false").contains(value.toLowerCase(Locale.ROOT))) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
  }

  private static long number(Map<String, String> values, String name, long fallback) {
    return NodeConfigParser.longValue(values, name, fallback);
  }
}

package io.rowstream.consumer;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.group.Assignors;
import io.rowstream.group.PartitionAssignor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Checks the configuration of {@code POST /consumers/{group}} and fills in the defaults. */
final class ConsumerConfigs {
  private static final int MAX_FETCH_MIN_BYTES = 10_000_000;
  /** Kafka's group.max.session.timeout.ms default. */
  static final int MAX_SESSION_TIMEOUT_MS = 1_800_000;

  static final int MIN_SESSION_TIMEOUT_MS = 500;

  /**
   * The lease of an instance that names no {@code session.timeout.ms}: the node's
   * {@code consumer.instance.timeout.ms}, how long an idle instance lives in the REST Proxy.
   */
  private final int instanceTimeoutMs;

  ConsumerConfigs(int instanceTimeoutMs) {
    this.instanceTimeoutMs = instanceTimeoutMs;
  }

  /** The instance the request describes; INVALID_CONSUMER_CONFIG (42204) when a value is not allowed. */
  ConsumerInstance instance(String group, NewConsumer request) {
    String id = request.name() == null ? "rest-consumer-" + UUID.randomUUID() : request.name();
    if (id.isBlank() || id.contains("/")) {
      throw invalidConfig("name must be non-blank and hold no '/', got '" + id + "'.");
    }
    String strategy = request.assignmentStrategy() == null
        ? Assignors.DEFAULT
        : Assignors.byName(request.assignmentStrategy())
            .map(PartitionAssignor::name)
            .orElseThrow(() -> invalidConfig("partition.assignment.strategy must be one of "
                + Assignors.names() + ", got '" + request.assignmentStrategy() + "'."));
    return new ConsumerInstance(
        group,
        id,
        choice(request.format(), "format", ConsumerFormat.BINARY, ConsumerFormat.values()),
        choice(
            request.autoOffsetReset(),
            "auto.offset.reset",
            OffsetReset.LATEST,
            OffsetReset.values()),
        bool(request.autoCommitEnable(), "auto.commit.enable", true),
        integer(request.fetchMinBytes(), "fetch.min.bytes", -1, -1, MAX_FETCH_MIN_BYTES),
        integer(
            request.requestTimeoutMs(), "consumer.request.timeout.ms", 1000, 0, Integer.MAX_VALUE),
        integer(
            request.sessionTimeoutMs(),
            "session.timeout.ms",
            instanceTimeoutMs,
            MIN_SESSION_TIMEOUT_MS,
            MAX_SESSION_TIMEOUT_MS),
        strategy,
        id + "-" + UUID.randomUUID(),
        false);
  }

  private static <E extends Enum<E>> E choice(String raw, String name, E fallback, E[] values) {
    if (raw == null) {
      return fallback;
    }
    for (E value : values) {
      if (value.name().equalsIgnoreCase(raw)) {
        return value;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E value : values) {
      allowed.add(value.name().toLowerCase(Locale.ROOT));
    }
    throw invalidConfig(name + " must be one of " + allowed + ", got '" + raw + "'.");
  }

  private static boolean bool(String raw, String name, boolean fallback) {
    if (raw == null) {
      return fallback;
    }
    if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(raw);
    }
    throw invalidConfig(name + " must be true or false, got '" + raw + "'.");
  }

  private static int integer(String raw, String name, int fallback, int min, int max) {
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw invalidConfig(
        name + " must be an integer from " + min + " to " + max + ", got '" + raw + "'.");
  }

  private static BrokerException invalidConfig(String message) {
    return new BrokerException(
        BrokerError.INVALID_CONSUMER_CONFIG, "Invalid consumer configuration: " + message);
  }
}

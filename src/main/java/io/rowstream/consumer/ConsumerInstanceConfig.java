package io.rowstream.consumer;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;
import java.util.Set;

/**
 * A consumer instance's settings, with REST Proxy names: {@code format}, {@code auto.offset.reset},
 * {@code auto.commit.enable}, {@code fetch.min.bytes}, {@code consumer.request.timeout.ms}.
 */
public record ConsumerInstanceConfig(
    String format, String autoOffsetReset, boolean autoCommitEnable, int fetchMinBytes, int requestTimeoutMs) {

  public static final int DEFAULT_REQUEST_TIMEOUT_MS = 1000;
  private static final Set<String> FORMATS = Set.of("binary", "json");
  private static final Set<String> RESETS = Set.of("earliest", "latest", "none");

  public ConsumerInstanceConfig {
    if (!FORMATS.contains(format)) {
      throw invalid("format '" + format + "' is not supported: use binary or json");
    }
    if (!RESETS.contains(autoOffsetReset)) {
      throw invalid("auto.offset.reset must be earliest, latest or none, got '" + autoOffsetReset + "'");
    }
    if (fetchMinBytes < -1) {
      throw invalid("fetch.min.bytes must be -1 or more, got " + fetchMinBytes);
    }
    if (requestTimeoutMs < 0) {
      throw invalid("consumer.request.timeout.ms must not be negative, got " + requestTimeoutMs);
    }
  }

  public static ConsumerInstanceConfig defaults() {
    return new ConsumerInstanceConfig("binary", "latest", true, -1, DEFAULT_REQUEST_TIMEOUT_MS);
  }

  /** INVALID_CONSUMER_CONFIG (42204) with the reason. */
  public static BrokerException invalid(String message) {
    return new BrokerException(BrokerError.INVALID_CONSUMER_CONFIG, "Invalid consumer config: " + message + ".");
  }
}

package io.rowstream.config;

import java.util.Optional;

/**
 * The node's listener for Kafka's binary protocol.
 *
 * @param port listening port, 0 picks a free one; empty: no Kafka listener
 *     ({@code ROWSTREAM_KAFKA_PORT=none})
 * @param advertised {@code host:port} Kafka clients are told to connect to; empty: the host of the
 *     advertised HTTP URL (else {@code localhost}) and the port listened on
 * @param maxRequestBytes largest request frame accepted, Kafka's {@code socket.request.max.bytes};
 *     a longer one closes the connection
 * @param maxConnectionsPerAddress connections one client address may hold open, Kafka's
 *     {@code max.connections.per.ip}; one more is closed at once
 * @param saslPlainWithoutTls whether SASL/PLAIN is accepted on a connection without TLS, where the
 *     password travels in clear ({@code ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS}, default false)
 * @param maxRequestBytesInFlight bytes of request frames the node holds at once over all its
 *     connections, Kafka's {@code queued.max.request.bytes} (which Kafka leaves unbounded): a frame
 *     is read only once its announced length fits, so frame lengths alone cannot take the heap
 * @param requestBodyTimeoutMs time a client has to send a frame's bytes once it has announced its
 *     length; past it the connection is closed and the bytes it held are free again
 * @param consumerSessionTimeoutMs how long a KIP-848 member lives without a heartbeat, Kafka's
 *     {@code group.consumer.session.timeout.ms} ({@code ROWSTREAM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS},
 *     default 45000): the client does not send one
 * @param consumerHeartbeatIntervalMs how often a KIP-848 member heartbeats, Kafka's
 *     {@code group.consumer.heartbeat.interval.ms} ({@code ROWSTREAM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS},
 *     default 5000); also how soon a member learns that partitions it waits for were released
 */
public record KafkaListenerConfig(
    Optional<Integer> port,
    Optional<String> advertised,
    int maxRequestBytes,
    int maxConnectionsPerAddress,
    boolean saslPlainWithoutTls,
    int maxRequestBytesInFlight,
    int requestBodyTimeoutMs,
    int consumerSessionTimeoutMs,
    int consumerHeartbeatIntervalMs) {

  /** A listener that refuses SASL/PLAIN without TLS, with the default request memory and Kafka's KIP-848 timings. */
  public KafkaListenerConfig(
      Optional<Integer> port,
      Optional<String> advertised,
      int maxRequestBytes,
      int maxConnectionsPerAddress) {
    this(
        port,
        advertised,
        maxRequestBytes,
        maxConnectionsPerAddress,
        false,
        Math.max(DEFAULT_MAX_REQUEST_BYTES_IN_FLIGHT, maxRequestBytes),
        DEFAULT_REQUEST_BODY_TIMEOUT_MS,
        DEFAULT_CONSUMER_SESSION_TIMEOUT_MS,
        DEFAULT_CONSUMER_HEARTBEAT_INTERVAL_MS);
  }

  /** Kafka's group.consumer.session.timeout.ms default. */
  public static final int DEFAULT_CONSUMER_SESSION_TIMEOUT_MS = 45_000;

  /** Kafka's group.consumer.heartbeat.interval.ms default. */
  public static final int DEFAULT_CONSUMER_HEARTBEAT_INTERVAL_MS = 5_000;

  public static final int DEFAULT_PORT = 9092;
  /** Kafka's socket.request.max.bytes default: 100 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;

  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1000;

  /** 256 MiB: two largest frames at once, or 256 producers' 1 MiB batches. */
  public static final int DEFAULT_MAX_REQUEST_BYTES_IN_FLIGHT = 256 * 1024 * 1024;

  /** Kafka's default request.timeout.ms of its clients. */
  public static final int DEFAULT_REQUEST_BODY_TIMEOUT_MS = 30_000;

  public KafkaListenerConfig {
    if (port.isPresent() && (port.get() < 0 || port.get() > 65535)) {
      throw new IllegalArgumentException("Kafka port must be 0..65535 or none, got " + port.get());
    }
    advertised.ifPresent(KafkaListenerConfig::requireHostAndPort);
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "Kafka max request bytes must be at least 1024, got " + maxRequestBytes);
    }
    if (consumerHeartbeatIntervalMs < 1
        || consumerHeartbeatIntervalMs >= consumerSessionTimeoutMs) {
      throw new IllegalArgumentException("Kafka consumer heartbeat interval must be positive and"
          + " below the session timeout, got " + consumerHeartbeatIntervalMs + " and "
          + consumerSessionTimeoutMs + " ms");
    }
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException(
          "Kafka max connections per address must be at least 1, got " + maxConnectionsPerAddress);
    }
    if (maxRequestBytesInFlight < maxRequestBytes) {
      throw new IllegalArgumentException("ROWSTREAM_KAFKA_MAX_REQUEST_BYTES_IN_FLIGHT ("
          + maxRequestBytesInFlight + ") must be at least ROWSTREAM_KAFKA_MAX_REQUEST_BYTES ("
          + maxRequestBytes + "): the largest frame must fit");
    }
    if (requestBodyTimeoutMs < 1) {
      throw new IllegalArgumentException(
          "Kafka request body timeout must be at least 1 ms, got " + requestBodyTimeoutMs);
    }
  }

  /** A listener on a free port with the default limits (tests, several nodes on one machine). */
  public static KafkaListenerConfig anyFreePort() {
    return new KafkaListenerConfig(
        Optional.of(0),
        Optional.empty(),
        DEFAULT_MAX_REQUEST_BYTES,
        DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
  }

  public boolean enabled() {
    return port.isPresent();
  }

  public KafkaListenerConfig withLimits(int maxRequestBytes, int maxConnectionsPerAddress) {
    return new KafkaListenerConfig(
        port,
        advertised,
        maxRequestBytes,
        maxConnectionsPerAddress,
        saslPlainWithoutTls,
        Math.max(maxRequestBytesInFlight, maxRequestBytes),
        requestBodyTimeoutMs,
        consumerSessionTimeoutMs,
        consumerHeartbeatIntervalMs);
  }

  /** The same listener with another request memory and body timeout. */
  public KafkaListenerConfig withRequestMemory(
      int maxRequestBytesInFlight, int requestBodyTimeoutMs) {
    return new KafkaListenerConfig(
        port,
        advertised,
        maxRequestBytes,
        maxConnectionsPerAddress,
        saslPlainWithoutTls,
        maxRequestBytesInFlight,
        requestBodyTimeoutMs,
        consumerSessionTimeoutMs,
        consumerHeartbeatIntervalMs);
  }

  /** The same listener, accepting SASL/PLAIN without TLS or not. */
  public KafkaListenerConfig withSaslPlainWithoutTls(boolean allowed) {
    return new KafkaListenerConfig(
        port,
        advertised,
        maxRequestBytes,
        maxConnectionsPerAddress,
        allowed,
        maxRequestBytesInFlight,
        requestBodyTimeoutMs,
        consumerSessionTimeoutMs,
        consumerHeartbeatIntervalMs);
  }

  /** The same listener with other KIP-848 session and heartbeat timings. */
  public KafkaListenerConfig withConsumerGroupTimings(
      int sessionTimeoutMs, int heartbeatIntervalMs) {
    return new KafkaListenerConfig(
        port,
        advertised,
        maxRequestBytes,
        maxConnectionsPerAddress,
        saslPlainWithoutTls,
        maxRequestBytesInFlight,
        requestBodyTimeoutMs,
        sessionTimeoutMs,
        heartbeatIntervalMs);
  }

  /** The host of {@code host:port} ({@code [v6]:port} too); refuses anything else. */
  static void requireHostAndPort(String value) {
    int colon = value.lastIndexOf(':');
    boolean ok = colon > 0 && colon < value.length() - 1;
    if (ok) {
      try {
        int p = Integer.parseInt(value.substring(colon + 1));
        ok = p >= 1 && p <= 65535;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "ROWSTREAM_KAFKA_ADVERTISED must be host:port, got '" + value + "'");
    }
  }
}

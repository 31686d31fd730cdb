package io.rowstream.config;

import java.util.Optional;

/**
 * The node's listener for Kafka's binary protocol.
 *
 * @param port listening port, 0 picks a free one; empty: no Kafka listener
 *     ({@code ROWSTREAM_KAFKA_PORT=none})
 * @param advertised {@code host:port} Kafka clients are told to connect to; empty: the host of the
 *     advertised HTTP URL (else {@code localhost}) and the port listened on
 * @param saslPlainWithoutTls whether SASL/PLAIN is accepted on a connection without TLS, where the
 *     password travels in clear ({@code ROWSTREAM_KAFKA_SASL_PLAIN_WITHOUT_TLS}, default false)
 * @param requests what a connection may send and hold
 * @param groups the broker side of consumer group sessions
 */
public record KafkaListenerConfig(
    Optional<Integer> port,
    Optional<String> advertised,
    boolean saslPlainWithoutTls,
    Requests requests,
    GroupSessions groups) {

  public static final int DEFAULT_PORT = 9092;

  /**
   * What a connection may send and hold.
   *
   * @param maxBytes largest request frame accepted, Kafka's {@code socket.request.max.bytes}; a
   *     longer one closes the connection
   * @param maxConnectionsPerAddress connections one client address may hold open, Kafka's
   *     {@code max.connections.per.ip}; one more is closed at once
   * @param maxBytesInFlight bytes of request frames the node holds at once over all its
   *     connections, Kafka's {@code queued.max.request.bytes} (which Kafka leaves unbounded): a
   *     frame is read only once its announced length fits, so frame lengths alone cannot take the
   *     heap
   * @param bodyTimeoutMs time a client has to send a frame's bytes once it has announced its
   *     length; past it the connection is closed and the bytes it held are free again
   */
  public record Requests(
      int maxBytes, int maxConnectionsPerAddress, int maxBytesInFlight, int bodyTimeoutMs) {
    /** Kafka's socket.request.max.bytes default: 100 MiB. */
    public static final int DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1000;

    /** 256 MiB: two largest frames at once, or 256 producers' 1 MiB batches. */
    public static final int DEFAULT_MAX_BYTES_IN_FLIGHT = 256 * 1024 * 1024;

    /** Kafka's default request.timeout.ms of its clients. */
    public static final int DEFAULT_BODY_TIMEOUT_MS = 30_000;

    public static final Requests DEFAULT = new Requests(
        DEFAULT_MAX_BYTES,
        DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
        DEFAULT_MAX_BYTES_IN_FLIGHT,
        DEFAULT_BODY_TIMEOUT_MS);

    public Requests {
      if (maxBytes < 1024) {
        throw new IllegalArgumentException(
            "Kafka max request bytes must be at least 1024, got " + maxBytes);
      }
      if (maxConnectionsPerAddress < 1) {
        throw new IllegalArgumentException(
            "Kafka max connections per address must be at least 1, got "
                + maxConnectionsPerAddress);
      }
      if (maxBytesInFlight < maxBytes) {
        throw new IllegalArgumentException("ROWSTREAM_KAFKA_MAX_REQUEST_BYTES_IN_FLIGHT ("
            + maxBytesInFlight + ") must be at least ROWSTREAM_KAFKA_MAX_REQUEST_BYTES ("
            + maxBytes + "): the largest frame must fit");
      }
      if (bodyTimeoutMs < 1) {
        throw new IllegalArgumentException(
            "Kafka request body timeout must be at least 1 ms, got " + bodyTimeoutMs);
      }
    }

    /** Another frame size and connection cap; the memory grows to hold one frame if need be. */
    public Requests withLimits(int maxBytes, int maxConnectionsPerAddress) {
      return new Requests(
          maxBytes, maxConnectionsPerAddress, Math.max(maxBytesInFlight, maxBytes), bodyTimeoutMs);
    }

    public Requests withMemory(int maxBytesInFlight, int bodyTimeoutMs) {
      return new Requests(maxBytes, maxConnectionsPerAddress, maxBytesInFlight, bodyTimeoutMs);
    }
  }

  /**
   * The broker side of consumer group sessions.
   *
   * @param consumerSessionTimeoutMs how long a KIP-848 member lives without a heartbeat, Kafka's
   *     {@code group.consumer.session.timeout.ms}
   *     ({@code ROWSTREAM_KAFKA_CONSUMER_SESSION_TIMEOUT_MS}, default 45000): the client does not
   *     send one
   * @param consumerHeartbeatIntervalMs how often a KIP-848 member heartbeats, Kafka's
   *     {@code group.consumer.heartbeat.interval.ms}
   *     ({@code ROWSTREAM_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS}, default 5000); also how soon a
   *     member learns that partitions it waits for were released
   * @param classicMinSessionTimeoutMs the shortest session a classic member may ask for in its
   *     JoinGroup, Kafka's {@code group.min.session.timeout.ms}
   *     ({@code ROWSTREAM_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS}, default 6000)
   * @param classicMaxSessionTimeoutMs the longest, Kafka's {@code group.max.session.timeout.ms}
   *     ({@code ROWSTREAM_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS}, default 1800000)
   */
  public record GroupSessions(
      int consumerSessionTimeoutMs,
      int consumerHeartbeatIntervalMs,
      int classicMinSessionTimeoutMs,
      int classicMaxSessionTimeoutMs) {
    /** Kafka's group.consumer.session.timeout.ms default. */
    public static final int DEFAULT_CONSUMER_SESSION_TIMEOUT_MS = 45_000;

    /** Kafka's group.consumer.heartbeat.interval.ms default. */
    public static final int DEFAULT_CONSUMER_HEARTBEAT_INTERVAL_MS = 5_000;

    /** Kafka's group.min.session.timeout.ms default. */
    public static final int DEFAULT_CLASSIC_MIN_SESSION_TIMEOUT_MS = 6_000;

    /** Kafka's group.max.session.timeout.ms default: 30 minutes. */
    public static final int DEFAULT_CLASSIC_MAX_SESSION_TIMEOUT_MS = 1_800_000;

    public static final GroupSessions DEFAULT = new GroupSessions(
        DEFAULT_CONSUMER_SESSION_TIMEOUT_MS,
        DEFAULT_CONSUMER_HEARTBEAT_INTERVAL_MS,
        DEFAULT_CLASSIC_MIN_SESSION_TIMEOUT_MS,
        DEFAULT_CLASSIC_MAX_SESSION_TIMEOUT_MS);

    public GroupSessions {
      if (consumerHeartbeatIntervalMs < 1
          || consumerHeartbeatIntervalMs >= consumerSessionTimeoutMs) {
        throw new IllegalArgumentException("Kafka consumer heartbeat interval must be positive and"
            + " below the session timeout, got " + consumerHeartbeatIntervalMs + " and "
            + consumerSessionTimeoutMs + " ms");
      }
      if (classicMinSessionTimeoutMs < 1
          || classicMaxSessionTimeoutMs < classicMinSessionTimeoutMs) {
        throw new IllegalArgumentException("Kafka group session timeout bounds must be positive"
            + " and the maximum at least the minimum, got " + classicMinSessionTimeoutMs + " and "
            + classicMaxSessionTimeoutMs + " ms");
      }
    }

    /** Other KIP-848 session and heartbeat timings. */
    public GroupSessions withConsumer(int sessionTimeoutMs, int heartbeatIntervalMs) {
      return new GroupSessions(
          sessionTimeoutMs,
          heartbeatIntervalMs,
          classicMinSessionTimeoutMs,
          classicMaxSessionTimeoutMs);
    }

    /** Other bounds of a classic member's session timeout. */
    public GroupSessions withClassicBounds(int minMs, int maxMs) {
      return new GroupSessions(consumerSessionTimeoutMs, consumerHeartbeatIntervalMs, minMs, maxMs);
    }
  }

  public KafkaListenerConfig {
    if (port.isPresent() && (port.get() < 0 || port.get() > 65535)) {
      throw new IllegalArgumentException("Kafka port must be 0..65535 or none, got " + port.get());
    }
    advertised.ifPresent(KafkaListenerConfig::requireHostAndPort);
  }

  /** A listener on a free port with the default limits (tests, several nodes on one machine). */
  public static KafkaListenerConfig anyFreePort() {
    return new KafkaListenerConfig(
        Optional.of(0), Optional.empty(), false, Requests.DEFAULT, GroupSessions.DEFAULT);
  }

  public boolean enabled() {
    return port.isPresent();
  }

  /** The same listener, accepting SASL/PLAIN without TLS or not. */
  public KafkaListenerConfig withSaslPlainWithoutTls(boolean allowed) {
    return new KafkaListenerConfig(port, advertised, allowed, requests, groups);
  }

  public KafkaListenerConfig withRequests(Requests changed) {
    return new KafkaListenerConfig(port, advertised, saslPlainWithoutTls, changed, groups);
  }

  public KafkaListenerConfig withGroups(GroupSessions changed) {
    return new KafkaListenerConfig(port, advertised, saslPlainWithoutTls, requests, changed);
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

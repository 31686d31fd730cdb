package io.rowstream.group;

/**
 * The broker side of a KIP-848 member's session: Kafka's {@code group.consumer.session.timeout.ms}
 * and {@code group.consumer.heartbeat.interval.ms} (the client sends neither), and Kafka's
 * {@code group.consumer.max.size}, here the node's cap of consumer instances per group, which
 * HTTP instances count against too.
 */
public record HeartbeatSettings(int sessionTimeoutMs, int heartbeatIntervalMs, int maxMembers) {
  /** Kafka's defaults: a 45 s session, a heartbeat every 5 s. */
  public static final int DEFAULT_SESSION_TIMEOUT_MS = 45_000;

  public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;

  public HeartbeatSettings {
    if (heartbeatIntervalMs < 1 || heartbeatIntervalMs >= sessionTimeoutMs) {
      throw new IllegalArgumentException(
          "the KIP-848 heartbeat interval must be positive and below" + " the session timeout, got "
              + heartbeatIntervalMs + " and " + sessionTimeoutMs + " ms");
    }
    if (maxMembers < 1) {
      throw new IllegalArgumentException(
          "a group's member cap must be positive, got " + maxMembers);
    }
  }
}

package io.rowstream.group;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;

/**
 * The session timeouts a classic member may ask for in its JoinGroup, Kafka's
 * {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms}: a shorter one would
 * have the group reaper expel members between two heartbeats, a longer one would let a dead member
 * hold its partitions for as long as it likes.
 */
public record SessionTimeoutBounds(int minMs, int maxMs) {
  public SessionTimeoutBounds {
    if (minMs < 1 || maxMs < minMs) {
      throw new IllegalArgumentException(
          "session timeout bounds must be positive and in order, got " + minMs + " and " + maxMs);
    }
  }

  /** Refuses, with Kafka's INVALID_SESSION_TIMEOUT, a session timeout outside the bounds. */
  void check(String group, int sessionTimeoutMs) {
    if (sessionTimeoutMs < minMs || sessionTimeoutMs > maxMs) {
      throw new BrokerException(
          BrokerError.INVALID_SESSION_TIMEOUT,
          "Session timeout " + sessionTimeoutMs + " ms of a member joining group '" + group
              + "' is outside the broker's bounds: " + minMs + " to " + maxMs
              + " ms (group.min.session.timeout.ms, group.max.session.timeout.ms).");
    }
  }
}

package io.rowstream.security;

import java.time.Duration;

/**
 * A password that was not checked, because its client address or user name failed too often
 * lately, or because the node is busy checking others: the caller may retry after {@link #retryAfter}.
 */
public final class AuthenticationThrottledException extends RuntimeException {
  private final Duration retryAfter;

  AuthenticationThrottledException(String message, Duration retryAfter) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}

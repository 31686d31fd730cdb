package io.rowstream.security;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs password checks (bcrypt, about 50 ms of CPU each) at most {@code concurrent} at a time on
 * this node, so that checking passwords, most of all wrong ones, cannot take every core from the
 * clients already signed in. A check that cannot start within {@link #MAX_WAIT} is refused.
 */
final class PasswordChecks {
  static final Duration MAX_WAIT = Duration.ofSeconds(1);

  private final Semaphore permits;

  PasswordChecks(int concurrent) {
    this.permits = new Semaphore(concurrent, true);
  }

  /** The answer of {@code check}, run once a permit is free. */
  boolean run(BooleanSupplier check) {
    boolean acquired;
    try {
      acquired = permits.tryAcquire(MAX_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthenticationThrottledException(
          "Interrupted while waiting to check a password.", MAX_WAIT);
    }
    if (!acquired) {
      throw new AuthenticationThrottledException(
          "This node is busy checking passwords; retry later.", MAX_WAIT);
    }
    try {
      return check.getAsBoolean();
    } finally {
      permits.release();
    }
  }
}

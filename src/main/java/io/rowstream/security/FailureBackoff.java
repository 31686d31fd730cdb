package io.rowstream.security;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed password checks counted per key (a client address, or a user name), and the backoff a key
 * earns by failing {@code limit} times within a window: it starts at {@code backoff} and doubles
 * with each further trip, up to {@code maxBackoff}; a key that then stays clean for a window starts
 * over. Times are {@link System#nanoTime} values, compared by difference.
 */
final class FailureBackoff {
  /** Keys remembered at most; beyond it, keys that are neither failing nor refused are forgotten. */
  static final int MAX_TRACKED = 100_000;

  private final int limit;
  private final long windowNanos;
  private final long backoffNanos;
  private final long maxBackoffNanos;
  private final ConcurrentHashMap<String, Failures> keys = new ConcurrentHashMap<>();

  FailureBackoff(int limit, Duration window, Duration backoff, Duration maxBackoff) {
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.backoffNanos = backoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  /** How long {@code key} stays refused, in nanoseconds; 0 when it is not refused. */
  long refusedFor(String key, long now) {
    Failures f = keys.get(key);
    return f == null ? 0 : f.refusedFor(now);
  }

  /** Whether {@code key} failed within the current window, or is refused. */
  boolean failedRecently(String key, long now) {
    Failures f = keys.get(key);
    return f != null && f.failedRecently(now);
  }

  /** Counts a failure of {@code key}; returns the backoff it starts (nanoseconds), 0 for none. */
  long failed(String key, long now) {
    if (keys.size() >= MAX_TRACKED) {
      forgetIdle(now);
    }
    return keys.computeIfAbsent(key, k -> new Failures(now)).failed(now);
  }

  private void forgetIdle(long now) {
    keys.values().removeIf(f -> !f.failedRecently(now));
    if (keys.size() >= MAX_TRACKED) {
      // Every key is failing now: forget those not refused, so that memory stays bounded.
      keys.values().removeIf(f -> f.refusedFor(now) == 0);
    }
  }

  /** One key's failures in its current window and its backoff. */
  private final class Failures {
    private int count;
    private long windowStart;
    private long refusedUntil;
    private int trips;

    Failures(long now) {
      windowStart = now;
      refusedUntil = now;
    }

    synchronized long refusedFor(long now) {
      return Math.max(0, refusedUntil - now);
    }

    synchronized boolean failedRecently(long now) {
      return (count > 0 && now - windowStart < windowNanos) || refusedUntil - now > 0;
    }

    synchronized long failed(long now) {
      if (now - windowStart >= windowNanos) {
        if (now - refusedUntil >= windowNanos) {
          trips = 0;
        }
        windowStart = now;
        count = 0;
      }
      if (++count < limit) {
        return 0;
      }
      long backoff = backoffNanos;
      for (int i = 0; i < trips && backoff < maxBackoffNanos; i++) {
        backoff *= 2;
      }
      backoff = Math.min(backoff, maxBackoffNanos);
      trips++;
      count = 0;
      windowStart = now;
      refusedUntil = now + backoff;
      return backoff;
    }
  }
}

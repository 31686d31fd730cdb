package io.rowstream.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule: request {@code i} is handed to {@code senders} at {@code start + i × period},
 * whether or not earlier ones were answered, so a slow answer delays no later request (it only
 * shows in its own latency).
 */
final class OpenLoop {
  /** What one scheduled request does, given its index; run on one of the senders. */
  @FunctionalInterface
  interface Request {
    void send(long index) throws Exception;
  }

  private OpenLoop() {}

  /** Schedules {@code total} requests {@code periodNanos} apart from now; returns once the last is handed over. */
  static void run(ExecutorService senders, long total, long periodNanos, Request request) {
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long index = i;
      long wait = start + i * periodNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      senders.submit(() -> {
        request.send(index);
        return null;
      });
    }
  }
}

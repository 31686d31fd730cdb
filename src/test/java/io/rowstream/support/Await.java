package io.rowstream.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what a broker makes true in the background (the reaper, the controller). */
public final class Await {
  private Await() {}

  /** Polls {@code condition} every few milliseconds, failing after {@code limit}. */
  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

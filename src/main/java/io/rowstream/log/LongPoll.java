package io.rowstream.log;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for data the way a long-polling fetch does: try, and if there is nothing, sleep until a
 * signal for one of the partitions or the deadline, then try again. A slow re-check covers
 * notifications that were lost.
 */
public final class LongPoll {
  private final LogSignals signals;
  private final Duration recheckInterval;
  private volatile boolean closed;

  public LongPoll(LogSignals signals, Duration recheckInterval) {
    this.signals = signals;
    this.recheckInterval = recheckInterval;
  }

  /** Ends every wait now with what it has (shutdown): waiters answer at once instead of at their timeout. */
  public void close() {
    closed = true;
    signals.signalAll();
  }

  /** Returns the first attempt that is {@code ready}, or the last attempt once {@code timeout} passed. */
  public <T> T poll(
      Collection<PartitionKey> keys, Duration timeout, Supplier<T> attempt, Predicate<T> ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (LogSignals.Waiter waiter = signals.register(keys)) {
        T result = attempt.get();
        long remaining = deadline - System.nanoTime();
        if (ready.test(result) || remaining <= 0 || closed) {
          return result;
        }
        waiter.await(Duration.ofNanos(Math.min(remaining, recheckInterval.toNanos())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return attempt.get();
      }
    }
  }
}

package io.rowstream.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * In-memory wake-ups for fetchers waiting on this node: an append on this node, or a
 * notification from another node, signals the partition and every waiter on it wakes. The node's
 * {@link LogTails} follow: an append here extends the partition's tail, a notification forgets it.
 */
public final class LogSignals {
  private final ConcurrentHashMap<PartitionKey, Set<Waiter>> waiters = new ConcurrentHashMap<>();
  private final LogTails tails = new LogTails();

  /** The partitions' tails as this node last read or appended them. */
  LogTails tails() {
    return tails;
  }

  /**
   * Registers interest in the partitions. Register before reading, then wait: a signal that
   * arrives between the read and the wait is not lost.
   */
  public Waiter register(Collection<PartitionKey> keys) {
    Waiter waiter = new Waiter(List.copyOf(keys));
    for (PartitionKey key : waiter.keys) {
      waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(waiter);
    }
    return waiter;
  }

  /** The partition changed: forgotten first, then its waiters woken (they read it again). */
  public void signal(PartitionKey key) {
    signal(List.of(key));
  }

  /**
   * The partitions changed together (one append, one notification): all of them forgotten before
   * any waiter wakes, so that a waiter of several reads every one of them again, not only the
   * first.
   */
  public void signal(Collection<PartitionKey> keys) {
    keys.forEach(tails::forget);
    wake(keys);
  }

  /**
   * Appends to a topic's partitions committed on this node: each partition's tail extended by what
   * was appended ({@link LogTails#appended}), all of them before any waiter wakes.
   */
  void appended(long topicId, List<AppendResult> results) {
    List<PartitionKey> keys = new ArrayList<>(results.size());
    for (AppendResult r : results) {
      PartitionKey key = new PartitionKey(topicId, r.partition());
      tails.appended(key, r);
      keys.add(key);
    }
    wake(keys);
  }

  private void wake(Collection<PartitionKey> keys) {
    for (PartitionKey key : keys) {
      Set<Waiter> set = waiters.get(key);
      if (set != null) {
        set.forEach(Waiter::wake);
      }
    }
  }

  /** Wakes everyone, e.g. after notifications may have been missed or on shutdown. */
  public void signalAll() {
    tails.forgetAll();
    waiters.values().forEach(set -> set.forEach(Waiter::wake));
  }

  /** Number of fetchers currently waiting (for metrics and tests). */
  public int waiting() {
    return (int) waiters.values().stream().flatMap(Set::stream).distinct().count();
  }

  /** One fetcher's registration; close it when done. */
  public final class Waiter implements AutoCloseable {
    private final List<PartitionKey> keys;
    private final CountDownLatch latch = new CountDownLatch(1);

    private Waiter(List<PartitionKey> keys) {
      this.keys = keys;
    }

    private void wake() {
      latch.countDown();
    }

    /** Waits until signalled or the time passes; true when signalled. */
    public boolean await(Duration timeout) throws InterruptedException {
      return latch.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      for (PartitionKey key : keys) {
        waiters.computeIfPresent(key, (k, set) -> {
          set.remove(this);
          return set.isEmpty() ? null : set;
        });
      }
    }
  }
}

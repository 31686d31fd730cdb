package io.rowstream.log;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The range [log start, log end) this node's fetches last read of each partition, so that a fetch
 * at a partition's end waits for a signal without reading it again when nothing was appended
 * since. A consumer at the end of its partitions sends its next fetch as soon as it has the last
 * answer, and the read that fetch began with found nothing new, usually; an idle consumer's fetch
 * read every partition at every max wait.
 *
 * <p>What is known of a partition is forgotten when it is signalled ({@link LogSignals#signal}:
 * an append on this node once it committed, or another node's notification), when every partition
 * is ({@link LogSignals#signalAll}: the listening connection lost or back), and {@link #LIFETIME}
 * after its read. A read stores what it saw only when no signal for its partition came since it
 * began ({@link #stamp}), so a read that began before an append never hides it. The lifetime bounds
 * what a change without a signal costs a fetch: another node's notification that was never sent
 * (a hint: its sender only logs a failure), an append whose commit was not confirmed, a log start
 * moved by retention or a deleted topic. It is shorter than the long poll's re-check ({@link
 * LongPoll}), so that re-check reads.
 */
final class KnownLogEnds {
  /** How long a read's range is trusted without a signal. */
  static final Duration LIFETIME = Duration.ofSeconds(5);

  /**
   * Partitions known (or forgotten) at most: past this many, everything is forgotten, so that a
   * node that has seen many topics come and go does not keep an entry for each (about 100 bytes).
   */
  static final int MOST_KEPT = 100_000;

  /** A read's range from {@code stamp} on; a forgotten one ({@code logEnd < 0}) keeps its stamp. */
  private record Known(long stamp, long logStart, long logEnd, long readAt) {
    boolean forgotten() {
      return logEnd < 0;
    }
  }

  private final ConcurrentHashMap<PartitionKey, Known> known = new ConcurrentHashMap<>();
  private final AtomicLong stamps = new AtomicLong();
  private final LongSupplier nanoTime;
  private volatile long allForgottenAt;

  KnownLogEnds() {
    this(System::nanoTime);
  }

  KnownLogEnds(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Taken before a read: the stamp to store what it saw under ({@link #learned}). */
  long stamp() {
    return stamps.get();
  }

  /** {@code read} of a partition, what it saw kept as {@link #learned} under a stamp taken before it. */
  <T extends SeenRange> T read(PartitionKey key, Supplier<T> read) {
    long stamp = stamp();
    T seen = read.get();
    learned(key, stamp, seen.logStartOffset(), seen.logEndOffset());
    return seen;
  }

  /**
   * What a read that began at {@code stamp} saw of a partition; kept unless the partition was
   * signalled since (or a read that began later stored its own).
   */
  void learned(PartitionKey key, long stamp, long logStart, long logEnd) {
    if (known.size() >= MOST_KEPT) {
      forgetAll();
    }
    Known read = new Known(stamp, logStart, logEnd, nanoTime.getAsLong());
    known.merge(key, read, (current, mine) -> current.stamp() > mine.stamp() ? current : mine);
  }

  /** The partition changed (or may have): what is known of it is forgotten. */
  void forget(PartitionKey key) {
    known.put(key, new Known(stamps.incrementAndGet(), -1, -1, 0));
  }

  /** Every partition may have changed. */
  void forgetAll() {
    allForgottenAt = stamps.incrementAndGet();
    known.clear();
  }

  /**
   * The partition's range when {@code offset} is its end as last read, and no signal came since
   * (nor {@link #LIFETIME}): a fetch from there has nothing to read.
   */
  Optional<StoredBatches> atEnd(PartitionKey key, long offset) {
    Known k = known.get(key);
    if (k == null
        || k.forgotten()
        || k.logEnd() != offset
        || k.stamp() < allForgottenAt
        || nanoTime.getAsLong() - k.readAt() >= LIFETIME.toNanos()) {
      return Optional.empty();
    }
    return Optional.of(new StoredBatches(new byte[0], 0, k.logStart(), k.logEnd()));
  }
}

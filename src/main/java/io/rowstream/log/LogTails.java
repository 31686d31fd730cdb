package io.rowstream.log;

import io.rowstream.log.ChunkStore.ChunkRead;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The tail of each partition as this node last saw it: the range [log start, log end) a read or an
 * append on this node found, and the last chunks as they are stored (base offset and leader epoch
 * written in), so that a fetch at or near a partition's end is answered from memory, as a Kafka
 * broker answers it from the page cache. A consumer that keeps up asks for what was appended since
 * its last fetch: on this node's appends, that is in memory (an append's chunks are kept once it
 * committed), and after another node's append, the first fetch reads it and the ones after it (other
 * consumers, fetches of the same offset) find it here. A fetch at the end finds nothing new without
 * a read, so it waits for a signal.
 *
 * <p>What is known stays exact:
 *
 * <ul>
 *   <li>An append on this node that committed extends the tail when it starts where the tail ends
 *       (so no other append came between: offsets are dense); any other append, or one that failed
 *       (it may have committed), forgets the partition.
 *   <li>A signal forgets the partition ({@link LogSignals#signal}: another node's notification of an
 *       append, or of log maintenance on any node: retention moved the log start, compaction
 *       rewrote segments), and {@link LogSignals#signalAll} (the listening connection lost or
 *       back) every partition.
 *   <li>A read keeps what it saw only when nothing changed the partition's entry since it began
 *       ({@link #stamp}): a read that began before an append never hides it.
 *   <li>Everything is trusted for {@link #LIFETIME} after the read it started from, appends or not.
 *       That bounds what a notification another node never sent costs (a hint: its sender only
 *       logs a failure). It is shorter than the long poll's re-check ({@link LongPoll}), so that
 *       re-check reads.
 * </ul>
 *
 * <p>Memory: at most {@link #TAIL_BYTES} of chunks a partition, and about {@link #MOST_TAIL_BYTES}
 * for all of them (past that every tail is dropped, the ranges kept); at most {@link #MOST_KEPT}
 * partitions (past that everything is forgotten).
 */
final class LogTails {
  /** How long what a read saw (and the appends after it) is trusted without a signal. */
  static final Duration LIFETIME = Duration.ofSeconds(5);

  /**
   * Partitions known (or forgotten) at most: past this many, everything is forgotten, so that a
   * node that has seen many topics come and go does not keep an entry for each (about 100 bytes).
   */
  static final int MOST_KEPT = 100_000;

  /**
   * Chunk bytes kept of one partition: a Kafka consumer's max.partition.fetch.bytes by default. A
   * tail past it loses its oldest chunks (the last one stays, whatever its size).
   */
  static final long TAIL_BYTES = 1024 * 1024;

  /**
   * Chunks kept of one partition: past it, the oldest are dropped, so that extending a tail (a copy
   * of it) and finding an offset in it stay cheap however small its chunks are.
   */
  static final int TAIL_CHUNKS = 1024;

  /** Chunk bytes kept of all partitions, about: past it, every tail is dropped. */
  static final long MOST_TAIL_BYTES = 64L * 1024 * 1024;

  /**
   * What is known of a partition from {@code stamp} on: its range, and its chunks from {@code
   * tailFrom} to the log end, contiguous ({@code tailFrom == logEnd}: none), {@code tailBytes}
   * long. A forgotten one ({@code logEnd < 0}) keeps its stamp.
   */
  private record Known(
      long stamp,
      long logStart,
      long logEnd,
      long readAt,
      long tailFrom,
      List<byte[]> tail,
      long tailBytes) {
    /** The range alone, as a read from {@code readAt} saw it. */
    static Known range(long stamp, long logStart, long logEnd, long readAt) {
      return new Known(stamp, logStart, logEnd, readAt, logEnd, List.of(), 0);
    }

    static Known forgotten(long stamp) {
      return range(stamp, -1, -1, 0);
    }

    boolean isForgotten() {
      return logEnd < 0;
    }

    Known withoutTail() {
      return isForgotten() ? this : range(stamp, logStart, logEnd, readAt);
    }
  }

  private final ConcurrentHashMap<PartitionKey, Known> known = new ConcurrentHashMap<>();
  private final AtomicLong stamps = new AtomicLong();
  /** Chunk bytes added to tails since they were last all dropped: never less than what they hold. */
  private final AtomicLong tailBytes = new AtomicLong();

  private final LongAdder answered = new LongAdder();
  private final LongAdder missed = new LongAdder();
  private final LongSupplier nanoTime;
  private volatile long allForgottenAt;

  LogTails() {
    this(System::nanoTime);
  }

  LogTails(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Taken before a read: the stamp to store what it saw under ({@link #learned}). */
  long stamp() {
    return stamps.get();
  }

  /**
   * The partition read from {@code offset} out of memory: at its end, the range and no chunks; in
   * its tail, the chunks from the one that holds {@code offset} to the end (the caller cuts them to
   * its limits, as it cuts a read). Empty when that is not known: the caller reads.
   */
  Optional<ChunkRead> read(PartitionKey key, long offset) {
    Known k = known.get(key);
    if (!trusted(k) || offset < k.tailFrom() || offset > k.logEnd()) {
      missed.increment();
      return Optional.empty();
    }
    answered.increment();
    List<byte[]> tail = k.tail();
    if (offset == k.logEnd()) {
      return Optional.of(new ChunkRead(k.logStart(), k.logEnd(), List.of()));
    }
    int low = 0; // the first chunk whose last offset is at or after offset
    int high = tail.size() - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (lastOffsetOf(tail.get(mid)) < offset) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return Optional.of(new ChunkRead(k.logStart(), k.logEnd(), tail.subList(low, tail.size())));
  }

  /** Reads of a partition answered from memory so far ({@link #read(PartitionKey, long)}). */
  long answered() {
    return answered.sum();
  }

  /** Reads of a partition that memory could not answer so far: the caller read the database. */
  long missed() {
    return missed.sum();
  }

  /** {@code read} of a partition, what it saw kept as {@link #learned} under a stamp taken before it. */
  ChunkRead read(PartitionKey key, Supplier<ChunkRead> read) {
    long stamp = stamp();
    ChunkRead seen = read.get();
    learned(key, stamp, seen);
    return seen;
  }

  /**
   * What a read that began at {@code stamp} saw of a partition: its range, and its chunks as the
   * tail when they reach the log end (a read cut short by its byte limit keeps the range alone).
   * Kept unless the partition's entry changed since the read began.
   */
  void learned(PartitionKey key, long stamp, ChunkRead read) {
    if (known.size() >= MOST_KEPT) {
      forgetAll();
    }
    List<byte[]> chunks = read.batches();
    boolean reachesEnd = !chunks.isEmpty()
        && lastOffsetOf(chunks.getLast()) + 1 == read.logEndOffset()
        && baseOffsetOf(chunks.getFirst()) >= read.logStartOffset();
    if (reachesEnd) {
      account(chunks);
    }
    Known seen = tail(
        Known.range(stamp, read.logStartOffset(), read.logEndOffset(), nanoTime.getAsLong()),
        reachesEnd ? chunks : List.of());
    known.merge(key, seen, (current, mine) -> current.stamp() > mine.stamp() ? current : mine);
  }

  /**
   * An append on this node committed: the tail grows by its chunks when it ended where they start,
   * else the partition is forgotten. {@code appended.storedBatches()} null: not known as stored.
   */
  void appended(PartitionKey key, AppendResult appended) {
    if (known.size() >= MOST_KEPT) {
      forgetAll();
    }
    List<byte[]> chunks = appended.storedBatches();
    if (chunks == null || chunks.isEmpty() || !extendedBy(known.get(key), appended)) {
      forget(key);
      return;
    }
    account(chunks);
    long stamp = stamps.incrementAndGet();
    known.compute(
        key,
        (k, current) -> extendedBy(current, appended)
            ? tail(
                new Known(
                    stamp,
                    Math.max(current.logStart(), appended.logStartOffset()),
                    appended.lastOffset() + 1,
                    current.readAt(),
                    current.tailFrom(),
                    current.tail(),
                    current.tailBytes()),
                chunks)
            : Known.forgotten(stamp));
  }

  /** Whether {@code appended} follows what is known: it starts where a trusted tail ends. */
  private boolean extendedBy(Known current, AppendResult appended) {
    return trusted(current) && current.logEnd() == appended.baseOffset();
  }

  /** The partition changed (or may have): what is known of it is forgotten. */
  void forget(PartitionKey key) {
    known.put(key, Known.forgotten(stamps.incrementAndGet()));
  }

  /** Every partition may have changed. */
  void forgetAll() {
    allForgottenAt = stamps.incrementAndGet();
    known.clear();
    tailBytes.set(0);
  }

  private boolean trusted(Known k) {
    return k != null
        && !k.isForgotten()
        && k.stamp() >= allForgottenAt
        && nanoTime.getAsLong() - k.readAt() < LIFETIME.toNanos();
  }

  /**
   * Counts chunks about to join a tail; past {@link #MOST_TAIL_BYTES} since the tails were last
   * dropped, drops them all first (outside any update of an entry).
   */
  private void account(List<byte[]> added) {
    long bytes = sizeOf(added);
    if (tailBytes.addAndGet(bytes) > MOST_TAIL_BYTES) {
      dropTails();
      tailBytes.addAndGet(bytes);
    }
  }

  /**
   * {@code base} with {@code added} after its tail, the oldest dropped past {@link #TAIL_BYTES} or
   * {@link #TAIL_CHUNKS} (the newest stays, whatever its size).
   */
  private static Known tail(Known base, List<byte[]> added) {
    if (added.isEmpty()) {
      return base;
    }
    List<byte[]> all = new ArrayList<>(base.tail().size() + added.size());
    all.addAll(base.tail());
    all.addAll(added);
    long bytes = base.tailBytes() + sizeOf(added);
    int dropped = 0;
    while (all.size() - dropped > 1 && (bytes > TAIL_BYTES || all.size() - dropped > TAIL_CHUNKS)) {
      bytes -= all.get(dropped++).length;
    }
    List<byte[]> tail = List.copyOf(all.subList(dropped, all.size()));
    return new Known(
        base.stamp(),
        base.logStart(),
        base.logEnd(),
        base.readAt(),
        baseOffsetOf(tail.getFirst()),
        tail,
        bytes);
  }

  private static long sizeOf(List<byte[]> chunks) {
    long bytes = 0;
    for (byte[] chunk : chunks) {
      bytes += chunk.length;
    }
    return bytes;
  }

  /** Every partition's chunks dropped, their ranges kept. */
  private void dropTails() {
    tailBytes.set(0);
    known.replaceAll((key, k) -> k.withoutTail());
  }

  /** A stored Kafka v2 batch's base offset (bytes 0..7). */
  private static long baseOffsetOf(byte[] batch) {
    return ByteBuffer.wrap(batch).getLong(0);
  }

  /** A stored Kafka v2 batch's last offset: base offset plus lastOffsetDelta (bytes 23..26). */
  private static long lastOffsetOf(byte[] batch) {
    return baseOffsetOf(batch) + ByteBuffer.wrap(batch).getInt(23);
  }
}

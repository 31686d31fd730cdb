package io.rowstream.log;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes this node's fetches may hold at once: a fetch reserves what it will hold at its peak,
 * {@link #HEAP_PER_FETCHED_BYTE} times its {@code max_bytes}, before it reads and gives them back
 * once its response is written, so that concurrent large fetches cannot take the heap. A fetch
 * asking for more than the whole budget reserves the whole budget (and is served what that holds).
 */
public final class FetchMemoryBudget {
  /**
   * Heap a fetch holds at its peak per byte of records it may read: the stored batches as read,
   * and the records decoded from them. Measured with 24 concurrent 21.6 MB fetches
   * (bench/RESULTS.md, 2026-12-04): about 42 MB of heap per fetch in flight.
   */
  static final int HEAP_PER_FETCHED_BYTE = 2;

  private final long capacity;
  private final AtomicLong available;

  public FetchMemoryBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "a fetch memory budget needs at least 1 byte, got " + capacity);
    }
    this.capacity = capacity;
    this.available = new AtomicLong(capacity);
  }

  public long capacity() {
    return capacity;
  }

  /** Bytes reserved now. */
  public long inFlight() {
    return capacity - available.get();
  }

  /**
   * Reserves the heap of a fetch of {@code maxBytes} (at most the whole budget); empty when it does
   * not fit beside the others now.
   */
  public Optional<Reservation> tryReserve(long maxBytes) {
    long wanted = maxBytes >= capacity / HEAP_PER_FETCHED_BYTE
        ? capacity
        : Math.max(HEAP_PER_FETCHED_BYTE, maxBytes * HEAP_PER_FETCHED_BYTE);
    while (true) {
      long free = available.get();
      if (free < wanted) {
        return Optional.empty();
      }
      if (available.compareAndSet(free, free - wanted)) {
        return Optional.of(new Reservation(wanted));
      }
    }
  }

  /** Reserved bytes, given back once on close. */
  public final class Reservation implements AutoCloseable {
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    private Reservation(long bytes) {
      this.bytes = bytes;
    }

    /** What the fetch may read: its {@code max_bytes}, or what the whole budget holds when it asked for more. */
    public long bytes() {
      return Math.max(1, bytes / HEAP_PER_FETCHED_BYTE);
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        available.addAndGet(bytes);
      }
    }
  }
}

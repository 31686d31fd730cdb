package io.rowstream.http;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes this node's fetches may hold at once: a fetch reserves its {@code max_bytes} before it
 * reads and gives them back once its response is written, so that concurrent large fetches cannot
 * take the heap. A fetch asking for more than the whole budget reserves the whole budget (and is
 * served that much).
 */
final class FetchMemoryBudget {
  private final long capacity;
  private final AtomicLong available;

  FetchMemoryBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a fetch memory budget needs at least 1 byte, got " + capacity);
    }
    this.capacity = capacity;
    this.available = new AtomicLong(capacity);
  }

  long capacity() {
    return capacity;
  }

  /** Bytes reserved now. */
  long inFlight() {
    return capacity - available.get();
  }

  /** Reserves {@code bytes} (at most the whole budget); empty when they do not fit beside the others now. */
  Optional<Reservation> tryReserve(long bytes) {
    long wanted = Math.max(1, Math.min(bytes, capacity));
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
  final class Reservation implements AutoCloseable {
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    private Reservation(long bytes) {
      this.bytes = bytes;
    }

    /** What the fetch may read: its {@code max_bytes}, or the whole budget when it asked for more. */
    long bytes() {
      return bytes;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        available.addAndGet(bytes);
      }
    }
  }
}

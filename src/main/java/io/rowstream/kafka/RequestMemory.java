package io.rowstream.kafka;

import java.util.concurrent.Semaphore;

/**
 * The bytes of request frames this node's Kafka connections hold at once, Kafka's
 * {@code queued.max.request.bytes}. A connection that has read a frame's length holds that many
 * bytes before it allocates and reads the frame, and gives them back once the response is written;
 * when they do not fit it waits (its client waits with it, as Kafka mutes a channel while its
 * memory pool is empty). Waiting is first come, first served, so a large frame is not starved by
 * small ones. Without it, a few thousand connections announcing 100 MiB frames would have the
 * node allocate hundreds of gigabytes before a byte of them arrived.
 */
final class RequestMemory {
  private final Semaphore bytes;
  private final int capacity;

  RequestMemory(int capacity) {
    this.capacity = capacity;
    this.bytes = new Semaphore(capacity, true);
  }

  /** Waits until {@code size} bytes (at most the capacity, which the listener's limits ensure) are free, and holds them. */
  Held hold(int size) throws InterruptedException {
    int wanted = Math.min(size, capacity);
    bytes.acquire(wanted);
    return new Held(wanted);
  }

  /** Bytes held now, over all connections. */
  int inFlight() {
    return capacity - bytes.availablePermits();
  }

  /** Bytes one frame holds, given back on close. */
  final class Held implements AutoCloseable {
    private final int size;

    private Held(int size) {
      this.size = size;
    }

    @Override
    public void close() {
      bytes.release(size);
    }
  }
}

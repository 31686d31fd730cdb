package io.rowstream.bench;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A steady stream of requests: request n is due at {@code start + n / requestsPerSecond}, evenly
 * spaced; each of {@code clients} threads takes the next due request, waits for its time and sends
 * it with its own {@link SoakLayout.Writer}. A request whose time passed while every client was busy
 * goes at once, so a slow spell is caught up afterwards and the produced MB/s shows whether the rate
 * held. Latency is each request's own time, send to answer, in µs, read per sample {@link #window}.
 * A failed request is counted, not timed, and the stream goes on.
 */
final class PacedLoad implements AutoCloseable {
  /** What happened since the previous window: requests answered, requests failed, their latencies (µs). */
  record Window(long requests, long errors, Histogram latencyMicros) {}

  private final Recorder latency = new Recorder(Throughput.MAX_MICROS, 3);
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Future<?>> clients = new ArrayList<>();
  private volatile String firstError;
  private long answeredBefore;
  private long failedBefore;

  private PacedLoad() {}

  /** Starts the clients; requests are due from {@code startNanos} until {@code endNanos} ({@link System#nanoTime}). */
  static PacedLoad start(SoakLayout layout, int clients, double requestsPerSecond, long startNanos, long endNanos) {
    PacedLoad load = new PacedLoad();
    double periodNanos = 1e9 / requestsPerSecond;
    for (int c = 0; c < clients; c++) {
      int client = c;
      load.clients.add(load.threads.submit(() -> load.drive(layout.writer(client), periodNanos, startNanos, endNanos)));
    }
    return load;
  }

  private Void drive(SoakLayout.Writer writer, double periodNanos, long startNanos, long endNanos) throws SQLException {
    try (writer) {
      while (true) {
        long due = startNanos + (long) (next.getAndIncrement() * periodNanos);
        if (due >= endNanos) {
          return null;
        }
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
          if (Thread.currentThread().isInterrupted()) {
            return null; // closed before the end
          }
        }
        long sent = System.nanoTime();
        try {
          writer.write();
          long micros = (System.nanoTime() - sent) / 1000;
          latency.recordValue(Math.clamp(micros, 1, Throughput.MAX_MICROS));
          answered.incrementAndGet();
        } catch (IOException | SQLException e) {
          if (failed.getAndIncrement() == 0) {
            firstError = e.getMessage();
          }
        }
      }
    }
  }

  /**
   * The requests answered and failed since the previous call, with their latencies. Throws when a
   * client has stopped on something other than a failed request (say, its writer could not connect).
   */
  Window window() throws ExecutionException, InterruptedException {
    for (Future<?> client : clients) {
      if (client.isDone()) {
        client.get();
      }
    }
    long answeredNow = answered.get();
    long failedNow = failed.get();
    Window window = new Window(answeredNow - answeredBefore, failedNow - failedBefore, latency.getIntervalHistogram());
    answeredBefore = answeredNow;
    failedBefore = failedNow;
    return window;
  }

  /** Waits for the clients to finish the requests due before the end. */
  void await() throws ExecutionException, InterruptedException {
    for (Future<?> client : clients) {
      client.get();
    }
  }

  /** The first failed request's message, or null when none failed. */
  String firstError() {
    return firstError;
  }

  /** Stops the clients (interrupting a request in flight when the run ends early) and waits for them. */
  @Override
  public void close() {
    threads.shutdownNow();
    threads.close();
  }
}

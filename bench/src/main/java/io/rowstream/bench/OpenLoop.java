package io.rowstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule: request {@code i} is handed to {@code senders} at {@code start + i × period},
 * whether or not earlier ones were answered, so a slow answer delays no later request (it only
 * shows in its own latency).
 *
 * <p>The warm-up requests go first. Once all of them are answered, the load generator collects
 * its garbage ({@code System.gc()}), and the measured requests start on a fresh schedule. A warm-up
 * leaves the generator's young generation full of what it made live (pooled connections opened
 * while the node was still compiling, parked threads' stacks), and the first young collection
 * after it copied 74 MB and paused the generator for 40 ms in the middle of a measured run (JFR,
 * 2026-11-25): every request in flight then counted 40 ms that were the generator's own.
 */
record OpenLoop(long periodNanos, long warmup, long total) {
  /** What one scheduled request does, given its index; run on one of the senders. */
  @FunctionalInterface
  interface Request {
    void send(long index) throws Exception;
  }

  /** The latency runs' schedule: {@code --latency-rate} per second, for the warm-up then the counted seconds. */
  static OpenLoop latency(BenchOptions o) {
    long warmup = o.latencyRate() * o.latencyWarmup().toSeconds();
    return new OpenLoop(1_000_000_000L / o.latencyRate(), warmup,
        warmup + o.latencyRate() * o.latencyDuration().toSeconds());
  }

  /** Whether request {@code index} is counted, not warm-up. */
  boolean counted(long index) {
    return index >= warmup;
  }

  /**
   * Requests {@code 0 … warmup - 1} on one schedule, then, after they are all answered and a
   * collection, requests {@code warmup … total - 1} on another, {@code periodNanos} apart; returns
   * once the last is handed over.
   */
  void run(ExecutorService senders, Request request) throws InterruptedException {
    awaitAll(schedule(senders, 0, warmup, request));
    System.gc();
    schedule(senders, warmup, total, request);
  }

  private List<Future<?>> schedule(ExecutorService senders, long from, long to, Request request) {
    List<Future<?>> handedOver = new ArrayList<>();
    long start = System.nanoTime();
    for (long i = from; i < to; i++) {
      long index = i;
      long wait = start + (i - from) * periodNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      handedOver.add(senders.submit(() -> {
        request.send(index);
        return null;
      }));
    }
    return handedOver;
  }

  private static void awaitAll(List<Future<?>> requests) throws InterruptedException {
    for (Future<?> f : requests) {
      try {
        f.get();
      } catch (ExecutionException e) {
        // a failed request is the request's to count; the schedule goes on
      }
    }
  }
}

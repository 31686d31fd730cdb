package io.rowstream.background;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * How many passes each background loop of this JVM ran and how long they took, by loop name: what
 * a node's idle work costs ({@code rowstream_background_pass_seconds} on {@code GET /metrics}). A
 * node is one JVM in production; nodes sharing a JVM (tests) share loops of the same name.
 */
public final class PassStats {
  private static final Map<String, PassStats> BY_LOOP = new ConcurrentHashMap<>();

  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

  private PassStats() {}

  /** The stats of the loop named {@code loop}, created empty at first use. */
  public static PassStats of(String loop) {
    return BY_LOOP.computeIfAbsent(loop, l -> new PassStats());
  }

  /** Every loop's stats, by name. */
  public static Map<String, PassStats> all() {
    return Map.copyOf(BY_LOOP);
  }

  void record(long passNanos) {
    passes.incrementAndGet();
    nanos.addAndGet(passNanos);
    maxNanos.accumulate(passNanos);
  }

  public long passes() {
    return passes.get();
  }

  public double seconds() {
    return nanos.get() / 1e9;
  }

  public double maxSeconds() {
    return maxNanos.get() / 1e9;
  }
}

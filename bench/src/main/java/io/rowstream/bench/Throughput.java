package io.rowstream.bench;

import org.HdrHistogram.Histogram;

/** What one workload did: records and payload bytes in a time, with per-request latencies (µs). */
public record Throughput(String name, long records, long payloadBytes, double seconds, Histogram latencyMicros) {

  public double recordsPerSecond() {
    return records / seconds;
  }

  public double megabytesPerSecond() {
    return payloadBytes / seconds / 1_000_000.0;
  }

  public double percentileMillis(double percentile) {
    return latencyMicros == null || latencyMicros.getTotalCount() == 0
        ? Double.NaN : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Two runs of one workload as one: counts, bytes and times added, latencies merged. */
  Throughput plus(Throughput other) {
    Histogram latency = newHistogram();
    latency.add(latencyMicros);
    latency.add(other.latencyMicros);
    return new Throughput(name, records + other.records, payloadBytes + other.payloadBytes, seconds + other.seconds,
        latency);
  }

  /** The longest latency a histogram holds, in µs: a minute. */
  static final long MAX_MICROS = 60_000_000L;

  static Histogram newHistogram() {
    return new Histogram(MAX_MICROS, 3);
  }
}

package io.rowstream.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One sample of the retention soak: the window that ended {@code endSeconds} into the run (as
 * planned; {@code seconds} is the window's measured length), its requests and latencies, what
 * retention kept, and the chunk storage as PostgreSQL reported it at the window's end.
 */
public record SoakSample(long endSeconds, double seconds, long requests, long errors, Histogram latencyMicros,
    SoakLayout.Retained retained, ChunkStorage.Snapshot storage) {

  /** The latencies of several samples in one histogram. */
  static Histogram latencyOf(List<SoakSample> samples) {
    Histogram merged = Throughput.newHistogram();
    samples.forEach(s -> merged.add(s.latencyMicros()));
    return merged;
  }

  /** Payload MB/s (10^6 bytes) over the window. */
  double megabytesPerSecond(long requestPayloadBytes) {
    return requests * requestPayloadBytes / seconds / 1_000_000.0;
  }

  /** Chunk storage bytes per retained byte; NaN while nothing is retained. */
  public double storageRatio() {
    return retained.bytes() == 0 ? Double.NaN : (double) storage.bytes() / retained.bytes();
  }

  public long deadTuples() {
    return storage.deadTuples();
  }

  public boolean retentionTrimmedEveryPartition(int partitions) {
    return retained.trimmedPartitions() >= partitions;
  }
}

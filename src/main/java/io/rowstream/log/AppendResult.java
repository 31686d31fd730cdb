package io.rowstream.log;

import java.util.List;

/**
 * Where one chunk (or a request's consecutive chunks) landed: its partition, first and last offset,
 * the log append time used, the partition's log start offset at the append (-1: not known, as for
 * an append another node made), and the chunks exactly as stored (base offset and leader epoch
 * written in; null when not known, as for an append another node made or one under no known leader
 * epoch).
 */
public record AppendResult(
    int partition,
    long baseOffset,
    long lastOffset,
    long appendTimeMs,
    long logStartOffset,
    List<byte[]> storedBatches) {

  /** A result whose stored chunks are not known. */
  public AppendResult(
      int partition, long baseOffset, long lastOffset, long appendTimeMs, long logStartOffset) {
    this(partition, baseOffset, lastOffset, appendTimeMs, logStartOffset, null);
  }

  /** A result whose log start offset and stored chunks are not known. */
  public AppendResult(int partition, long baseOffset, long lastOffset, long appendTimeMs) {
    this(partition, baseOffset, lastOffset, appendTimeMs, -1);
  }
}

package io.rowstream.log;

/**
 * Where one chunk landed: its partition, first and last offset, the log append time used, and the
 * partition's log start offset at the append (-1: not known, as for an append another node made).
 */
public record AppendResult(
    int partition, long baseOffset, long lastOffset, long appendTimeMs, long logStartOffset) {

  /** A result whose log start offset is not known. */
  public AppendResult(int partition, long baseOffset, long lastOffset, long appendTimeMs) {
    this(partition, baseOffset, lastOffset, appendTimeMs, -1);
  }
}

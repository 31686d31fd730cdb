package io.rowstream.retention;

/**
 * A segment as maintenance sees it: its offsets, the bytes of its batches, its newest record's
 * timestamp (null when it holds no record), whether it is still the active one, and the storage
 * holding its chunks.
 */
public record SegmentInfo(
    int partition,
    long baseOffset,
    long nextOffset,
    long sizeBytes,
    Long maxTimestampMs,
    boolean active,
    long storageId) {}

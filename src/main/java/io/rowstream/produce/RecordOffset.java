package io.rowstream.produce;

/** Where a produced record went; {@code offset} is -1 when acks=0 answered before the commit. */
public record RecordOffset(int partition, long offset, long timestamp) {}

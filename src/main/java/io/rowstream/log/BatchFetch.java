package io.rowstream.log;

/** One partition of a fetch of stored batches: from {@code offset}, at most {@code maxBytes}. */
public record BatchFetch(PartitionKey key, long offset, long maxBytes) {}

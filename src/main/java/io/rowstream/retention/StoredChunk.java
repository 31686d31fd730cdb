package io.rowstream.retention;

/** A chunk row as compaction reads it: offsets, append time on the database clock, the batch. */
record StoredChunk(long baseOffset, long lastOffset, long appendedAtMs, byte[] batch) {}

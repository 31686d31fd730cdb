package io.rowstream.log;

/** Where one chunk landed: its partition, first and last offset, and the log append time used. */
public record AppendResult(int partition, long baseOffset, long lastOffset, long appendTimeMs) {}

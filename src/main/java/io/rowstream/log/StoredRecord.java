package io.rowstream.log;

/** A record read back from the log, with the offset it was assigned. */
public record StoredRecord(long offset, LogRecord record) {}

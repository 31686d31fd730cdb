package io.rowstream.log;

import java.util.List;

/** What one read of a partition returned, and the partition's [log start, log end) it was read in. */
public record FetchResult(List<StoredRecord> records, long logStartOffset, long logEndOffset) {}

package io.rowstream.log;

import io.rowstream.db.Transactions;
import java.util.List;
import java.util.Map;

/**
 * What a partition's log holds on disk, read from its {@code segment} rows: its segments, and the
 * bytes and segments of every partition of a topic (what {@code partition_overview} shows in SQL).
 */
public final class LogSegments {
  /** The bytes of a partition's record batches and the number of its segments. */
  public record PartitionSize(long sizeBytes, int segments) {
    public static final PartitionSize EMPTY = new PartitionSize(0, 0);
  }

  private final SegmentReadStore store;

  public LogSegments(Transactions transactions) {
    this.store = new SegmentReadStore(transactions.autocommit());
  }

  /** The partition's segments, by base offset. */
  public List<LogSegment> of(PartitionKey partition) {
    return store.segments(partition);
  }

  /** The size of each partition of the topic that has a segment, by partition id. */
  public Map<Integer, PartitionSize> sizes(long topicId) {
    return store.sizes(topicId);
  }
}

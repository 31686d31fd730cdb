package io.rowstream.cleaner;

import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The cleaner's rule for one batch, as kafka-clients' {@link RecordFilter}: a record stays iff it
 * has a key, no later record of the dirty range has that key ({@code offset >=} the map's latest
 * offset for it; a key absent from the map stays), and it is not a tombstone past its delete horizon.
 *
 * <p>{@code filterTo} stamps a delete horizon of {@code currentTime + deleteRetentionMs} into the
 * header of a batch that keeps a tombstone and has none yet (KIP-534). This filter passes the
 * chunk's own horizon as {@code currentTime} and 0 as {@code deleteRetentionMs}, so the stamp says
 * when this cleaner will drop the tombstone. The stamp is informative only: the decision is
 * {@link DeleteHorizon#passed()}, from the chunk row, never the header.
 */
final class LatestPerKeyFilter extends RecordFilter {
  private final OffsetMap map;
  private final boolean dropTombstones;
  private long minTimestamp = Long.MAX_VALUE;
  private long maxTimestamp = Long.MIN_VALUE;

  LatestPerKeyFilter(OffsetMap map, DeleteHorizon horizon) {
    super(horizon.atMs(), 0);
    this.map = map;
    this.dropTombstones = horizon.passed();
  }

  @Override
  protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
    // A batch left with no record disappears; Rowstream keeps producer sequences in their own table,
    // so no empty batch has to stay behind for them (Kafka's RETAIN_EMPTY).
    return new BatchRetentionResult(BatchRetention.DELETE_EMPTY, false);
  }

  @Override
  protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
    if (!record.hasKey() || (dropTombstones && !record.hasValue())) {
      return false;
    }
    if (record.offset() < map.latestOffset(record.key())) {
      return false;
    }
    minTimestamp = Math.min(minTimestamp, record.timestamp());
    maxTimestamp = Math.max(maxTimestamp, record.timestamp());
    return true;
  }

  /** Smallest timestamp of the records kept so far. */
  long minTimestamp() {
    return minTimestamp;
  }

  /** Largest timestamp of the records kept so far. */
  long maxTimestamp() {
    return maxTimestamp;
  }
}

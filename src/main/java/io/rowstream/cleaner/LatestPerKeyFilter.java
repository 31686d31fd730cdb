package io.rowstream.cleaner;

import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The cleaner's rule for one batch, as kafka-clients' {@link RecordFilter}: a record stays iff it
 * has a key, no later record of the dirty range has that key ({@code offset >=} the map's latest
 * offset for it; a key absent from the map stays), and it is not a tombstone of a batch whose
 * stamped delete horizon has come ({@link TombstoneRetention}).
 *
 * <p>{@code filterTo} stamps {@code currentTime + deleteRetentionMs} (this pass's time and the
 * topic's {@code delete.retention.ms}) into the header of a batch that keeps a tombstone and has no
 * horizon yet (KIP-534); the stamp is the rule, as in Kafka.
 */
final class LatestPerKeyFilter extends RecordFilter {
  private final OffsetMap map;
  private final TombstoneRetention tombstones;
  private boolean dropTombstones;
  private boolean keptTombstone;
  private long minTimestamp = Long.MAX_VALUE;
  private long maxTimestamp = Long.MIN_VALUE;

  LatestPerKeyFilter(OffsetMap map, TombstoneRetention tombstones) {
    super(tombstones.nowMs(), tombstones.deleteRetentionMs());
    this.map = map;
    this.tombstones = tombstones;
  }

  @Override
  protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
    dropTombstones = tombstones.removesTombstones(batch.deleteHorizonMs());
    // A batch left with no record disappears; Rowstream keeps producer sequences in their own
    // table,
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
    keptTombstone |= !record.hasValue();
    minTimestamp = Math.min(minTimestamp, record.timestamp());
    maxTimestamp = Math.max(maxTimestamp, record.timestamp());
    return true;
  }

  /** Whether a tombstone was kept so far. */
  boolean keptTombstone() {
    return keptTombstone;
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

package io.rowstream.cleaner;

import java.util.OptionalLong;

/**
 * How one cleaning pass treats tombstones, as Kafka's cleaner does since KIP-534: the first pass
 * that keeps a tombstone stamps its batch with a delete horizon, {@code nowMs + deleteRetentionMs}
 * (in the v2 batch header: the base timestamp, with the delete-horizon attribute bit set), and a
 * later pass at or after that horizon removes the batch's tombstones. So a consumer that reads the
 * partition within {@code delete.retention.ms} after the cleaner first saw a delete sees the
 * tombstone, however long it waited in the dirty part before.
 *
 * @param nowMs the time of this pass, epoch milliseconds (the database clock)
 * @param deleteRetentionMs the topic's {@code delete.retention.ms}
 */
public record TombstoneRetention(long nowMs, long deleteRetentionMs) {

  public TombstoneRetention {
    if (deleteRetentionMs < 0) {
      throw new IllegalArgumentException(
          "delete.retention.ms is not negative: " + deleteRetentionMs);
    }
  }

  /** The horizon this pass stamps into a batch that keeps a tombstone and carries none yet. */
  public long horizonToStamp() {
    return nowMs > Long.MAX_VALUE - deleteRetentionMs ? Long.MAX_VALUE : nowMs + deleteRetentionMs;
  }

  /** Whether this pass removes the tombstones of a batch carrying {@code stamped} (none: not yet). */
  public boolean removesTombstones(OptionalLong stamped) {
    return stamped.isPresent() && nowMs >= stamped.getAsLong();
  }
}

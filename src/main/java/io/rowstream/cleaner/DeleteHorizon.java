package io.rowstream.cleaner;

/**
 * When the tombstones of one chunk may be removed, and whether that time has come: Kafka's delete
 * horizon, here {@code delete.retention.ms} after the chunk was appended ({@code appended_at}),
 * so that a consumer that reads a partition within that time after a delete sees the tombstone.
 * The caller carries a chunk's {@code appended_at} over to its rewritten chunk, so the horizon of a
 * tombstone never moves.
 *
 * @param atMs the horizon, epoch milliseconds
 * @param passed true when tombstones in the chunk are removed by this pass
 */
public record DeleteHorizon(long atMs, boolean passed) {

  /** The horizon of a chunk appended at {@code appendedAtMs}, judged at {@code nowMs}. */
  public static DeleteHorizon of(long appendedAtMs, long deleteRetentionMs, long nowMs) {
    if (deleteRetentionMs < 0) {
      throw new IllegalArgumentException("delete.retention.ms is not negative: " + deleteRetentionMs);
    }
    long at = appendedAtMs > Long.MAX_VALUE - deleteRetentionMs ? Long.MAX_VALUE : appendedAtMs + deleteRetentionMs;
    return new DeleteHorizon(at, at <= nowMs);
  }
}

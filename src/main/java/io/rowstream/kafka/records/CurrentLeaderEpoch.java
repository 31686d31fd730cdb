package io.rowstream.kafka.records;

import org.apache.kafka.common.protocol.Errors;

/**
 * The check of a request's current leader epoch against the partition's (ListOffsets v4+,
 * OffsetForLeaderEpoch): below it FENCED_LEADER_EPOCH, above it UNKNOWN_LEADER_EPOCH, so that a
 * client with stale or future metadata refreshes it; -1 (not given) passes.
 */
final class CurrentLeaderEpoch {
  static final int NOT_GIVEN = -1;

  private CurrentLeaderEpoch() {}

  /** The error for a request that names {@code asked} when the partition is at {@code current}. */
  static Errors check(int asked, int current) {
    if (asked == NOT_GIVEN || asked == current) {
      return Errors.NONE;
    }
    return asked < current ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
  }
}

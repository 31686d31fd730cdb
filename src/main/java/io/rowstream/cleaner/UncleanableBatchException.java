package io.rowstream.cleaner;

/**
 * A stored chunk the cleaner will not rewrite: not exactly one v2 record batch, a CRC that does not
 * match, records that cannot be read, or a transactional or control batch (Rowstream writes none;
 * cleaning one would need Kafka's transaction rules, which the cleaner does not implement). The
 * partition is left as it is.
 */
public final class UncleanableBatchException extends RuntimeException {
  private final long baseOffset;

  UncleanableBatchException(long baseOffset, String message) {
    super(message);
    this.baseOffset = baseOffset;
  }

  UncleanableBatchException(long baseOffset, String message, Throwable cause) {
    super(message, cause);
    this.baseOffset = baseOffset;
  }

  /** Base offset of the offending batch, or -1 when the bytes are too short to hold one. */
  public long baseOffset() {
    return baseOffset;
  }
}

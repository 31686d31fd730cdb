package io.rowstream.cleaner;

/**
 * The first dirty batch alone has more distinct keys than the offset map holds, so a pass could
 * clean nothing and the partition would never progress: the map must be made larger.
 */
public final class OffsetMapTooSmallException extends RuntimeException {
  OffsetMapTooSmallException(long baseOffset, int keys, int capacity) {
    super("the batch at offset " + baseOffset + " has " + keys
        + " distinct keys but the offset map holds only " + capacity
        + "; give the cleaner a larger map");
  }
}

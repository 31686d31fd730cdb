package io.rowstream.log;

/** A read of a partition that tells the range [log start, log end) it saw. */
interface SeenRange {
  long logStartOffset();

  long logEndOffset();
}

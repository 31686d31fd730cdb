package io.rowstream.produce;

import io.rowstream.error.BrokerException;

/** What became of one record of a batch whose records succeed or fail alone ({@link ProduceService#produceEach}). */
public sealed interface RecordOutcome {
  /** The record was written at {@code offset}. */
  record Written(RecordOffset offset) implements RecordOutcome {}

  /** The record was refused alone, for {@code error}; the others did not wait for it. */
  record Refused(BrokerException error) implements RecordOutcome {}
}

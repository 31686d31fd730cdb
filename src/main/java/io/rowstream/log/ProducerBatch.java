package io.rowstream.log;

/**
 * An idempotent producer's claim on one chunk (Kafka's producer id, epoch and base sequence): its
 * records take sequences {@code baseSequence} … {@code baseSequence + n - 1} in its partition.
 * {@code append_chunks} ({@code sql/R__log_functions.sql}) checks them under the partition's row
 * lock.
 */
public record ProducerBatch(long producerId, short producerEpoch, int baseSequence) {
  public ProducerBatch {
    if (producerId < 0 || producerEpoch < 0 || baseSequence < 0) {
      throw new IllegalArgumentException("producer id, epoch and sequence must not be negative");
    }
  }
}

package io.rowstream.http;

import io.javalin.http.Context;
import io.rowstream.log.ProducerBatch;

/**
 * The idempotent producer's query parameters of a produce request: {@code producer_id},
 * {@code producer_epoch} and {@code sequence} (the sequence number of the request's first record
 * in its partition), all three or none.
 */
final class ProducerParams {
  static final String ID = "producer_id";
  static final String EPOCH = "producer_epoch";
  static final String SEQUENCE = "sequence";

  private ProducerParams() {}

  /** The request's producer claim; null for a plain (non-idempotent) request. */
  static ProducerBatch of(Context ctx) {
    Long id = Params.optionalLong(ctx, ID, 0);
    Long epoch = Params.optionalLong(ctx, EPOCH, 0);
    Long sequence = Params.optionalLong(ctx, SEQUENCE, 0);
    if (id == null && epoch == null && sequence == null) {
      return null;
    }
    if (id == null || epoch == null || sequence == null) {
      throw HttpStatusException.badRequest(
          "An idempotent request needs all of " + ID + ", " + EPOCH + " and " + SEQUENCE + ".");
    }
    if (epoch > Short.MAX_VALUE || sequence > Integer.MAX_VALUE) {
      throw HttpStatusException.badRequest(EPOCH + " must be at most " + Short.MAX_VALUE + " and "
          + SEQUENCE + " at most " + Integer.MAX_VALUE + ".");
    }
    return new ProducerBatch(id, epoch.shortValue(), sequence.intValue());
  }

  /** The query string suffix ({@code &…}) that carries {@code producer}; empty for none. */
  static String query(ProducerBatch producer) {
    if (producer == null) {
      return "";
    }
    return "&" + ID + "=" + producer.producerId() + "&" + EPOCH + "=" + producer.producerEpoch()
        + "&" + SEQUENCE + "=" + producer.baseSequence();
  }
}

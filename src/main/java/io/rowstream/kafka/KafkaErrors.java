package io.rowstream.kafka;

import io.rowstream.error.BrokerException;
import io.rowstream.error.BrokerFailures;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka door's one mapping of failures to Kafka errors: a broker error becomes the Kafka error
 * the one error table gives it ({@code BrokerError.kafka()}) with its message; a failure of the
 * layers below is translated first; anything else is logged and answered UNKNOWN_SERVER_ERROR
 * without its text, so that no SQL or stack trace reaches a client.
 */
public final class KafkaErrors {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaErrors.class);

  private final BrokerFailures failures;

  public KafkaErrors(BrokerFailures failures) {
    this.failures = failures;
  }

  /** The Kafka exception {@code failure} is answered with. */
  public ApiException toKafka(Throwable failure, String during) {
    BrokerException broker =
        failure instanceof BrokerException b ? b : failures.translate(failure).orElse(null);
    if (broker != null) {
      return broker.error().kafka().exception(broker.getMessage());
    }
    LOG.error("kafka request failed during={}", during, failure);
    return Errors.UNKNOWN_SERVER_ERROR.exception();
  }

  /** The Kafka error code {@code failure} is answered with, for per-partition or per-topic errors. */
  public Errors errorOf(Throwable failure, String during) {
    return Errors.forException(toKafka(failure, during));
  }
}

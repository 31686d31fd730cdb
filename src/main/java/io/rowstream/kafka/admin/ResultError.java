package io.rowstream.kafka.admin;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.KafkaErrors;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The error of one topic or resource in an admin response (the others of the request succeed or
 * fail on their own, as Kafka answers): its Kafka code and message, from the door's one mapping.
 */
record ResultError(short code, String message) {

  static ResultError of(KafkaErrors errors, BrokerException failure, String during) {
    ApiException kafka = errors.toKafka(failure, during);
    return new ResultError(Errors.forException(kafka).code(), kafka.getMessage());
  }

  /** A refusal of the request's shape that no service sees (a topic named twice). */
  static ResultError invalidRequest(KafkaErrors errors, String message, String during) {
    return of(errors, new BrokerException(BrokerError.INVALID_REQUEST, message), during);
  }
}

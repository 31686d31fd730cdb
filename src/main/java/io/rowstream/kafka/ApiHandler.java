package io.rowstream.kafka;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Answers one Kafka API: takes the typed request ({@code request.version()} is the version the
 * client speaks) and the connection's session, calls services,
 * and returns the response body (a generated {@code *ResponseData}), or null when the request
 * takes no response (Produce with acks=0). A failure is thrown as a {@code BrokerException}; the
 * dispatcher renders it as the API's error response, with the Kafka error of its
 * {@code BrokerError}.
 */
@FunctionalInterface
public interface ApiHandler<R extends AbstractRequest> {
  ApiMessage handle(R request, KafkaSession session);

  /**
   * What a handler throws to close the connection without an answer, as Kafka does after a failed
   * acks=0 produce (the client then refreshes its metadata).
   */
  static RuntimeException closeConnection(String reason) {
    return new RequestDispatcher.CloseConnection(reason);
  }
}

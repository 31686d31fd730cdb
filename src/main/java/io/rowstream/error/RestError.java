package io.rowstream.error;

/**
 * How the REST Proxy API answers an error on one family of routes: the HTTP status, the
 * {@code error_code} of the body and, where the reference passes Kafka's own message on, that the
 * message is Kafka's ({@link org.apache.kafka.common.protocol.Errors#message()}) and not the broker's.
 */
public record RestError(int status, int errorCode, boolean kafkaMessage) {
  public static RestError of(int status, int errorCode) {
    return new RestError(status, errorCode, false);
  }

  /** The same status and code, answered with Kafka's message for the error. */
  public RestError withKafkaMessage() {
    return new RestError(status, errorCode, true);
  }
}

package io.rowstream.error;

/** A request the broker refuses, for a reason a client can act on. */
public final class BrokerException extends RuntimeException {
  private final BrokerError error;

  public BrokerException(BrokerError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public BrokerException(BrokerError error, String message, Throwable cause) {
    super(message, cause, false, true);
    this.error = error;
  }

  public BrokerError error() {
    return error;
  }

  public static BrokerException topicNotFound(String topic) {
    return new BrokerException(BrokerError.TOPIC_NOT_FOUND, "Topic " + topic + " not found.");
  }

  public static BrokerException partitionNotFound(String topic, int partition) {
    return new BrokerException(
        BrokerError.PARTITION_NOT_FOUND,
        "Partition " + partition + " of topic " + topic + " not found.");
  }

  public static BrokerException invalidRequest(String message) {
    return new BrokerException(BrokerError.INVALID_REQUEST, message);
  }
}

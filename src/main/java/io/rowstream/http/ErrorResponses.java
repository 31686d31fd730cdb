package io.rowstream.http;

import io.rowstream.BrokerError;

/** The one mapping from broker errors to HTTP statuses and REST Proxy error codes. */
public final class ErrorResponses {
  private ErrorResponses() {}

  /** Status and REST Proxy error code of a broker error. */
  public record StatusAndCode(int status, int errorCode) {}

  public static StatusAndCode of(BrokerError error) {
    return switch (error) {
      case TOPIC_NOT_FOUND -> new StatusAndCode(404, 40401);
      case PARTITION_NOT_FOUND -> new StatusAndCode(404, 40402);
      case CONSUMER_INSTANCE_NOT_FOUND -> new StatusAndCode(404, 40403);
      case CONSUMER_INSTANCE_EXISTS -> new StatusAndCode(409, 40902);
      case ILLEGAL_CONSUMER_STATE -> new StatusAndCode(409, 40903);
      case TOPIC_ALREADY_EXISTS, INVALID_TOPIC, INVALID_CONFIG, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR,
          INVALID_REQUEST,
          OFFSET_OUT_OF_RANGE -> new StatusAndCode(400, 40002);
      case INVALID_PAYLOAD -> new StatusAndCode(422, 42206);
      case JSON_CONVERSION -> new StatusAndCode(422, 42203);
      case INVALID_CONSUMER_CONFIG, INVALID_TOPIC_PATTERN -> new StatusAndCode(422, 42204);
      case CLUSTER_AUTHORIZATION_FAILED -> new StatusAndCode(403, 40301);
      case RECORD_TOO_LARGE -> new StatusAndCode(413, 41301);
      case QUOTA_EXCEEDED -> new StatusAndCode(429, 42901);
      case TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED -> new StatusAndCode(403, 40301);
      case RETRIABLE -> new StatusAndCode(500, 50003);
      case FENCED_LEADER_EPOCH -> new StatusAndCode(503, 50301);
      case NOT_ENOUGH_REPLICAS -> new StatusAndCode(503, 50302);
      case OUT_OF_ORDER_SEQUENCE -> new StatusAndCode(409, 40910);
      case PRODUCER_FENCED -> new StatusAndCode(409, 40911);
      case UNKNOWN_PRODUCER_ID -> new StatusAndCode(404, 40410);
      case PRODUCER_ID_NOT_AUTHORIZED -> new StatusAndCode(403, 40301);
      case INTERNAL -> new StatusAndCode(500, 50002);
    };
  }
}

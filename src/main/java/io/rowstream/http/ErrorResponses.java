package io.rowstream.http;

import io.rowstream.BrokerError;
import io.rowstream.BrokerException;

/**
 * The one mapping from broker errors to HTTP statuses, REST Proxy error codes and messages, per
 * family of routes. v2 answers the REST Proxy v2 codes. v3 answers as the reference's v3 does:
 * Kafka's errors through Kafka's exception mapper (an unknown topic is UNKNOWN_TOPIC_OR_PARTITION,
 * 404 / 40403, with Kafka's message), a missing entity or unreadable JSON with the bare HTTP status
 * as its code. v3 produce meets an unknown topic or partition through the reference's producer,
 * so it keeps 40401 / 40402. Both v3 families answer Kafka's retriable errors (leadership moved, not
 * enough replicas) as Kafka's exception mapper does, 500 / 50003, and a record over max.message.bytes
 * or with a timestamp out of the topic's bounds (Kafka's RecordTooLargeException and
 * InvalidTimestampException, neither retriable nor otherwise mapped) 500 / 50002 with its message. See docs/http-api.md, "Error codes".
 */
public final class ErrorResponses {
  /** Kafka's message for UNKNOWN_TOPIC_OR_PARTITION, which the reference's v3 passes on. */
  static final String UNKNOWN_TOPIC_OR_PARTITION = "This server does not host this topic-partition.";

  private ErrorResponses() {}

  /** Status and REST Proxy error code of a broker error. */
  public record StatusAndCode(int status, int errorCode) {}

  /** The families of routes whose error conventions differ. */
  public enum Family {
    /** REST Proxy v2, Rowstream's own routes and the node-to-node ones. */
    V2,
    /** v3 admin: clusters, brokers, topics, partitions, configs, groups, ACLs. */
    V3,
    /** v3 produce ({@code /v3/clusters/{cid}/topics/{t}/records[:batch]}). */
    V3_PRODUCE;

    public static Family of(String path) {
      if (!path.startsWith("/v3/")) {
        return V2;
      }
      return path.endsWith("/records") || path.endsWith("/records:batch") ? V3_PRODUCE : V3;
    }
  }

  /** The v2 answer to a broker error (node-to-node routes answer as v2 does). */
  public static StatusAndCode of(BrokerError error) {
    return of(error, Family.V2);
  }

  public static StatusAndCode of(BrokerError error, Family family) {
    if (family != Family.V2) {
      switch (error) {
        case FENCED_LEADER_EPOCH, NOT_ENOUGH_REPLICAS -> {
          return new StatusAndCode(500, 50003);
        }
        case RECORD_TOO_LARGE, INVALID_TIMESTAMP -> {
          return new StatusAndCode(500, 50002);
        }
        default -> { }
      }
    }
    if (family == Family.V3) {
      switch (error) {
        case TOPIC_NOT_FOUND -> {
          return new StatusAndCode(404, 40403);
        }
        case PARTITION_NOT_FOUND -> {
          return new StatusAndCode(404, 404);
        }
        default -> { }
      }
    }
    return switch (error) {
      case TOPIC_NOT_FOUND -> new StatusAndCode(404, 40401);
      case PARTITION_NOT_FOUND -> new StatusAndCode(404, 40402);
      case CONFIG_NOT_FOUND -> new StatusAndCode(404, 404);
      case CONSUMER_INSTANCE_NOT_FOUND -> new StatusAndCode(404, 40403);
      case CONSUMER_INSTANCE_EXISTS -> new StatusAndCode(409, 40902);
      case ILLEGAL_CONSUMER_STATE -> new StatusAndCode(409, 40903);
      case TOPIC_ALREADY_EXISTS, INVALID_TOPIC, INVALID_CONFIG, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR,
          INVALID_REQUEST, OFFSET_OUT_OF_RANGE -> new StatusAndCode(400, 40002);
      case INVALID_PAYLOAD, INVALID_TIMESTAMP -> new StatusAndCode(422, 42206);
      case JSON_CONVERSION -> new StatusAndCode(422, 42203);
      case INVALID_CONSUMER_CONFIG, INVALID_TOPIC_PATTERN -> new StatusAndCode(422, 42204);
      case RECORD_TOO_LARGE -> new StatusAndCode(413, 41301);
      case QUOTA_EXCEEDED -> new StatusAndCode(429, 42901);
      case TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED,
          PRODUCER_ID_NOT_AUTHORIZED -> new StatusAndCode(403, 40301);
      case RETRIABLE -> new StatusAndCode(500, 50003);
      case FENCED_LEADER_EPOCH -> new StatusAndCode(503, 50301);
      case NOT_ENOUGH_REPLICAS -> new StatusAndCode(503, 50302);
      case OUT_OF_ORDER_SEQUENCE -> new StatusAndCode(409, 40910);
      case PRODUCER_FENCED -> new StatusAndCode(409, 40911);
      case UNKNOWN_PRODUCER_ID -> new StatusAndCode(404, 40410);
      case INTERNAL -> new StatusAndCode(500, 50002);
    };
  }

  /** The message of a broker error's answer: v3 passes Kafka's own where the reference does. */
  public static String message(BrokerException e, Family family) {
    return family == Family.V3 && e.error() == BrokerError.TOPIC_NOT_FOUND ? UNKNOWN_TOPIC_OR_PARTITION
        : e.getMessage();
  }

  /**
   * A body that is not JSON, or a field of the wrong JSON type: v2's 400 / 40002; v3's 400 / 400,
   * the reference's answer to a JSON parse or mapping failure.
   */
  public static StatusAndCode unreadableBody(Family family) {
    return family == Family.V2 ? new StatusAndCode(400, 40002) : new StatusAndCode(400, 400);
  }

  /** A v3 produce request with no record in its body: the reference's 422 / 42206 and its message. */
  public static HttpStatusException emptyProduceBody() {
    return HttpStatusException.invalidPayload("Payload error. Request body is empty. Data is required.");
  }

  /** A v3 entity (cluster, broker, partition, group, consumer, config, ACL owner) that does not exist. */
  public static HttpStatusException notFound(String message) {
    return new HttpStatusException(404, 404, message);
  }
}

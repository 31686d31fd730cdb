package io.rowstream;

/**
 * What went wrong, in the broker's terms. Each error carries the Kafka error name it
 * corresponds to; the HTTP edge maps it once to a status and a REST Proxy error code.
 */
public enum BrokerError {
  TOPIC_NOT_FOUND("UNKNOWN_TOPIC_OR_PARTITION"),
  PARTITION_NOT_FOUND("UNKNOWN_TOPIC_OR_PARTITION"),
  CONSUMER_INSTANCE_NOT_FOUND("UNKNOWN_MEMBER_ID"),
  CONSUMER_INSTANCE_EXISTS("MEMBER_ID_REQUIRED"),
  /** Subscribe and assign mixed on one consumer, or a partition it does not own. */
  ILLEGAL_CONSUMER_STATE("ILLEGAL_GENERATION"),
  TOPIC_ALREADY_EXISTS("TOPIC_ALREADY_EXISTS"),
  INVALID_TOPIC("INVALID_TOPIC_EXCEPTION"),
  INVALID_CONFIG("INVALID_CONFIG"),
  /** A config named by itself (one config of a topic to read, set or reset) that the broker does not know. */
  CONFIG_NOT_FOUND("INVALID_CONFIG"),
  INVALID_PARTITIONS("INVALID_PARTITIONS"),
  /** A replication factor below 1 (other than -1, the default) or above the live brokers. */
  INVALID_REPLICATION_FACTOR("INVALID_REPLICATION_FACTOR"),
  INVALID_REQUEST("INVALID_REQUEST"),
  /** A record that cannot be encoded as asked: bad base64, a header without a name. */
  INVALID_PAYLOAD("CORRUPT_MESSAGE"),
  /** A record that cannot be converted to or from the consumer's JSON format. */
  JSON_CONVERSION("CORRUPT_MESSAGE"),
  INVALID_CONSUMER_CONFIG("INVALID_CONFIG"),
  /**
   * A consumer's {@code topic_pattern} the broker cannot run: not RE2 syntax (a backreference,
   * lookaround, a possessive quantifier), too long, or too large once its repetitions are expanded.
   */
  INVALID_TOPIC_PATTERN("INVALID_REGULAR_EXPRESSION"),
  RECORD_TOO_LARGE("RECORD_TOO_LARGE"),
  /**
   * A CreateTime record whose timestamp lies outside the topic's window around the broker's clock
   * (message.timestamp.before.max.ms, message.timestamp.after.max.ms): nothing of the request is written.
   */
  INVALID_TIMESTAMP("INVALID_TIMESTAMP"),
  OFFSET_OUT_OF_RANGE("OFFSET_OUT_OF_RANGE"),
  /**
   * The append was made under a leader epoch the partition has left (leadership moved): nothing
   * was written; retrying reaches the new leader.
   */
  FENCED_LEADER_EPOCH("FENCED_LEADER_EPOCH"),
  /** An idempotent request whose sequence does not follow the last one appended (a gap). */
  OUT_OF_ORDER_SEQUENCE("OUT_OF_ORDER_SEQUENCE_NUMBER"),
  /** An idempotent request under an epoch older than the producer's current one. */
  PRODUCER_FENCED("PRODUCER_FENCED"),
  /** A producer id that another principal owns (Kafka refuses an unauthorized transactional id so). */
  PRODUCER_ID_NOT_AUTHORIZED("TRANSACTIONAL_ID_AUTHORIZATION_FAILED"),
  /** A producer id that was never given out (or an epoch it never had). */
  UNKNOWN_PRODUCER_ID("UNKNOWN_PRODUCER_ID"),
  /** acks=all to a topic whose min.insync.replicas exceeds the copies a commit reaches now. */
  NOT_ENOUGH_REPLICAS("NOT_ENOUGH_REPLICAS"),
  /** Only a super user may act on a super user's credentials (its password, its API keys). */
  CLUSTER_AUTHORIZATION_FAILED("CLUSTER_AUTHORIZATION_FAILED"),
  /** A cap on what one group or principal may hold (consumer instances, the groups they are in) is reached. */
  QUOTA_EXCEEDED("THROTTLING_QUOTA_EXCEEDED"),
  /** The caller may not Read a topic the request names or reads (Kafka's Read checked on every fetch and commit). */
  TOPIC_AUTHORIZATION_FAILED("TOPIC_AUTHORIZATION_FAILED"),
  /** The caller may not Read the consumer group it acts in. */
  GROUP_AUTHORIZATION_FAILED("GROUP_AUTHORIZATION_FAILED"),
  /** The database could not be reached or refused for a reason worth retrying. */
  RETRIABLE("REQUEST_TIMED_OUT"),
  INTERNAL("UNKNOWN_SERVER_ERROR");

  private final String kafkaName;

  BrokerError(String kafkaName) {
    this.kafkaName = kafkaName;
  }

  /** Kafka's name for the error (org.apache.kafka.common.protocol.Errors). */
  public String kafkaName() {
    return kafkaName;
  }
}

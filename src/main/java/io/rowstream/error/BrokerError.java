package io.rowstream.error;

import org.apache.kafka.common.protocol.Errors;

/**
 * What went wrong, in the broker's terms, and the one table of how each door answers it: the
 * Kafka protocol error ({@link #kafka()}) and the REST Proxy status and error code on v2
 * ({@link #v2()}), v3 admin ({@link #v3Admin()}) and v3 produce ({@link #v3Produce()}). v3
 * answers as the reference's v3 does: Kafka's retriable errors 500 / 50003, and an error Kafka's
 * exception mapper does not map (a record too large, a timestamp out of bounds) 500 / 50002 (see
 * docs/http-api.md, "Error codes"). A door only reads this table; no door writes a status or
 * code of its own for a broker error.
 *
 * <p>A Kafka error is retriable ({@link org.apache.kafka.common.errors.RetriableException})
 * exactly when the REST answer asks for a retry (50003), except UNKNOWN_TOPIC_OR_PARTITION, which
 * Kafka calls retriable because a client's metadata may lag a topic's creation.
 */
public enum BrokerError {
  TOPIC_NOT_FOUND(
      Errors.UNKNOWN_TOPIC_OR_PARTITION,
      RestError.of(404, 40401),
      RestError.of(404, 40403).withKafkaMessage(),
      RestError.of(404, 40401)),
  /** v3 admin: the reference's partition lookup is empty (a bare 404); v3 produce: its producer's 40402. */
  PARTITION_NOT_FOUND(
      Errors.UNKNOWN_TOPIC_OR_PARTITION,
      RestError.of(404, 40402),
      RestError.of(404, 404),
      RestError.of(404, 40402)),
  CONSUMER_INSTANCE_NOT_FOUND(Errors.UNKNOWN_MEMBER_ID, RestError.of(404, 40403)),
  /** A consumer instance's name already taken in its group (Kafka: a static member's instance id in use). */
  CONSUMER_INSTANCE_EXISTS(Errors.UNRELEASED_INSTANCE_ID, RestError.of(409, 40902)),
  /** Subscribe and assign mixed on one consumer, or a partition it does not own. */
  ILLEGAL_CONSUMER_STATE(Errors.ILLEGAL_GENERATION, RestError.of(409, 40903)),
  /** A consumer group that has no row (never used, or deleted): Kafka's GROUP_ID_NOT_FOUND. */
  GROUP_NOT_FOUND(Errors.GROUP_ID_NOT_FOUND, RestError.of(404, 404)),
  /** A group deleted while a consumer instance of it is live: Kafka's NON_EMPTY_GROUP. */
  NON_EMPTY_GROUP(Errors.NON_EMPTY_GROUP, RestError.of(409, 409)),
  /** A committed offset deleted in a topic a live member of the group subscribes to. */
  GROUP_SUBSCRIBED_TO_TOPIC(Errors.GROUP_SUBSCRIBED_TO_TOPIC, RestError.of(409, 409)),
  /**
   * A KIP-848 heartbeat whose member epoch is not the member's (it missed a rebalance or was
   * replaced): the client gives up its partitions and joins again with epoch 0.
   */
  FENCED_MEMBER_EPOCH(Errors.FENCED_MEMBER_EPOCH, RestError.of(409, 40903)),
  /** An offset commit of a KIP-848 member under another member epoch than its current one. */
  STALE_MEMBER_EPOCH(Errors.STALE_MEMBER_EPOCH, RestError.of(409, 40903)),
  /** A KIP-848 server assignor the broker does not run (it runs uniform and range). */
  UNSUPPORTED_ASSIGNOR(Errors.UNSUPPORTED_ASSIGNOR, RestError.of(422, 42204)),
  /**
   * A classic group member's call while its group rebalances: it must (re)join first (Kafka
   * REBALANCE_IN_PROGRESS; a commit while the leader's assignment is awaited).
   */
  GROUP_REBALANCING(Errors.REBALANCE_IN_PROGRESS, RestError.of(409, 40903)),
  /** A static member's old member id: another join with its group.instance.id took it over. */
  FENCED_INSTANCE(Errors.FENCED_INSTANCE_ID, RestError.of(409, 40903)),
  /**
   * A member of the other kind than the group's live members: a classic (JoinGroup) member and a
   * server-assigned member (HTTP or KIP-848) never share a group, and classic members must share a
   * protocol type and a protocol.
   */
  INCONSISTENT_GROUP_PROTOCOL(Errors.INCONSISTENT_GROUP_PROTOCOL, RestError.of(409, 40903)),
  /**
   * A classic member's session timeout outside the broker's bounds (Kafka's
   * {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms}).
   */
  INVALID_SESSION_TIMEOUT(Errors.INVALID_SESSION_TIMEOUT, RestError.of(400, 40002)),
  TOPIC_ALREADY_EXISTS(Errors.TOPIC_ALREADY_EXISTS, RestError.of(400, 40002)),
  INVALID_TOPIC(Errors.INVALID_TOPIC_EXCEPTION, RestError.of(400, 40002)),
  INVALID_CONFIG(Errors.INVALID_CONFIG, RestError.of(400, 40002)),
  /** A config named by itself (one config of a topic to read, set or reset) that the broker does not know. */
  CONFIG_NOT_FOUND(Errors.INVALID_CONFIG, RestError.of(404, 404)),
  INVALID_PARTITIONS(Errors.INVALID_PARTITIONS, RestError.of(400, 40002)),
  /**
   * A request the cluster's policy refuses whatever it holds, such as partitions beyond the
   * cluster-wide limit ({@code ROWSTREAM_MAX_PARTITIONS}): Kafka's POLICY_VIOLATION, as a broker's
   * create-topic policy answers.
   */
  POLICY_VIOLATION(Errors.POLICY_VIOLATION, RestError.of(400, 40002)),
  /** A replication factor below 1 (other than -1, the default) or above the live brokers. */
  INVALID_REPLICATION_FACTOR(Errors.INVALID_REPLICATION_FACTOR, RestError.of(400, 40002)),
  INVALID_REQUEST(Errors.INVALID_REQUEST, RestError.of(400, 40002)),
  /**
   * A record that cannot be encoded or stored as asked: bad base64, a header without a name, no key
   * on a compacted topic. Kafka's INVALID_RECORD (not CORRUPT_MESSAGE, which is retriable: a CRC
   * failure in transit; sending the same record again does not help here).
   */
  INVALID_PAYLOAD(Errors.INVALID_RECORD, RestError.of(422, 42206)),
  /**
   * A record that cannot be converted to the consumer's JSON format. Only the REST door converts
   * records; the Kafka door hands out stored batches as they are and never raises it.
   */
  JSON_CONVERSION(Errors.INVALID_RECORD, RestError.of(422, 42203)),
  INVALID_CONSUMER_CONFIG(Errors.INVALID_CONFIG, RestError.of(422, 42204)),
  /**
   * A consumer's {@code topic_pattern} the broker cannot run: not RE2 syntax (a backreference,
   * lookaround, a possessive quantifier), too long, or too large once its repetitions are expanded.
   */
  INVALID_TOPIC_PATTERN(Errors.INVALID_REGULAR_EXPRESSION, RestError.of(422, 42204)),
  /**
   * A record batch over the topic's max.message.bytes: Kafka's MESSAGE_TOO_LARGE
   * (RecordTooLargeException), what a Kafka broker answers a produce so; RECORD_LIST_TOO_LARGE is
   * a batch over the segment size, a limit Rowstream does not have. v3 answers Kafka's exception
   * mapper's 500 / 50002 with the record's message (neither retriable nor mapped there).
   */
  RECORD_TOO_LARGE(Errors.MESSAGE_TOO_LARGE, RestError.of(413, 41301), RestError.of(500, 50002)),
  /**
   * A CreateTime record whose timestamp lies outside the topic's window around the broker's clock
   * (message.timestamp.before.max.ms, message.timestamp.after.max.ms): nothing of the request is
   * written. v3 answers Kafka's exception mapper's 500 / 50002 (InvalidTimestampException is neither
   * retriable nor mapped there).
   */
  INVALID_TIMESTAMP(Errors.INVALID_TIMESTAMP, RestError.of(422, 42206), RestError.of(500, 50002)),
  /**
   * A client's record batch whose CRC does not match its bytes (damaged in transit): Kafka's
   * CORRUPT_MESSAGE, retriable (sending the batch again may help). Only the Kafka door sends
   * encoded batches; the REST answers are those of a retriable error.
   */
  CORRUPT_MESSAGE(Errors.CORRUPT_MESSAGE, RestError.of(500, 50003)),
  /**
   * A transactional record batch: transactions do not exist yet, so no producer can have begun
   * one. Kafka answers a transactional produce outside a transaction INVALID_TXN_STATE.
   */
  TRANSACTIONS_UNSUPPORTED(
      Errors.INVALID_TXN_STATE, RestError.of(422, 42206), RestError.of(500, 50002)),
  /**
   * A produce through a door that does not forward (Kafka's) reached a node that does not lead the
   * partition: nothing was written; the client refreshes its metadata and sends to the leader.
   */
  NOT_LEADER_OR_FOLLOWER(
      Errors.NOT_LEADER_OR_FOLLOWER, RestError.of(503, 50301), RestError.of(500, 50003)),
  OFFSET_OUT_OF_RANGE(Errors.OFFSET_OUT_OF_RANGE, RestError.of(400, 40002)),
  /**
   * The append was made under a leader epoch the partition has left (leadership moved): nothing
   * was written; retrying reaches the new leader. A produce carries no leader epoch in Kafka, so a
   * Kafka broker answers it NOT_LEADER_OR_FOLLOWER (FENCED_LEADER_EPOCH answers fetches and
   * OffsetsForLeaderEpoch that name a stale epoch); both are retriable.
   */
  FENCED_LEADER_EPOCH(
      Errors.NOT_LEADER_OR_FOLLOWER, RestError.of(503, 50301), RestError.of(500, 50003)),
  /** An idempotent request whose sequence does not follow the last one appended (a gap). */
  OUT_OF_ORDER_SEQUENCE(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, RestError.of(409, 40910)),
  /**
   * An idempotent request under an epoch older than the producer's current one. A Kafka broker
   * answers a produce so with INVALID_PRODUCER_EPOCH (KIP-588); PRODUCER_FENCED is the
   * transaction coordinator's answer to a fenced transactional id.
   */
  PRODUCER_FENCED(Errors.INVALID_PRODUCER_EPOCH, RestError.of(409, 40911)),
  /** A producer id that another principal owns (Kafka refuses an unauthorized transactional id so). */
  PRODUCER_ID_NOT_AUTHORIZED(
      Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, RestError.of(403, 40301)),
  /** A producer id that was never given out (or an epoch it never had). */
  UNKNOWN_PRODUCER_ID(Errors.UNKNOWN_PRODUCER_ID, RestError.of(404, 40410)),
  /** acks=all to a topic whose min.insync.replicas exceeds the copies a commit reaches now. */
  NOT_ENOUGH_REPLICAS(
      Errors.NOT_ENOUGH_REPLICAS, RestError.of(503, 50302), RestError.of(500, 50003)),
  /** Only a super user may act on a super user's credentials (its password, its API keys). */
  CLUSTER_AUTHORIZATION_FAILED(Errors.CLUSTER_AUTHORIZATION_FAILED, RestError.of(403, 40301)),
  /**
   * A cap on what one group or principal may hold (consumer instances, the groups they are in) is
   * reached: Kafka's GROUP_MAX_SIZE_REACHED (not THROTTLING_QUOTA_EXCEEDED, a retriable rate
   * quota: the cap holds until the client deletes an instance).
   */
  QUOTA_EXCEEDED(Errors.GROUP_MAX_SIZE_REACHED, RestError.of(429, 42901)),
  /** The caller may not Read a topic the request names or reads (Kafka's Read checked on every fetch and commit). */
  TOPIC_AUTHORIZATION_FAILED(Errors.TOPIC_AUTHORIZATION_FAILED, RestError.of(403, 40301)),
  /** The caller may not Read the consumer group it acts in. */
  GROUP_AUTHORIZATION_FAILED(Errors.GROUP_AUTHORIZATION_FAILED, RestError.of(403, 40301)),
  /**
   * The database could not be reached or refused for a reason worth retrying, or a forwarded append
   * got no answer: Kafka's REQUEST_TIMED_OUT (retriable; the records may or may not be written).
   */
  RETRIABLE(Errors.REQUEST_TIMED_OUT, RestError.of(500, 50003)),
  /**
   * The database refused the request for a lack of a resource that a retry will not bring (out of
   * memory or shared memory, a full disk, a configured limit such as max_locks_per_transaction, a
   * statement too large): not retriable, and said so, unlike {@link #RETRIABLE}.
   */
  DATABASE_RESOURCE_EXHAUSTED(Errors.UNKNOWN_SERVER_ERROR, RestError.of(500, 50002)),
  /** A failure of the node itself; a client sees only its id (the node logs the cause). */
  INTERNAL(Errors.UNKNOWN_SERVER_ERROR, RestError.of(500, 50002));

  private final Errors kafka;
  private final RestError v2;
  private final RestError v3Admin;
  private final RestError v3Produce;

  /** Answered alike on every family of REST routes. */
  BrokerError(Errors kafka, RestError everywhere) {
    this(kafka, everywhere, everywhere, everywhere);
  }

  /** Answered one way on v2, another on both v3 families. */
  BrokerError(Errors kafka, RestError v2, RestError v3) {
    this(kafka, v2, v3, v3);
  }

  BrokerError(Errors kafka, RestError v2, RestError v3Admin, RestError v3Produce) {
    this.kafka = kafka;
    this.v2 = v2;
    this.v3Admin = v3Admin;
    this.v3Produce = v3Produce;
  }

  /** The Kafka protocol error a Kafka-protocol door answers. */
  public Errors kafka() {
    return kafka;
  }

  /** The answer on REST Proxy v2 routes, Rowstream's own routes and the node-to-node ones. */
  public RestError v2() {
    return v2;
  }

  /** The answer on v3 admin routes (clusters, brokers, topics, partitions, configs, groups, ACLs). */
  public RestError v3Admin() {
    return v3Admin;
  }

  /** The answer on v3 produce ({@code /v3/clusters/{cid}/topics/{t}/records[:batch]}). */
  public RestError v3Produce() {
    return v3Produce;
  }
}

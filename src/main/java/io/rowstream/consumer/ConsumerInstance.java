package io.rowstream.consumer;

/**
 * A REST Proxy v2 consumer instance as stored in {@code consumer_instance}: its identity and the
 * configuration given at creation.
 *
 * @param fetchMinBytes bytes a records request waits for before answering; -1 or 0: any record
 * @param requestTimeoutMs how long a records request waits when it names no timeout
 * @param sessionTimeoutMs the lease each request renews: how long the instance, and its group
 *     membership, live without a call ({@code session.timeout.ms} if given at creation, else the
 *     node's {@code consumer.instance.timeout.ms})
 * @param assignmentStrategy the assignor it asks for when it subscribes
 * @param memberId Kafka member id, new for every incarnation of the instance name
 * @param subscribed whether it has subscribed (the group assigns its partitions)
 */
public record ConsumerInstance(
    String group,
    String id,
    ConsumerFormat format,
    OffsetReset autoOffsetReset,
    boolean autoCommitEnable,
    int fetchMinBytes,
    int requestTimeoutMs,
    int sessionTimeoutMs,
    String assignmentStrategy,
    String memberId,
    boolean subscribed) {}

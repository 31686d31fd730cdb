package io.rowstream.consumer;

/**
 * The configuration of {@code POST /consumers/{group}} as the client wrote it, every value a
 * string or null (absent); {@link ConsumerService#create} checks it. {@code session.timeout.ms}
 * and {@code partition.assignment.strategy} are Rowstream additions with Kafka's names.
 */
public record NewConsumer(
    String name,
    String format,
    String autoOffsetReset,
    String autoCommitEnable,
    String fetchMinBytes,
    String requestTimeoutMs,
    String sessionTimeoutMs,
    String assignmentStrategy) {}

package io.rowstream.consumer;

/**
 * The configuration of {@code POST /consumers/{group}} as the client wrote it, every value a
 * string or null (absent); {@link ConsumerService#create} checks it.
 */
public record NewConsumer(
    String name,
    String format,
    String autoOffsetReset,
    String autoCommitEnable,
    String fetchMinBytes,
    String requestTimeoutMs) {}

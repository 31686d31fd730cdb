package io.rowstream.topic;

/** A partition's row: where its log starts and ends, and who leads it under which epoch. */
public record PartitionState(
    long topicId,
    int partition,
    long logStartOffset,
    long logEndOffset,
    Integer leaderNodeId,
    int leaderEpoch) {}

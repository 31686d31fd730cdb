package io.rowstream.log;

/** Identifies one partition's log: the topic's id (not its name, which can be reused) and the partition. */
public record PartitionKey(long topicId, int partition) {}

package io.rowstream.group;

import io.rowstream.log.PartitionKey;

/**
 * An offset of the group in a partition, to commit or as committed: the next offset to read
 * (Kafka convention), with the client's metadata ({@code ""} when none).
 */
public record GroupOffset(PartitionKey key, long offset, String metadata) {}

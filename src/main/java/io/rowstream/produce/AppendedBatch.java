package io.rowstream.produce;

/**
 * Where a client's record batch landed (Kafka's Produce answer for a partition): its base offset,
 * the log append time on a LogAppendTime topic (-1 on a CreateTime topic, as Kafka answers), and
 * the partition's log start offset. A retried idempotent batch answers its original base offset.
 */
public record AppendedBatch(long baseOffset, long logAppendTimeMs, long logStartOffset) {}

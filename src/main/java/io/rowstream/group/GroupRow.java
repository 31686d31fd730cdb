package io.rowstream.group;

import java.time.OffsetDateTime;

/**
 * A consumer group as stored in {@code consumer_group}.
 *
 * @param state {@code EMPTY} (no subscribed member), {@code STABLE}, or {@code RECONCILING} while
 *     a Kafka member still holds a partition its target lost (and the classic protocol's states)
 * @param generation Kafka's generation id, bumped by every rebalance
 * @param assignor name of the group's assignor ({@link Assignors})
 * @param rebalancedAt when the current generation was computed; null before the first rebalance
 */
public record GroupRow(
    String name,
    String state,
    int generation,
    String protocolType,
    String assignor,
    OffsetDateTime rebalancedAt) {}

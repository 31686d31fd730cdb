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
 * @param type whose the assignment is: the server's or, in a classic group, its leader's
 */
public record GroupRow(
    String name,
    String state,
    int generation,
    String protocolType,
    String assignor,
    OffsetDateTime rebalancedAt,
    GroupType type) {

  /** The state under Kafka's name. */
  public GroupState kafkaState() {
    return GroupState.ofStored(state);
  }
}

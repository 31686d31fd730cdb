package io.rowstream.group;

import java.util.Locale;

/**
 * A group's state under Kafka's names (what ListGroups and DescribeGroups answer, and what a
 * state filter names). The stored {@code consumer_group.state} is {@code EMPTY} or {@code STABLE}
 * for server-assigned groups, whose rebalance completes inside one transaction; the classic
 * protocol's barrier states (PreparingRebalance, CompletingRebalance) and KIP-848's reconciliation
 * (Assigning, Reconciling) are stored under the upper-case names of the others. {@code Dead} is
 * what Kafka answers for a group that does not exist; no row is ever in it.
 */
public enum GroupState {
  EMPTY("Empty"),
  STABLE("Stable"),
  PREPARING_REBALANCE("PreparingRebalance"),
  COMPLETING_REBALANCE("CompletingRebalance"),
  ASSIGNING("Assigning"),
  RECONCILING("Reconciling"),
  DEAD("Dead");

  private final String kafkaName;

  GroupState(String kafkaName) {
    this.kafkaName = kafkaName;
  }

  /** The name Kafka's protocol and tools use ({@code Stable}). */
  public String kafkaName() {
    return kafkaName;
  }

  /** The state a stored {@code consumer_group.state} value stands for. */
  static GroupState ofStored(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }

  /** Whether a state filter entry names this state (Kafka compares them ignoring case and blanks). */
  boolean named(String filter) {
    return kafkaName.equalsIgnoreCase(filter.trim());
  }
}

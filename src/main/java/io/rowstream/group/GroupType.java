package io.rowstream.group;

/**
 * A group's type under Kafka's names (ListGroups v5, its types filter): {@code consumer} for a
 * group whose members the server assigns (HTTP consumer instances, and KIP-848 members), {@code
 * classic} for a group of Kafka's classic protocol, whose leader assigns. Decided in one place,
 * {@link #ofStored}, from the group's row.
 */
public enum GroupType {
  CONSUMER("consumer"),
  CLASSIC("classic");

  private final String kafkaName;

  GroupType(String kafkaName) {
    this.kafkaName = kafkaName;
  }

  public String kafkaName() {
    return kafkaName;
  }

  /**
   * The type of a group whose row stores {@code groupProtocol} ({@code consumer_group.group_protocol}):
   * {@code classic} for the classic protocol, else server-assigned.
   */
  static GroupType ofStored(String groupProtocol) {
    return "classic".equals(groupProtocol) ? CLASSIC : CONSUMER;
  }

  /** Whether a types filter entry names this type (Kafka parses them ignoring case). */
  boolean named(String filter) {
    return kafkaName.equalsIgnoreCase(filter.trim());
  }
}

package io.rowstream.produce;

import io.rowstream.BrokerException;

/**
 * Kafka's acks: 0 answers before the append commits (offsets unknown); 1 and all answer after the
 * PostgreSQL transaction committed (the same thing here: the data is as durable as the database).
 */
public enum Acks {
  NONE, LEADER, ALL;

  public static Acks parse(String value) {
    if (value == null || value.isEmpty() || value.equals("all") || value.equals("-1")) {
      return ALL;
    }
    return switch (value) {
      case "0" -> NONE;
      case "1" -> LEADER;
      default -> throw BrokerException.invalidRequest("acks must be 0, 1 or all, got '" + value + "'.");
    };
  }
}

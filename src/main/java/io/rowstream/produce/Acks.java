package io.rowstream.produce;

import io.rowstream.error.BrokerException;

/**
 * Kafka's acks: 0 answers before the append commits (offsets unknown); 1 and all answer after the
 * PostgreSQL transaction committed, which with synchronous standbys means on them too (PostgreSQL
 * decides that per server, not per request, so 1 and all wait alike). all also requires the
 * topic's min.insync.replicas copies (the primary and synchronous standbys) to be there now.
 */
public enum Acks {
  NONE,
  LEADER,
  ALL;

  public static Acks parse(String value) {
    if (value == null || value.isEmpty() || value.equals("all") || value.equals("-1")) {
      return ALL;
    }
    return switch (value) {
      case "0" -> NONE;
      case "1" -> LEADER;
      default ->
        throw BrokerException.invalidRequest("acks must be 0, 1 or all, got '" + value + "'.");
    };
  }
}

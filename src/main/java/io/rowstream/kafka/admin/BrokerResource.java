package io.rowstream.kafka.admin;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.util.OptionalInt;

/**
 * A BROKER config resource as Kafka names it: the empty name is the cluster-wide default (Kafka's
 * dynamic default broker configs, {@code kafka-configs --entity-default}); a broker id is that
 * broker, which must be one of this cluster's.
 */
final class BrokerResource {
  private BrokerResource() {}

  /** Empty for the cluster-wide default; else the broker's id, or INVALID_REQUEST. */
  static OptionalInt parse(String name, BrokerRegistry brokers) {
    if (name == null || name.isEmpty()) {
      return OptionalInt.empty();
    }
    int id;
    try {
      id = Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new BrokerException(
          BrokerError.INVALID_REQUEST,
          "A broker resource is named by a broker id, or empty for the cluster-wide default; got '"
              + name + "'.");
    }
    if (brokers.brokers().stream().noneMatch(b -> b.nodeId() == id)) {
      throw new BrokerException(
          BrokerError.INVALID_REQUEST, "Broker " + id + " is not a broker of this cluster.");
    }
    return OptionalInt.of(id);
  }
}

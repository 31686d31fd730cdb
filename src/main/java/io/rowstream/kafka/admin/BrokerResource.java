package io.rowstream.kafka.admin;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicAdmin.ConfigChange;
import java.util.List;
import java.util.OptionalInt;
import org.apache.kafka.common.config.ConfigResource;

/**
 * A BROKER config resource as Kafka names it: the empty name is the cluster-wide default (Kafka's
 * dynamic default broker configs, {@code kafka-configs --entity-default}); a broker id is that
 * broker, which must be one of this cluster's.
 */
final class BrokerResource {
  private BrokerResource() {}

  /**
   * Before a change of the broker resource {@code name}: the caller needs ALTER_CONFIGS on the
   * cluster; a broker id is refused (INVALID_CONFIG, after the changes are checked), since no broker
   * has configs of its own. What remains is a change of the cluster-wide defaults.
   */
  static void requireDefaultsChange(
      String name,
      Caller caller,
      BrokerRegistry brokers,
      TopicAdmin admin,
      List<ConfigChange> changes) {
    caller.require(Acl.Operation.ALTER_CONFIGS, Acl.ResourceType.CLUSTER, Acl.CLUSTER_NAME);
    OptionalInt broker = parse(name, brokers);
    if (broker.isPresent()) {
      admin.refuseBrokerConfigChange(broker.getAsInt(), changes);
    }
  }

  /** INVALID_REQUEST for a config resource type other than TOPIC and BROKER. */
  static BrokerException unsupported(byte resourceType, String verb) {
    return new BrokerException(
        BrokerError.INVALID_REQUEST,
        "Rowstream " + verb + " the configs of topics and brokers only; resource type "
            + ConfigResource.Type.forId(resourceType) + " is not served.");
  }

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

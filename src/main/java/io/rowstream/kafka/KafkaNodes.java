package io.rowstream.kafka;

import io.rowstream.cluster.BrokerInfo;
import io.rowstream.cluster.BrokerRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster as a Kafka client sees it: the live nodes that have a Kafka listener, by id, at their
 * Kafka addresses, and the controller among them. Metadata and DescribeCluster answer this one view.
 *
 * @param controller the controller if it is listed, else the lowest listed node (clients need a
 *     listed one); -1 when no node is listed
 */
public record KafkaNodes(Map<Integer, BrokerInfo.KafkaAddress> addresses, int controller) {

  public KafkaNodes {
    addresses = Collections.unmodifiableMap(new TreeMap<>(addresses));
  }

  /** The view now. */
  public static KafkaNodes of(BrokerRegistry brokers) {
    Map<Integer, BrokerInfo.KafkaAddress> nodes = new TreeMap<>();
    for (BrokerInfo b : brokers.liveBrokers()) {
      if (b.kafkaAddress() != null) {
        nodes.put(b.nodeId(), b.kafkaAddress());
      }
    }
    Optional<Integer> controller = brokers.controller().filter(nodes::containsKey);
    return new KafkaNodes(
        nodes,
        controller.orElse(nodes.isEmpty() ? -1 : nodes.keySet().iterator().next()));
  }

  /** The listed nodes' ids, ascending. */
  public Set<Integer> ids() {
    return addresses.keySet();
  }
}

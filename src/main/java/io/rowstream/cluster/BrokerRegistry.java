package io.rowstream.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The brokers of the cluster, its id and its node secret, and who is controller: what metadata
 * and the node's start ask of the cluster, read and written through {@link BrokerStore}.
 */
public final class BrokerRegistry {
  private final BrokerStore store;

  public BrokerRegistry(BrokerStore store) {
    this.store = store;
  }

  public String clusterId() {
    return store.clusterId();
  }

  /** What the nodes of this cluster authenticate to one another with (migration V14). */
  public String nodeSecret() {
    return store.nodeSecret();
  }

  /** A fresh broker id above Kafka's reserved range. */
  public int allocateNodeId() {
    return store.allocateNodeId();
  }

  /**
   * Registers (or re-registers) this node with a lease of {@code lease}, and where Kafka clients
   * reach it ({@code kafka} null when it has no Kafka listener).
   */
  public void register(
      int nodeId, String advertisedUrl, BrokerInfo.KafkaAddress kafka, Duration lease) {
    store.register(nodeId, advertisedUrl, kafka, lease);
  }

  /** Ends this node's lease now (clean shutdown). */
  public void resign(int nodeId) {
    store.resign(nodeId);
  }

  /** Every registered broker, live or not, by id. */
  public List<BrokerInfo> brokers() {
    return store.brokers();
  }

  /** The node holding the controller role (lease current, database clock), if any. */
  public Optional<Integer> controller() {
    return store.controller();
  }

  public List<BrokerInfo> liveBrokers() {
    return brokers().stream().filter(BrokerInfo::live).toList();
  }
}

package io.rowstream.cluster;

import io.rowstream.db.Transactions;
import io.rowstream.log.LeaderEpochs;
import io.rowstream.log.PartitionKey;
import io.rowstream.topic.TopicStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's picture of partition leadership: each partition's leader and epoch, and where the
 * live brokers listen. A cache of rows the controller writes: re-read whole when the controller
 * changes leaderships ({@link ClusterNode} sees its {@code assignment_version} move), a topic at a
 * time when a partition is not known yet, and a partition at a time when an append under its
 * cached epoch was refused.
 */
public final class LeaderView implements LeaderEpochs {
  /** A partition's leader (null: none yet) and epoch. */
  public record Leader(Integer nodeId, int epoch) {}

  private final TopicStore topics;
  private final BrokerStore brokers;
  private final int nodeId;
  private final ConcurrentHashMap<PartitionKey, Leader> leaders = new ConcurrentHashMap<>();
  /** How often a leader missing from the live brokers makes the view read them again. */
  private static final long UNKNOWN_BROKER_RECHECK_NANOS = 100_000_000L;

  private volatile Map<Integer, String> liveUrls = Map.of();
  private volatile long brokersReadAt;

  public LeaderView(Transactions transactions, int nodeId) {
    this.topics = new TopicStore(transactions.autocommit());
    this.brokers = new BrokerStore(transactions.autocommit());
    this.nodeId = nodeId;
  }

  public int nodeId() {
    return nodeId;
  }

  public Leader leader(PartitionKey key) {
    Leader leader = leaders.get(key);
    if (leader == null) {
      loadTopic(key.topicId());
      leader = leaders.getOrDefault(key, new Leader(null, 0));
    }
    return leader;
  }

  @Override
  public Integer epoch(PartitionKey key) {
    return leader(key).epoch();
  }

  @Override
  public void stale(PartitionKey key) {
    leaders.remove(key);
    reloadBrokers();
  }

  /**
   * The advertised URL of the partition's leader when another live node leads it; empty when
   * this node leads it, no node does yet, or the leader's lease has lapsed (this node appends).
   */
  public Optional<String> leaderElsewhere(PartitionKey key) {
    Integer leader = leader(key).nodeId();
    if (leader == null || leader == nodeId) {
      return Optional.empty();
    }
    Optional<String> url = urlOf(leader);
    if (url.isEmpty() && System.nanoTime() - brokersReadAt > UNKNOWN_BROKER_RECHECK_NANOS) {
      reloadBrokers(); // a node that joined since the last heartbeat
      url = urlOf(leader);
    }
    return url;
  }

  /** The advertised URL of a live broker, if it is one. */
  public Optional<String> urlOf(int node) {
    return Optional.ofNullable(liveUrls.get(node));
  }

  /** Re-reads every partition's leader and the live brokers. */
  void reload() {
    Map<PartitionKey, Leader> fresh = new HashMap<>();
    topics
        .leaders()
        .forEach(p -> fresh.put(
            new PartitionKey(p.topicId(), p.partition()), new Leader(p.nodeId(), p.epoch())));
    leaders.keySet().retainAll(fresh.keySet());
    leaders.putAll(fresh);
    reloadBrokers();
  }

  private void loadTopic(long topicId) {
    topics
        .leaders(topicId)
        .forEach(p -> leaders.put(
            new PartitionKey(topicId, p.partition()), new Leader(p.nodeId(), p.epoch())));
  }

  /** Re-reads the live brokers and their URLs. */
  void reloadBrokers() {
    liveUrls = Map.copyOf(brokers.liveUrls());
    brokersReadAt = System.nanoTime();
  }
}

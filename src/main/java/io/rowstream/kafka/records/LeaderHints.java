package io.rowstream.kafka.records;

import io.rowstream.cluster.BrokerInfo;
import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.topic.PartitionState;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicService;
import java.util.Optional;

/**
 * Where a partition's leader is, for a NOT_LEADER_OR_FOLLOWER answer (Produce v10 and later carry
 * it, KIP-951, so that the client goes to the leader without a Metadata round trip): the leader
 * as Metadata reports it, when it is a live node with a Kafka listener.
 */
final class LeaderHints {
  /** A partition's leader, its epoch, and its Kafka address. */
  record Hint(int leaderId, int leaderEpoch, BrokerInfo.KafkaAddress address) {}

  private final TopicCache cache;
  private final TopicService topics;
  private final PartitionLeaders leaders;
  private final BrokerRegistry brokers;

  LeaderHints(
      TopicCache cache, TopicService topics, PartitionLeaders leaders, BrokerRegistry brokers) {
    this.cache = cache;
    this.topics = topics;
    this.leaders = leaders;
    this.brokers = brokers;
  }

  /** The partition's current leader; empty when it has none that a client can reach. */
  Optional<Hint> of(String topic, int partition) {
    PartitionState row = topics.partition(cache.require(topic), partition);
    int leader = leaders.of(row).leader();
    return brokers.liveBrokers().stream()
        .filter(b -> b.nodeId() == leader && b.kafkaAddress() != null)
        .findFirst()
        .map(b -> new Hint(leader, row.leaderEpoch(), b.kafkaAddress()));
  }
}

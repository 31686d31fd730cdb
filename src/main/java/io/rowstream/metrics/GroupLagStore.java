package io.rowstream.metrics;

import io.rowstream.db.Tx;
import java.util.List;

/**
 * The read of consumer lag for {@link BrokerMetrics}: the {@code consumer_lag_overview} view,
 * summed per group and topic.
 */
final class GroupLagStore {
  /** Records between a group's committed offsets and the log end, over a topic's partitions. */
  record GroupTopicLag(String group, String topic, long lag) {}

  private final Tx tx;

  GroupLagStore(Tx tx) {
    this.tx = tx;
  }

  /** The lag of every group on every topic it has committed offsets for. */
  List<GroupTopicLag> lagByGroupAndTopic() {
    return tx.dsl()
        .resultQuery(
            "select \"group\", topic, sum(lag)::bigint from consumer_lag_overview group by 1, 2")
        .fetch(r -> new GroupTopicLag(
            r.get(0, String.class), r.get(1, String.class), r.get(2, Long.class)));
  }
}

package io.rowstream.metrics;

import io.rowstream.db.Tx;
import java.util.List;

/**
 * The read of records sent from SQL and not yet moved into the log, for {@link BrokerMetrics}: the
 * {@code sent_record_overview} view (sql/R__sent_record_overview.sql).
 */
final class SentRecordBacklogStore {
  /** Pending records of one partition and the age of the oldest. */
  record PartitionBacklog(String topic, int partition, long records, double oldestAgeSeconds) {}

  private final Tx tx;

  SentRecordBacklogStore(Tx tx) {
    this.tx = tx;
  }

  List<PartitionBacklog> backlog() {
    return tx.dsl()
        .resultQuery("select topic, partition, pending_records, oldest_age_seconds"
            + " from sent_record_overview")
        .fetch(r -> new PartitionBacklog(
            r.get(0, String.class),
            r.get(1, Integer.class),
            r.get(2, Long.class),
            r.get(3, Double.class)));
  }
}

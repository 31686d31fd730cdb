package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An idle cluster's controller does not read every partition at each tick: it reads them when the
 * live nodes or the topics change (and, as a safety net, every {@link Controller#FULL_PASS_EVERY}),
 * so unused partitions cost it nothing. Measured on PostgreSQL's own counters of rows read from
 * {@code topic_partition}, over ticks counted by the node's {@code rowstream_background_passes}.
 */
class ControllerIdleCostTest {
  static final int PARTITIONS = 5_000;
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("controller_idle_cost");
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void idle_ticks_do_not_read_every_partition() {
    http.createTopic("idle", PARTITIONS);
    Await.until(
        "the controller recorded the new partitions' replicas",
        Duration.ofSeconds(20),
        () -> broker.queryLong("select count(*) from replica_state") == PARTITIONS);
    // The reads of the creation and of the controller's pass after it may reach pg_stat within the
    // window (an idle backend flushes its statistics up to 10 s late): up to about three full
    // reads.
    // Reading at every tick, as before, would be forty.
    long rowsBefore = rowsRead();
    double ticksBefore = ticks();
    Await.until("40 more cluster ticks", Duration.ofSeconds(60), () -> ticks() >= ticksBefore + 40);

    assertThat(rowsRead() - rowsBefore)
        .as("rows of topic_partition read over 40 idle ticks (one full read is %d)", PARTITIONS)
        .isLessThan(5L * PARTITIONS);
  }

  private static long rowsRead() {
    return broker.queryLong(
        "select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)"
            + " from pg_stat_user_tables where relname = 'topic_partition' and schemaname = 'rowstream'");
  }

  private static double ticks() {
    return http.metric("rowstream_background_passes_total{loop=\"cluster\"}");
  }
}

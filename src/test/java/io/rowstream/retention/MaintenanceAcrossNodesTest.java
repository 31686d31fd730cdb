package io.rowstream.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.db.AdvisoryLocks;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Log maintenance with three nodes on one database, each scheduling passes every 50 ms: no pass
 * runs while another session holds the maintenance lock, whichever node gets it next does the work,
 * and a node stopped leaves the work to the others.
 */
class MaintenanceAcrossNodesTest {
  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("maintenance-nodes", c -> c.withLogMaintenanceIntervalMs(50));
    broker.startNode();
    broker.startNode();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void passes_wait_for_the_maintenance_lock_and_any_node_takes_the_work_over() throws Exception {
    TestHttp http = broker.http(0);
    var created = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics",
        "application/json",
        TestHttp.json(Map.of(
            "topic_name",
            "shared",
            "partitions_count",
            1,
            "configs",
            List.of(
                Map.of("name", "internal.segment.bytes", "value", "1024"),
                Map.of("name", "retention.bytes", "value", "3000")))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long topicId = broker.queryLong("select topic_id from topic where name = 'shared'");

    try (Connection holder = broker.sql()) {
      advisory(holder, "pg_advisory_lock"); // as a node in the middle of a long pass would
      for (int i = 0; i < 20; i++) {
        produce(i % 3, i);
      }
      Thread.sleep(1_000); // twenty scheduled passes on each node
      assertThat(logStart(topicId))
          .as("no pass ran while the lock was held elsewhere")
          .isZero();
      advisory(holder, "pg_advisory_unlock");
    }
    Await.until("a node applies retention", Duration.ofSeconds(20), () -> logStart(topicId) > 0);
    assertThat(storageTables())
        .as("every table left belongs to a segment")
        .isEqualTo(broker.queryLong("select count(*) from segment"));

    broker.stopNode(0);
    long before = logStart(topicId);
    for (int i = 20; i < 40; i++) {
      produce(1 + i % 2, i);
    }
    Await.until(
        "the remaining nodes apply retention",
        Duration.ofSeconds(20),
        () -> logStart(topicId) > before);
    Await.until(
        "the remaining nodes drop the tables",
        Duration.ofSeconds(20),
        () -> storageTables() == broker.queryLong("select count(*) from segment"));
  }

  private static void produce(int node, long i) {
    String value = Base64.getEncoder().encodeToString(String.format("%-400d", i).getBytes());
    var r = broker
        .http(node)
        .post(
            "/topics/shared/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", value)))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static long logStart(long topicId) {
    return broker.queryLong(
        "select log_start_offset from topic_partition where topic_id = " + topicId);
  }

  private static long storageTables() {
    return broker.queryLong("select count(*) from pg_tables where schemaname = 'rowstream_chunks'");
  }

  private static void advisory(Connection c, String function) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("select " + function + "(?)")) {
      ps.setLong(1, AdvisoryLocks.LOG_MAINTENANCE);
      ps.executeQuery().close();
    }
  }
}

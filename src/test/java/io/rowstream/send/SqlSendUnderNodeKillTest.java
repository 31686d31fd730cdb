package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.NodeProcess;
import io.rowstream.support.Sql;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node in a process of its own is killed with SIGKILL while it moves a backlog of records sent
 * from SQL into the log (once inside a move's transaction for certain, after it read the sent rows
 * and wrote their chunks; then twice wherever it is) and started again each time: every record is in
 * the log once, in send order, and none is left pending.
 */
@Tag("slow")
class SqlSendUnderNodeKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(SqlSendUnderNodeKillTest.class);
  private static final String TOPIC = "outbox";
  private static final int PARTITIONS = 2;
  private static final int TRANSACTIONS = 150;
  private static final int PER_TRANSACTION = 100;
  private static final int KILLS = 3;

  private NodeProcess node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void a_node_killed_while_moving_loses_and_duplicates_nothing() throws Exception {
    TestDatabase database = TestPostgres.server().newDatabase("sql_send_kill");
    node = NodeProcess.start(
        database,
        1,
        Map.of(
            "ROWSTREAM_BROKER_LEASE_MS", "2000",
            "ROWSTREAM_HEARTBEAT_MS", "400",
            "ROWSTREAM_CLUSTER_TICK_MS", "100"));
    // A node answers ready a moment before it registers as a live broker, and a topic needs one.
    Await.until(
        "the topic is created",
        Duration.ofSeconds(30),
        () -> node.http()
                .post(
                    "/v3/clusters/" + node.http().clusterId() + "/topics",
                    "application/json",
                    TestHttp.json(Map.of("topic_name", TOPIC, "partitions_count", PARTITIONS)))
                .status()
            == 201);
    node.kill(); // the backlog builds while no node moves it

    try (Connection c =
        DriverManager.getConnection(database.url(), database.user(), database.password())) {
      long first = sendBacklog(c, 0);
      assertThat(Sql.queryLong(
              c, "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview"))
          .isEqualTo(first);

      // Kill 1, inside a move for certain: the test holds segment in EXCLUSIVE mode, so the move's
      // append_chunks (which opens or updates the partition's segment) waits for it after the move
      // read its sent rows and wrote its chunks; the node dies there. Its transaction never
      // commits.
      try (Connection blocker =
          DriverManager.getConnection(database.url(), database.user(), database.password())) {
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
          s.execute("lock table rowstream.segment in exclusive mode");
        }
        node.restart();
        Await.until(
            "a move waits inside append_chunks",
            Duration.ofSeconds(30),
            () -> moverWaiting(c) != 0);
        int orphan = moverWaiting(c);
        node.kill();
        assertThat(Sql.queryLong(
                c, "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview"))
            .isEqualTo(first);
        blocker.rollback(); // the dead node's backend goes on, cannot answer, and rolls back
        Await.until("the dead node's backend is gone", Duration.ofSeconds(30), () -> {
          try {
            return Sql.queryLong(c, "select count(*) from pg_stat_activity where pid = " + orphan)
                == 0;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
      }
      assertThat(moved(database)).as("nothing of the killed move is in the log").isZero();
      assertThat(Sql.queryLong(
              c, "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview"))
          .isEqualTo(first);

      // Kills 2 and 3, wherever the mover is when the node answers (done or not), each after a
      // new backlog was sent while no node ran.
      long total = first;
      for (int kill = 2; kill <= KILLS; kill++) {
        total = sendBacklog(c, total);
        node.restart();
        node.kill();
        long atKill = moved(database);
        LOG.info("killed kill={} movedAtKill={} total={}", kill, atKill, total);
        assertThat(atKill
                + Sql.queryLong(
                    c,
                    "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview"))
            .as("moved and pending records after kill %d", kill)
            .isEqualTo(total);
      }
      long sent = total;
      node.restart();
      Await.until("every record is moved", Duration.ofSeconds(60), () -> moved(database) == sent);
      assertThat(Sql.queryLong(
              c, "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview"))
          .isZero();

      for (int p = 0; p < PARTITIONS; p++) {
        List<Long> values = new ArrayList<>();
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(
                "select convert_from(value, 'UTF8')::bigint from rowstream.read_messages('" + TOPIC
                    + "', " + p + ", 0, 1000000) order by \"offset\"")) {
          while (rs.next()) {
            values.add(rs.getLong(1));
          }
        }
        int partition = p;
        assertThat(values)
            .as("partition %d: every record once, in send order", p)
            .containsExactlyElementsOf(LongStream.range(0, sent)
                .filter(v -> v % PARTITIONS == partition)
                .boxed()
                .toList());
      }
    }
  }

  /**
   * Sends numbered records from {@code from} on, in transactions of {@link #PER_TRANSACTION}, each
   * to partition number % partitions; answers the number after the last.
   */
  private static long sendBacklog(Connection c, long from) throws SQLException {
    c.setAutoCommit(false);
    long n = from;
    try (PreparedStatement ps =
        c.prepareStatement("select rowstream.send('" + TOPIC + "', ?::text, partition => ?)")) {
      for (int t = 0; t < TRANSACTIONS; t++) {
        for (int i = 0; i < PER_TRANSACTION; i++, n++) {
          ps.setString(1, Long.toString(n));
          ps.setInt(2, (int) (n % PARTITIONS));
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      }
    }
    c.setAutoCommit(true); // pg_stat_activity stays the same for the whole of a transaction
    return n;
  }

  /** The backend of a move that waits for a lock inside append_chunks, or 0. */
  private static int moverWaiting(Connection c) {
    try {
      return (int) Sql.queryLong(
          c,
          "select coalesce(max(pid), 0) from pg_stat_activity where datname = current_database()"
              + " and wait_event_type = 'Lock' and query like '%append_chunks%'");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long moved(TestDatabase database) {
    try (Connection c =
        DriverManager.getConnection(database.url(), database.user(), database.password())) {
      return Sql.queryLong(
          c, "select coalesce(sum(log_end_offset), 0) from rowstream.topic_partition");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

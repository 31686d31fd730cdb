package io.rowstream.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.log.PartitionLog;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The order guarantees of rowstream.send, checked by a reader of the whole log: 8 application
 * transactions at a time, each sending a few records to random partitions and committing (or
 * rolling back) after a random delay, while two nodes move the records: each its own partitions,
 * with a node stopped and started again half-way (leadership and moving change hands); or, besides,
 * a mover on each node that moves every partition a few records at a time, so two nodes move one
 * partition at once.
 */
@Tag("slow")
class SqlSendOrderingTest {
  private static final String TOPIC = "ledger";
  private static final int PARTITIONS = 4;
  private static final int THREADS = 8;
  private static final int TRANSACTIONS_PER_THREAD = 30;

  /** One application transaction: its records in call order (partition, value). */
  private record Sent(
      String id, List<int[]> partitionAndIndex, long beganNanos, long committedNanos) {}

  private TestBroker broker;

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void
      records_appear_per_transaction_contiguously_in_call_order_and_after_transactions_committed_before()
          throws Exception {
    broker = TestBroker.start("sql_send_order");
    broker.startNode();
    broker.http().createTopic(TOPIC, PARTITIONS);
    sendAndCheck(() -> {
      // while the senders run: node 1 stops, node 2 moves everything, then node 1 is back
      broker.stopNode(0);
      broker.restartNode(0);
    });
  }

  @Test
  void two_nodes_moving_the_same_partitions_at_once_never_reorder_them() throws Exception {
    broker = TestBroker.start("sql_send_two_movers");
    broker.startNode();
    broker.http().createTopic(TOPIC, PARTITIONS);
    AtomicBoolean sending = new AtomicBoolean(true);
    List<Thread> movers = new ArrayList<>();
    for (int node = 0; node < 2; node++) {
      // Besides each node's own mover (which moves only what the node leads), a mover on each node
      // that moves every partition, a few records at a time in pieces of two, whoever leads it.
      PartitionLog log = broker.node(node).services().log();
      Topic topic = broker.node(node).services().topicCache().require(TOPIC);
      movers.add(Thread.ofPlatform().start(() -> {
        while (sending.get()) {
          for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            // whole sender transactions from 3 rows on, 2 rows a piece
            log.appendTaken(
                topic,
                new TreeMap<>(
                    Map.of(partition, SentRecordTake.alone(topic.id(), partition, 3, 2))));
          }
        }
      }));
    }
    try {
      sendAndCheck(() -> {});
    } finally {
      sending.set(false);
      for (Thread t : movers) {
        t.join();
      }
    }
  }

  /** 8 senders at once, {@code meanwhile} run while they send; then the whole log checked. */
  private void sendAndCheck(Runnable meanwhile) throws Exception {
    ConcurrentLinkedQueue<Sent> committed = new ConcurrentLinkedQueue<>();
    Set<String> rolledBack = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Future<?>> workers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          try (Connection c = broker.sql()) {
            c.setAutoCommit(false);
            for (int n = 0; n < TRANSACTIONS_PER_THREAD; n++) {
              send(c, thread + "-" + n, committed, rolledBack);
            }
          }
          return null;
        }));
      }
      meanwhile.run();
      for (Future<?> w : workers) {
        w.get();
      }
    }

    int expected =
        committed.stream().mapToInt(s -> s.partitionAndIndex().size()).sum();
    Await.until(
        "every committed record is in the log",
        Duration.ofSeconds(60),
        () -> broker.queryLong("select coalesce(sum(log_end_offset), 0) from topic_partition")
                >= expected
            && broker.queryLong(
                    "select coalesce(sum(pending_records), 0) from rowstream.sent_record_overview")
                == 0);
    assertThat(broker.queryLong("select coalesce(sum(log_end_offset), 0) from topic_partition"))
        .isEqualTo(expected);

    Map<String, Sent> byId = new HashMap<>();
    committed.forEach(s -> byId.put(s.id(), s));
    for (int p = 0; p < PARTITIONS; p++) {
      List<String[]> log = readPartition(p); // {transaction id, index}
      checkPartition(p, log, byId, rolledBack);
    }
  }

  private static void send(
      Connection c, String id, ConcurrentLinkedQueue<Sent> committed, Set<String> rolledBack)
      throws SQLException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int records = 1 + random.nextInt(6);
    List<int[]> sent = new ArrayList<>();
    long began = System.nanoTime();
    try (PreparedStatement ps =
        c.prepareStatement("select rowstream.send('" + TOPIC + "', ?::text, partition => ?)")) {
      for (int i = 0; i < records; i++) {
        int partition = random.nextInt(PARTITIONS);
        ps.setString(1, id + ":" + i);
        ps.setInt(2, partition);
        ps.execute();
        sent.add(new int[] {partition, i});
      }
    }
    LockSupport.parkNanos(
        random.nextLong(Duration.ofMillis(15).toNanos())); // the application's own work
    if (random.nextInt(5) == 0) {
      c.rollback();
      rolledBack.add(id);
    } else {
      c.commit();
      committed.add(new Sent(id, sent, began, System.nanoTime()));
    }
  }

  private List<String[]> readPartition(int partition) {
    TestHttp http = broker.http(1);
    List<String[]> out = new ArrayList<>();
    long end = broker.queryLong(
        "select log_end_offset from topic_partition where partition_id = " + partition);
    long offset = 0;
    while (offset < end) {
      JsonNode records = http.get(
              "/topics/" + TOPIC + "/partitions/" + partition + "/records?offset=" + offset,
              "Accept",
              TestHttp.BINARY)
          .expectStatus(200)
          .json();
      for (JsonNode r : records) {
        assertThat(r.get("offset").asLong()).isEqualTo(offset);
        String value =
            new String(Base64.getDecoder().decode(r.get("value").asText()), StandardCharsets.UTF_8);
        out.add(value.split(":"));
        offset++;
      }
    }
    return out;
  }

  private static void checkPartition(
      int partition, List<String[]> log, Map<String, Sent> byId, Set<String> rolledBack) {
    // Nothing rolled back, nothing twice, and each transaction's records to this partition: all of
    // them,
    // contiguous, in call order.
    List<String> order = new ArrayList<>(); // transactions in log order
    Set<String> done = new HashSet<>();
    int at = 0;
    while (at < log.size()) {
      String id = log.get(at)[0];
      assertThat(rolledBack).as("partition %d offset %d", partition, at).doesNotContain(id);
      Sent sent = byId.get(id);
      assertThat(sent).as("a committed transaction sent offset %d", at).isNotNull();
      assertThat(done.add(id))
          .as("transaction %s appears in one run in partition %d", id, partition)
          .isTrue();
      List<String> expected = sent.partitionAndIndex().stream()
          .filter(pi -> pi[0] == partition)
          .map(pi -> Integer.toString(pi[1]))
          .toList();
      List<String> actual = new ArrayList<>();
      for (int i = 0;
          i < expected.size() && at < log.size() && log.get(at)[0].equals(id);
          i++, at++) {
        actual.add(log.get(at)[1]);
      }
      assertThat(actual).as("records of %s in partition %d", id, partition).isEqualTo(expected);
      order.add(id);
    }
    // Every committed transaction that sent here appears here.
    byId.values().stream()
        .filter(s -> s.partitionAndIndex().stream().anyMatch(pi -> pi[0] == partition))
        .forEach(s -> assertThat(done).as("partition %d", partition).contains(s.id()));
    // A transaction that committed before another began comes first.
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        Sent earlier = byId.get(order.get(i));
        Sent later = byId.get(order.get(j));
        assertThat(later.committedNanos() < earlier.beganNanos())
            .as(
                "%s committed before %s began, yet comes after it in partition %d",
                later.id(), earlier.id(), partition)
            .isFalse();
      }
    }
  }
}

package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.NodeProcess;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An idempotent KafkaProducer (kafka-clients' defaults: idempotence, acks=all) sends numbered
 * records to two nodes in processes of their own while each node in turn is killed with SIGKILL
 * under it and started again. Every send is acknowledged, and each partition then holds exactly
 * the records sent to it, once each, in send order, at offsets from 0 with no gap.
 */
@Tag("slow")
class KafkaProducerUnderNodeKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaProducerUnderNodeKillTest.class);
  private static final String TOPIC = "survivor";
  private static final int PARTITIONS = 4;
  private static final int PER_PHASE = 3_000;
  private static final String PADDING = "p".repeat(1_000);

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final AtomicInteger acknowledged = new AtomicInteger();
  private final List<Future<RecordMetadata>> sends = new ArrayList<>();
  private int sent;

  @AfterEach
  void stop() {
    nodes.forEach(NodeProcess::close);
  }

  @Test
  void every_record_is_in_the_log_once_in_send_order_after_each_node_was_killed_under_it()
      throws Exception {
    TestDatabase database = TestPostgres.server().newDatabase("kafka_node_kill");
    List<String> addresses = new ArrayList<>();
    for (int id = 1; id <= 2; id++) {
      int kafkaPort = freePort();
      addresses.add("localhost:" + kafkaPort);
      nodes.add(NodeProcess.start(
          database,
          id,
          Map.of(
              "ROWSTREAM_BROKER_LEASE_MS", "2000",
              "ROWSTREAM_HEARTBEAT_MS", "400",
              "ROWSTREAM_CLUSTER_TICK_MS", "100",
              "ROWSTREAM_KAFKA_PORT", Integer.toString(kafkaPort))));
    }
    nodes.getFirst().http().createTopic(TOPIC, PARTITIONS);

    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
        String.join(",", addresses),
        Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
            ProducerConfig.METADATA_MAX_AGE_CONFIG, 2_000))) {
      for (NodeProcess victim : nodes) {
        sendPhase(producer);
        int threshold = sent - PER_PHASE * 3 / 4;
        Await.until(
            "progress " + threshold, Duration.ofMinutes(3), () -> acknowledged.get() >= threshold);
        LOG.info(
            "killing node {} at {} of {} acknowledged", victim.nodeId(), acknowledged.get(), sent);
        victim.kill();
        sendPhase(producer); // sent while the node is down
        victim.restart();
      }
      sendPhase(producer);
      for (Future<RecordMetadata> f : sends) {
        f.get(3, TimeUnit.MINUTES); // every send acknowledged, none failed
      }
    }

    List<Integer> all = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      List<Integer> values = read(database, p);
      for (int i = 0; i < values.size(); i++) {
        assertThat(values.get(i) % PARTITIONS).isEqualTo(p);
        if (i > 0) {
          assertThat(values.get(i))
              .as("partition %d in send order", p)
              .isGreaterThan(values.get(i - 1));
        }
      }
      all.addAll(values);
    }
    assertThat(all).hasSize(sent).doesNotHaveDuplicates();
  }

  private void sendPhase(KafkaProducer<byte[], byte[]> producer) {
    for (int i = 0; i < PER_PHASE; i++) {
      int n = sent++;
      sends.add(producer.send(
          new ProducerRecord<>(
              TOPIC, n % PARTITIONS, null, (n + ":" + PADDING).getBytes(StandardCharsets.UTF_8)),
          (metadata, failure) -> {
            if (failure == null) {
              acknowledged.incrementAndGet();
            }
          }));
    }
  }

  /** The numbers of a partition's records in offset order; offsets run from 0 with no gap. */
  private static List<Integer> read(TestDatabase database, int partition) throws Exception {
    List<Integer> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select \"offset\", convert_from(value, 'UTF8')"
            + " from rowstream.read_messages('" + TOPIC + "', " + partition + ", 0, 1000000)"
            + " order by \"offset\"")) {
      while (rs.next()) {
        assertThat(rs.getLong(1)).as("offset in partition %d", partition).isEqualTo(out.size());
        out.add(Integer.parseInt(rs.getString(2).split(":")[0]));
      }
    }
    return out;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

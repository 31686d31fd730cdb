package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.FetchRequests;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tails nodes keep in memory (log.LogTails) under concurrent writers on a two-node cluster:
 * Kafka producers with five requests in flight (group commit), HTTP produces on the other node
 * (forwarded to a partition's leader, or appended there) and sends from SQL (moved by the leader)
 * all append to the same partitions, while a Kafka consumer reads from the leaders and a fetcher
 * on each node reads every partition from that node, led there or not. Every reader ends with each
 * partition's offsets once each, in order, holding what the database holds: a tail never hides,
 * repeats or stales a record.
 */
class KafkaFetchFromTailClusterTest {
  private static final String TOPIC = "tail-cluster";
  private static final int PARTITIONS = 4;
  private static final Duration WRITING = Duration.ofSeconds(6);
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-fetch-from-tail-cluster");
    broker.startNode();
    broker.http().createTopic(TOPIC, PARTITIONS);
    Await.until(
        "each node leads a partition",
        Duration.ofSeconds(60),
        () -> broker.queryLong("select count(distinct p.leader_node_id) from topic_partition p"
                + " join topic t using (topic_id) where t.name = '" + TOPIC + "'")
            == 2);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** What a reader saw, per partition: offset and value of each record, in the order received. */
  private record Seen(List<List<Map.Entry<Long, String>>> partitions) {
    static Seen empty() {
      return new Seen(IntStream.range(0, PARTITIONS)
          .mapToObj(p -> (List<Map.Entry<Long, String>>) new ArrayList<Map.Entry<Long, String>>())
          .toList());
    }

    long next(int partition) {
      List<Map.Entry<Long, String>> records = partitions.get(partition);
      return records.isEmpty() ? 0 : records.getLast().getKey() + 1;
    }
  }

  private static long logEnd(int partition) {
    return broker.queryLong("select p.log_end_offset from topic_partition p join topic t"
        + " using (topic_id) where t.name = '" + TOPIC + "' and p.partition_id = " + partition);
  }

  private static boolean caughtUp(Seen seen) {
    return IntStream.range(0, PARTITIONS).allMatch(p -> seen.next(p) == logEnd(p));
  }

  /** Each partition's records as the database holds them (rowstream.read_messages). */
  private static List<List<Map.Entry<Long, String>>> stored() throws Exception {
    List<List<Map.Entry<Long, String>>> out = new ArrayList<>();
    try (Connection c = broker.sql();
        PreparedStatement ps = c.prepareStatement("select \"offset\", convert_from(value, 'UTF8')"
            + " from rowstream.read_messages(?, ?, 0, 1000000) order by \"offset\"")) {
      for (int p = 0; p < PARTITIONS; p++) {
        ps.setString(1, TOPIC);
        ps.setInt(2, p);
        List<Map.Entry<Long, String>> records = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            records.add(Map.entry(rs.getLong(1), rs.getString(2)));
          }
        }
        out.add(records);
      }
    }
    return out;
  }

  private static void kafkaProducer(String name, AtomicBoolean writing) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
        broker.kafkaBootstrap(0),
        Map.of(ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.BATCH_SIZE_CONFIG, 2048))) {
      for (int n = 0; writing.get(); n++) {
        producer.send(new ProducerRecord<>(
            TOPIC, n % PARTITIONS, null, (name + "-" + n).getBytes(StandardCharsets.UTF_8)));
        if (n % 50 == 49) {
          Thread.sleep(5);
        }
      }
      producer.flush();
    }
  }

  private static void httpProducer(AtomicBoolean writing) throws Exception {
    TestHttp http = broker.http(1);
    for (int n = 0; writing.get(); n++) {
      String value =
          Base64.getEncoder().encodeToString(("http-" + n).getBytes(StandardCharsets.UTF_8));
      http.post(
              "/topics/" + TOPIC + "/partitions/" + n % PARTITIONS,
              TestHttp.BINARY,
              "{\"records\":[{\"value\":\"" + value + "\"}]}")
          .expectStatus(200);
    }
  }

  private static void sqlSender(AtomicBoolean writing) throws Exception {
    try (Connection c = broker.sql();
        PreparedStatement ps =
            c.prepareStatement("select rowstream.send(?, convert_to(?, 'UTF8'), partition => ?)")) {
      for (int n = 0; writing.get(); n++) {
        ps.setString(1, TOPIC);
        ps.setString(2, "sql-" + n);
        ps.setInt(3, n % PARTITIONS);
        ps.executeQuery().close();
      }
    }
  }

  /** A Kafka consumer of every partition, fetching from their leaders, until settled and caught up. */
  private static Seen consume(AtomicBoolean settled) {
    Seen seen = Seen.empty();
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(0), Map.of())) {
      List<TopicPartition> all = IntStream.range(0, PARTITIONS)
          .mapToObj(p -> new TopicPartition(TOPIC, p))
          .toList();
      consumer.assign(all);
      consumer.seekToBeginning(all);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!settled.get() || !caughtUp(seen)) {
        assertThat(System.nanoTime()).as("the consumer catches up").isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          seen.partitions()
              .get(r.partition())
              .add(Map.entry(r.offset(), new String(r.value(), StandardCharsets.UTF_8)));
        }
      }
    }
    return seen;
  }

  /** Fetches of every partition from one node, each from where the last answer left it. */
  private static Seen fetchFrom(int node, AtomicBoolean settled) throws Exception {
    Seen seen = Seen.empty();
    try (KafkaWire wire = new KafkaWire(broker.node(node).kafkaPort())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!settled.get() || !caughtUp(seen)) {
        assertThat(System.nanoTime()).as("node %d's fetcher catches up", node).isLessThan(deadline);
        long[] offsets = IntStream.range(0, PARTITIONS).mapToLong(seen::next).toArray();
        List<PartitionData> answer = ((FetchResponse)
                wire.call(ApiKeys.FETCH, (short) 12, FetchRequests.from(TOPIC, offsets, 200)))
            .data()
            .responses()
            .getFirst()
            .partitions();
        for (PartitionData partition : answer) {
          assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
          for (Record r : ((MemoryRecords) partition.records()).records()) {
            if (r.offset() >= offsets[partition.partitionIndex()]) { // a batch comes whole
              seen.partitions()
                  .get(partition.partitionIndex())
                  .add(Map.entry(
                      r.offset(), StandardCharsets.UTF_8.decode(r.value()).toString()));
            }
          }
        }
      }
    }
    return seen;
  }

  @Test
  void every_reader_gets_every_record_once_in_order_as_stored_while_writers_race()
      throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicBoolean settled = new AtomicBoolean(false); // written, and every sent record moved
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      List<Future<?>> writers = List.of(
          pool.submit(() -> {
            kafkaProducer("kafka-a", writing);
            return null;
          }),
          pool.submit(() -> {
            kafkaProducer("kafka-b", writing);
            return null;
          }),
          pool.submit(() -> {
            httpProducer(writing);
            return null;
          }),
          pool.submit(() -> {
            sqlSender(writing);
            return null;
          }));
      Future<Seen> consumer = pool.submit(() -> consume(settled));
      Future<Seen> onNode0 = pool.submit(() -> fetchFrom(0, settled));
      Future<Seen> onNode1 = pool.submit(() -> fetchFrom(1, settled));

      Thread.sleep(WRITING.toMillis());
      writing.set(false);
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      Await.until(
          "every sent record is moved",
          Duration.ofSeconds(30),
          () -> broker.queryLong("select count(*) from rowstream.sent_record_overview"
                  + " where pending_records > 0")
              == 0);
      settled.set(true);

      List<List<Map.Entry<Long, String>>> stored = stored();
      for (int p = 0; p < PARTITIONS; p++) {
        assertThat(stored.get(p)).as("partition %d was written to", p).hasSizeGreaterThan(50);
        assertThat(stored.get(p).getLast().getKey()).isEqualTo(logEnd(p) - 1);
      }
      for (Map.Entry<String, Future<Seen>> reader : List.of(
          Map.entry("the Kafka consumer", consumer),
          Map.entry("node 0's fetcher", onNode0),
          Map.entry("node 1's fetcher", onNode1))) {
        Seen seen = reader.getValue().get(120, TimeUnit.SECONDS);
        for (int p = 0; p < PARTITIONS; p++) {
          assertThat(seen.partitions().get(p))
              .as("%s, partition %d", reader.getKey(), p)
              .isEqualTo(stored.get(p));
        }
      }
    } finally {
      writing.set(false);
      settled.set(true);
      pool.shutdownNow();
    }
  }
}

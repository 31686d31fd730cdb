package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.FetchRequests;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fetches over the Kafka port answered from the tail a node holds in memory (log.LogTails): what
 * was appended on the node since it read a partition's end is answered without a database read,
 * byte for byte as it is stored (base offsets and leader epoch written in); a fetch waiting at the
 * end and woken by an append on the node reads nothing from the database; and once retention moved
 * a partition's log start, the records below it are out of range at once, not answered from
 * memory.
 */
class KafkaFetchFromTailTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-fetch-from-tail", c -> c.withLogMaintenanceIntervalMs(50));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static PartitionData fetch(KafkaWire wire, String topic, long offset, int maxWaitMs) {
    try {
      return ((FetchResponse)
              wire.call(ApiKeys.FETCH, (short) 12, FetchRequests.from(topic, 1, offset, maxWaitMs)))
          .data()
          .responses()
          .getFirst()
          .partitions()
          .getFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(PartitionData partition) {
    ByteBuffer buffer = ((MemoryRecords) partition.records()).buffer();
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  private static List<String> values(PartitionData partition) {
    List<String> values = new java.util.ArrayList<>();
    for (Record r : ((MemoryRecords) partition.records()).records()) {
      values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
    }
    return values;
  }

  /** The partition's chunks as the database stores them, from the one holding {@code offset}. */
  private static byte[] stored(String topic, long offset) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Connection c = broker.sql();
        PreparedStatement ps = c.prepareStatement(
            "select c.batch from rowstream.chunk c join rowstream.topic t using (topic_id)"
                + " where t.name = ? and c.partition_id = 0 and c.last_offset >= ?"
                + " order by c.base_offset")) {
      ps.setString(1, topic);
      ps.setLong(2, offset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.write(rs.getBytes(1));
        }
      }
    }
    return out.toByteArray();
  }

  private static double databaseReads() {
    return broker.http().metric("rowstream_fetch_partition_reads_total", "source", "database");
  }

  private static double tailReads() {
    return broker.http().metric("rowstream_fetch_partition_reads_total", "source", "tail");
  }

  private static void produceOverHttp(String topic, String... values) {
    StringBuilder records = new StringBuilder();
    for (String v : values) {
      records
          .append(records.isEmpty() ? "" : ",")
          .append("{\"value\":\"")
          .append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)))
          .append("\"}");
    }
    broker
        .http(0)
        .post(
            "/topics/" + topic + "/partitions/0",
            TestHttp.BINARY,
            "{\"records\":[" + records + "]}")
        .expectStatus(200);
  }

  @Test
  void records_appended_on_the_node_are_answered_from_its_tail_as_they_are_stored()
      throws Exception {
    String topic = "tail-as-stored";
    broker.http().createTopic(topic, 1);
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      assertThat(values(fetch(wire, topic, 0, 50))).as("the node reads the end").isEmpty();

      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap(0));
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
      props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
        for (int batch = 0; batch < 3; batch++) { // a client batch each, stored as sent
          for (int i = 0; i < 4; i++) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
                topic,
                0,
                ("k" + i).getBytes(StandardCharsets.UTF_8),
                ("client-" + batch + "-" + i).getBytes(StandardCharsets.UTF_8));
            r.headers().add(new RecordHeader("h", new byte[] {(byte) i}));
            producer.send(r);
          }
          producer.flush();
        }
      }
      produceOverHttp(topic, "node-0", "node-1"); // a batch the node encodes

      double database = databaseReads();
      double tail = tailReads();
      PartitionData all = fetch(wire, topic, 0, 50);
      assertThat(all.highWatermark()).isEqualTo(14);
      assertThat(values(all)).hasSize(14).endsWith("node-0", "node-1");
      assertThat(bytes(all)).as("as stored").isEqualTo(stored(topic, 0));

      PartitionData fromInside = fetch(wire, topic, 5, 50);
      assertThat(bytes(fromInside))
          .as("from the batch that holds offset 5, as stored")
          .isEqualTo(stored(topic, 5));
      assertThat(values(fromInside)).first().isEqualTo("client-1-0");

      assertThat(databaseReads()).as("no read of the database").isEqualTo(database);
      assertThat(tailReads()).isEqualTo(tail + 2);
    }
  }

  @Test
  void a_fetch_woken_by_an_append_on_the_node_reads_nothing_from_the_database() throws Exception {
    String topic = "tail-woken";
    broker.http().createTopic(topic, 1);
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      assertThat(values(fetch(wire, topic, 0, 50))).isEmpty();
      double database = databaseReads();
      CompletableFuture<PartitionData> answer =
          CompletableFuture.supplyAsync(() -> fetch(wire, topic, 0, 30_000));
      Await.until(
          "the fetch waits",
          Duration.ofSeconds(10),
          () -> broker.node(0).services().log().waiting() > 0);

      produceOverHttp(topic, "woke-it");

      PartitionData woken = answer.get(30, TimeUnit.SECONDS);
      assertThat(values(woken)).containsExactly("woke-it");
      assertThat(woken.highWatermark()).isEqualTo(1);
      assertThat(bytes(woken)).isEqualTo(stored(topic, 0));
      assertThat(databaseReads())
          .as("the waiting fetch found its end in memory, and the append after it")
          .isEqualTo(database);
    }
  }

  @Test
  void records_below_a_log_start_that_retention_moved_are_out_of_range_at_once() throws Exception {
    String topic = "tail-retention";
    broker.http().createTopic(topic, 1, Map.of("retention.bytes", "0"));
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      long read = System.nanoTime();
      assertThat(values(fetch(wire, topic, 0, 50))).isEmpty();
      produceOverHttp(topic, "a", "b", "c"); // in the node's tail, then deleted by retention

      Await.until(
          "retention empties the log",
          Duration.ofSeconds(20),
          () -> broker.queryLong(
                  "select p.log_start_offset from topic_partition p join topic t using (topic_id)"
                      + " where t.name = '" + topic + "'")
              == 3);
      Await.until(
          "a fetch from offset 0 is out of range",
          Duration.ofSeconds(1),
          () -> fetch(wire, topic, 0, 50).errorCode() == Errors.OFFSET_OUT_OF_RANGE.code());
      assertThat(Duration.ofNanos(System.nanoTime() - read))
          .as("well within the 5 s a tail is trusted without a signal")
          .isLessThan(Duration.ofSeconds(4));
      PartitionData end = fetch(wire, topic, 3, 50);
      assertThat(end.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(end.logStartOffset()).isEqualTo(3);
    }
  }
}
